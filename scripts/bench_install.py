"""Install sizes: a fresh virtual environment with the default install, then each extra added in turn.

    python3 scripts/bench_install.py [--python python3] [--extras serve ray hf]

Prints the size of the environment (``du``-style, MiB, pip and setuptools included) after each step.
torch comes from wherever pip is configured to take it (install the CPU build first elsewhere; see
the README). Needs the package index, and a few minutes.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def size_mib(root: Path) -> float:
    total = sum(p.lstat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    return total / 2**20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--python", default="python3")
    ap.add_argument("--extras", nargs="*", default=["serve", "ray", "hf"])
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([a.python, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
        env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
        subprocess.run([*pip, str(REPO)], check=True, env=env)
        previous = size_mib(venv)
        print(f"default     {previous:7.0f} MiB")
        for extra in a.extras:
            subprocess.run([*pip, f"{REPO}[{extra}]"], check=True, env=env)
            now = size_mib(venv)
            print(f"+ [{extra}]{' ' * (8 - len(extra))}{now - previous:+7.0f} MiB  (total {now:.0f} MiB)")
            previous = now


if __name__ == "__main__":
    main()
