"""Golden outputs: real articles through segment, translate, summarize and run; sha256 of every file.

    python scripts/golden.py OUTDIR            # write the outputs and OUTDIR/hashes.json
    python scripts/golden.py OUTDIR --check tests/golden/hashes.json   # exit 1 listing what changed

Inputs (from ../shared, never copied into the repository): the sample article, the first NTREX-128
documents rebuilt as text files (headline as its own paragraph) and the first CNN/DailyMail articles
as a JSONL feed. ``tests/test_golden.py`` runs the check in CI, so a restructuring that changes a
byte of any output is caught; an intended change updates the hashes with the reason in the commit.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
NTREX_DOCS = 3
CNNDM_DOCS = 3


def build_inputs(root: Path) -> None:
    """Write the input files under ``root``: sample.txt, ntrex/<doc>.txt, cnndm.jsonl."""
    root.mkdir(parents=True, exist_ok=True)
    sample = root / "sample.txt"
    shutil.copyfile(SHARED / "samples" / "news-article-en.txt", sample)
    ntrex = SHARED / "eval" / "ntrex128"
    ids = (ntrex / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    lines = (ntrex / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    docs: dict[str, list[str]] = {}
    for doc_id, line in zip(ids, lines):
        if doc_id not in docs and len(docs) == NTREX_DOCS:
            break
        docs.setdefault(doc_id, []).append(line)
    ntrex_dir = root / "ntrex"
    ntrex_dir.mkdir(exist_ok=True)
    for doc_id, sents in docs.items():
        (ntrex_dir / f"{doc_id}.txt").write_text(sents[0] + "\n\n" + " ".join(sents[1:]) + "\n", encoding="utf-8")
    cnndm = root / "cnndm.jsonl"
    with (SHARED / "eval" / "summ_en_cnndm" / "cnndm_test_frank.jsonl").open(encoding="utf-8") as f:
        rows = [json.loads(next(f)) for _ in range(CNNDM_DOCS)]
    cnndm.write_text("".join(json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n" for r in rows),
                     encoding="utf-8")


def newsmt(cwd: Path, *args: str, stdout: Path | None = None) -> None:
    """Run the CLI in ``cwd`` (relative paths: the outputs do not depend on where OUTDIR is)."""
    env = {**os.environ, "NO_COLOR": "1"}
    with (stdout.open("wb") if stdout else open(os.devnull, "wb")) as out:
        subprocess.run([sys.executable, "-m", "newsmt", *args], check=True, stdout=out, stderr=subprocess.DEVNULL, env=env, cwd=cwd)


def produce(outdir: Path) -> dict[str, str]:
    """Run every command on the inputs; return {relative path: sha256} of every output file."""
    outdir = outdir.resolve()
    build_inputs(outdir / "in")
    ins = ["in/sample.txt", "in/ntrex", "in/cnndm.jsonl"]
    out = outdir / "out"
    shutil.rmtree(out, ignore_errors=True)  # a run into an earlier OUTDIR would resume, not redo
    out.mkdir(parents=True)
    calls = [  # independent: two at a time
        (["segment", *ins, "--lang", "en"], out / "segment.jsonl"),
        (["translate", *ins, "--src", "en", "--tgt", "pt", "-o", "out/translate", "--output-format", "jsonl,tmx,xliff,md,doc"], None),
        (["summarize", *ins, "--lang", "en", "--to", "pt", "-o", "out/summarize"], None),
        (["summarize", "in/sample.txt", "--lang", "en"], out / "summarize-stdout.jsonl"),
        (["run", *ins, "-c", "en-pt-news", "-o", "out/run", "--workers", "1", "--files"], None),
    ]
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda call: newsmt(outdir, *call[0], stdout=call[1]), calls))
    hashes = {}
    for p in sorted(out.rglob("*")):
        rel = p.relative_to(out).as_posix()
        if p.is_file() and "/.newsmt/" not in f"/{rel}" and not rel.endswith("manifest.json"):
            hashes[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return hashes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--check", type=Path, help="hashes.json to compare with")
    a = ap.parse_args()
    hashes = produce(a.outdir)
    (a.outdir / "hashes.json").write_text(json.dumps(hashes, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    if a.check is None:
        print(f"{len(hashes)} files hashed into {a.outdir / 'hashes.json'}")
        return 0
    want = json.loads(a.check.read_text(encoding="utf-8"))
    diff = sorted(k for k in want.keys() | hashes.keys() if want.get(k) != hashes.get(k))
    for k in diff:
        print(f"changed: {k} ({'missing' if k not in hashes else 'new' if k not in want else 'different bytes'})")
    print(f"{len(hashes)} files, {len(diff)} differ from {a.check}")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
