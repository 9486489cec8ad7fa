"""Reading a finished (or running) job's results back from its shards: one article by id or content
key (``find``, through the index) and every record in input order (``records``, through the manifest).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from .errors import InputError, OutputError
from .journal import open_index
from .shards import SHARDS, read_line, read_lines


def find(outdir: Path, ref: str) -> str:
    """The record (one JSON line) of the article with id ``ref`` (or content key, or source);
    InputError naming why when there is none: no such article, or it failed (with its reason)."""
    db = open_index(outdir)
    if db is None:
        raise OutputError(f"{outdir}: no newsmt run output here (no .newsmt/index.sqlite)")
    columns = "SELECT id, status, shard, line, reason FROM items"
    try:
        row = (db.execute(f"{columns} WHERE id=? LIMIT 1", (ref,)).fetchone()  # by id: indexed
               or db.execute(f"{columns} WHERE key=? OR source=? ORDER BY g, i LIMIT 1", (ref, ref)).fetchone())
    finally:
        db.close()
    if row is None:
        raise InputError(f"{ref}: no article with this id, key or source in {outdir}")
    doc_id, status, shard, line, reason = row
    if status == "failed":
        raise InputError(f"{doc_id or ref}: the article failed: {reason}")
    try:
        return read_line(outdir / SHARDS / shard, line)
    except (OSError, IndexError):
        raise OutputError(f"{doc_id}: its shard {shard} is missing or short; run the job again to restore it") from None


def records(outdir: Path) -> Iterator[str]:
    """Every record of the job, in input order, from the shards its manifest lists."""
    try:
        manifest = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise OutputError(f"{outdir}: no finished newsmt run here (manifest.json missing or unreadable)") from None
    for shard in manifest["shards"]:
        yield from read_lines(outdir / shard["name"])
