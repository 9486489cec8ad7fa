"""Golden check: real articles through every command give the recorded bytes (scripts/golden.py)."""
from __future__ import annotations

import subprocess
import sys

from conftest import REPO, shared_path


def test_outputs_byte_identical_to_golden(tmp_path):
    shared_path("eval", "ntrex128")
    shared_path("eval", "summ_en_cnndm")
    r = subprocess.run([sys.executable, str(REPO / "scripts" / "golden.py"), str(tmp_path),
                        "--check", str(REPO / "tests" / "golden" / "hashes.json")], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
