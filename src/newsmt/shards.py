"""Record shards: zstd-compressed JSONL files of finished records, one per group of articles.

A shard is named ``records/part-<group>-<sha256 of its bytes, 12 hex>.jsonl.zst``: the name follows
its content, so a group rewritten with other records never overwrites the shard an earlier run
left (a worker may still copy records out of it), and the same records always give the same name
and bytes (zstd level ``LEVEL``, one frame, single-threaded: deterministic). Sorted by name, the
shards of a finished job hold its records in input order: ``zstdcat records/*.zst`` reads them all.
"""
from __future__ import annotations

import hashlib
import io
import os
from itertools import chain
from pathlib import Path
from typing import Iterator

from .fileio import open_atomic

SHARDS = "records"
LEVEL = 3  # zstd's default level (scripts/bench_batch.py prints the output size it gives)
PATTERN = "part-*.jsonl.zst"


def write_shard(outdir: Path, group: int, lines: list[str]) -> tuple[str, str, int]:
    """Compress ``lines`` (records without newlines) into the group's shard, fsynced and renamed
    into place; returns (name, sha256 hex, size in bytes)."""
    import zstandard

    data = zstandard.ZstdCompressor(level=LEVEL).compress("".join(f"{line}\n" for line in lines).encode("utf-8"))
    digest = hashlib.sha256(data).hexdigest()
    name = f"part-{group:06d}-{digest[:12]}.jsonl.zst"
    folder = outdir / SHARDS
    folder.mkdir(parents=True, exist_ok=True)
    with open_atomic(folder / name, "wb", perms=0o644) as f:
        f.write(data)
    return name, digest, len(data)


def read_lines(path: Path) -> Iterator[str]:
    """The records of one shard, in order (streamed: a shard is never decompressed whole)."""
    import zstandard

    with path.open("rb") as raw, zstandard.ZstdDecompressor().stream_reader(raw) as reader:
        for line in io.TextIOWrapper(reader, encoding="utf-8", newline="\n"):
            yield line.rstrip("\n")


def read_line(path: Path, line: int) -> str:
    """Record number ``line`` (0-based) of a shard; IndexError past the end."""
    for i, record in enumerate(read_lines(path)):
        if i == line:
            return record
    raise IndexError(f"{path.name} has no record {line}")


def remove_temp_files(outdir: Path) -> None:
    """Drop what a killed run left half-written, shards and files (their final names were never created)."""
    for p in chain(outdir.glob(".*.tmp"), (outdir / SHARDS).glob(".*.tmp")):
        p.unlink(missing_ok=True)


def prune_shards(outdir: Path, keep: set[str]) -> None:
    """Remove every shard of the folder that is not in ``keep`` (left by earlier runs or groups)."""
    for p in (outdir / SHARDS).glob(PATTERN):
        if p.name not in keep:
            os.unlink(p)
