"""A batch job's index on disk (SQLite, ``.newsmt/``), so the driver's memory stays flat.

``index.sqlite`` is the journal of group commits: one transaction per group (WAL, no fsync of its
own: the group's shard was fsynced before it), so a kill loses at most the groups not yet
committed. Its tables:

    groups(g, fingerprint, shard, sha256, bytes, records, clean, flags, models)   one row per group of the plan
    items(g, i, id, source, key, status, shard, line, reason, candidate, digest, duplicate_of)
                                                          one row per article (or unreadable item), input order
    records(key, shard, line)                                             where each finished record lies
    meta(name, value)        "finished": the inputs digest of the last complete run, "models" it used

``records`` spans every shard still on disk, so a worker finds a finished article by its content
key wherever an earlier run put it (``RecordFinder``). ``scratch.sqlite`` holds what one run must
remember about every article it has read (names claimed, bodies seen) and is dropped after it.
"""
from __future__ import annotations

import json
import sqlite3
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, NamedTuple

from .shards import SHARDS, read_lines

STATE = ".newsmt"
VERSION = 2  # PRAGMA user_version: an index of an older layout is dropped (its records' shards are reused)
SCHEMA = """
CREATE TABLE IF NOT EXISTS groups(g INTEGER PRIMARY KEY, fingerprint BLOB NOT NULL, shard TEXT NOT NULL,
    sha256 TEXT NOT NULL, bytes INTEGER NOT NULL, records INTEGER NOT NULL, clean INTEGER NOT NULL, flags TEXT NOT NULL,
    models TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items(g INTEGER NOT NULL, i INTEGER NOT NULL, id TEXT NOT NULL, source TEXT NOT NULL,
    key TEXT NOT NULL, status TEXT NOT NULL, shard TEXT NOT NULL, line INTEGER NOT NULL, reason TEXT NOT NULL,
    candidate TEXT NOT NULL, digest BLOB NOT NULL, duplicate_of TEXT NOT NULL, PRIMARY KEY(g, i)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS items_by_id ON items(id);
CREATE TABLE IF NOT EXISTS records(key TEXT NOT NULL, shard TEXT NOT NULL, line INTEGER NOT NULL,
    PRIMARY KEY(key, shard)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class Row(NamedTuple):
    """An items row; ``candidate`` and ``digest`` decided ``id`` and ``duplicate_of`` (``plan.Resolver``)."""

    g: int  # the group
    i: int  # the place in it
    id: str
    source: str
    key: str
    status: str
    shard: str
    line: int
    reason: str
    candidate: str  # the id as read ("" for an unreadable item)
    digest: bytes  # the body digest (b"": none)
    duplicate_of: str


def index_path(outdir: Path) -> Path:
    return outdir / STATE / "index.sqlite"


class Journal:
    """The driver's connection: group commits, the views at the end, pruning."""

    def __init__(self, outdir: Path) -> None:
        self.db = sqlite3.connect(index_path(outdir), isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        if self.db.execute("PRAGMA user_version").fetchone()[0] != VERSION:
            self.db.executescript("DROP TABLE IF EXISTS groups; DROP TABLE IF EXISTS items; DROP TABLE IF EXISTS meta;"
                                  f"PRAGMA user_version={VERSION}")
        self.db.executescript(SCHEMA)

    def get(self, name: str) -> str:
        row = self.db.execute("SELECT value FROM meta WHERE name=?", (name,)).fetchone()
        return row[0] if row else ""

    def set(self, name: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    def clean(self) -> bool:
        """Whether no article of any group failed in a worker (their failures are retried)."""
        return self.db.execute("SELECT 1 FROM groups WHERE clean=0 LIMIT 1").fetchone() is None

    def finished(self, g: int, fingerprint: bytes) -> tuple[str, dict[str, dict[str, str]]] | None:
        """(shard, models) of group ``g`` when committed with this fingerprint and no failures."""
        row = self.db.execute("SELECT shard, models FROM groups WHERE g=? AND fingerprint=? AND clean=1",
                              (g, fingerprint)).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def rows(self, g: int) -> list[Row]:
        """The items of group ``g`` in order."""
        return list(map(Row._make, self.db.execute("SELECT * FROM items WHERE g=? ORDER BY i", (g,))))

    def commit(self, g: int, fingerprint: bytes, shard: dict[str, Any], rows: list[Row], flags: dict[str, int],
               models: dict[str, dict[str, str]]) -> None:
        """Record a written group in one transaction: its shard, its articles, where its records lie."""
        clean = all(r.status != "failed" or not r.key for r in rows)  # only failures without a key are final
        with self._transaction():
            self.db.execute("INSERT OR REPLACE INTO groups VALUES (?,?,?,?,?,?,?,?,?)",
                            (g, fingerprint, shard["name"], shard["sha256"], shard["bytes"], shard["records"],
                             int(clean), json.dumps(flags, sort_keys=True), json.dumps(models, sort_keys=True)))
            self.db.execute("DELETE FROM items WHERE g=?", (g,))
            self.db.executemany("INSERT INTO items VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            self.db.executemany("INSERT OR REPLACE INTO records VALUES (?,?,?)",
                                [(r.key, r.shard, r.line) for r in rows if r.line >= 0])

    def offer(self, shard: str, records: list[tuple[str, int]]) -> None:
        """Let workers reuse the records (key, line) of a shard no group commits (a group written
        again with the driver's decisions): they are dropped with it at the end of the job."""
        with self._transaction():
            self.db.executemany("INSERT OR REPLACE INTO records VALUES (?,?,?)", [(k, shard, n) for k, n in records])

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """BEGIN; COMMIT at the end of the block, ROLLBACK on an error."""
        self.db.execute("BEGIN")
        with self.db:
            yield

    def shards(self, groups: int) -> list[dict[str, Any]]:
        """The shards of the plan's groups, in order."""
        rows = self.db.execute("SELECT shard, sha256, bytes, records FROM groups WHERE g < ? ORDER BY g", (groups,))
        return [{"name": f"{SHARDS}/{n}", "sha256": h, "bytes": b, "records": r} for n, h, b, r in rows]

    def groups(self) -> int:
        return self.db.execute("SELECT count(*) FROM groups").fetchone()[0]

    def counts(self, groups: int) -> dict[str, int]:
        """Articles of the plan per status."""
        return dict(self.db.execute("SELECT status, count(*) FROM items WHERE g < ? GROUP BY status", (groups,)))

    def flags(self, groups: int) -> dict[str, int]:
        total: Counter[str] = Counter()
        for (flags,) in self.db.execute("SELECT flags FROM groups WHERE g < ?", (groups,)):
            total.update(json.loads(flags))
        return dict(sorted(total.items()))

    def items(self, groups: int, status: str | None = None) -> Iterator[Row]:
        """The articles of the plan in input order (only those of ``status`` when given)."""
        sql = "SELECT * FROM items WHERE g < ?" + (" AND status = ?" if status else "") + " ORDER BY g, i"
        yield from map(Row._make, self.db.execute(sql, (groups, status) if status else (groups,)))

    def prune(self, groups: int) -> None:
        """Forget groups, articles and records beyond the plan (their shards are removed by the caller)."""
        with self._transaction():
            self.db.execute("DELETE FROM groups WHERE g >= ?", (groups,))
            self.db.execute("DELETE FROM items WHERE g >= ?", (groups,))
            self.db.execute("DELETE FROM records WHERE shard NOT IN (SELECT shard FROM groups)")

    def close(self) -> None:
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.close()


def open_index(outdir: Path) -> sqlite3.Connection | None:
    """A read-only connection to a job's index; None when the folder holds no job."""
    path = index_path(outdir)
    if not path.is_file():
        return None
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)


class RecordFinder:
    """A worker's read-only view of the index: the finished record of a content key, if any shard
    holds one (the last shard read is kept decompressed: a group's old records are mostly in one)."""

    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir
        self.db: sqlite3.Connection | None = None
        self.cached: tuple[str, list[str]] = ("", [])

    def close(self) -> None:
        if self.db is not None:
            self.db.close()

    def find(self, keys: list[str]) -> dict[str, str]:
        """The finished record of each of ``keys`` that a shard on disk holds (one query per 500)."""
        if self.db is None:
            self.db = open_index(self.outdir)
            if self.db is None:
                return {}
        rows: list[tuple[str, str, int]] = []
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            marks = ",".join("?" * len(chunk))
            rows += self.db.execute(f"SELECT key, shard, line FROM records WHERE key IN ({marks})", chunk)
        found: dict[str, str] = {}
        for key, shard, line in sorted(rows, key=lambda r: r[1]):  # each shard decompressed once
            if key in found:
                continue
            try:
                if self.cached[0] != shard:
                    self.cached = (shard, list(read_lines(self.outdir / SHARDS / shard)))
                found[key] = self.cached[1][line]
            except (OSError, IndexError):  # a shard removed by hand: recompute
                continue
        return found


def _scratch_files(outdir: Path) -> list[Path]:
    path = outdir / STATE / "scratch.sqlite"
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


class Scratch:
    """What one run remembers about every article settled, on disk: the file stems claimed (a set
    for ``naming.OutputNamer``) and the first id of each body (duplicates). Committed after each
    group (``commit``), so workers see what is settled (``ScratchView``)."""

    def __init__(self, outdir: Path) -> None:
        self.files = _scratch_files(outdir)
        for f in self.files:
            f.unlink(missing_ok=True)
        self.db = sqlite3.connect(self.files[0], isolation_level=None)
        self.db.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
                              "CREATE TABLE names(stem TEXT PRIMARY KEY) WITHOUT ROWID;"
                              "CREATE TABLE bodies(digest BLOB PRIMARY KEY, id TEXT NOT NULL) WITHOUT ROWID; BEGIN")

    def __contains__(self, stem: object) -> bool:
        return self.db.execute("SELECT 1 FROM names WHERE stem=?", (stem,)).fetchone() is not None

    def add(self, stem: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO names VALUES (?)", (stem,))

    def first_with(self, digest: bytes, doc_id: str) -> str:
        """The id of the first article read with this body (``doc_id`` when it is the first)."""
        if self.db.execute("INSERT OR IGNORE INTO bodies VALUES (?, ?)", (digest, doc_id)).rowcount:
            return doc_id
        return self.db.execute("SELECT id FROM bodies WHERE digest=?", (digest,)).fetchone()[0]

    def commit(self) -> None:
        self.db.execute("COMMIT")
        self.db.execute("BEGIN")

    def close(self) -> None:
        self.db.close()
        for f in self.files:
            f.unlink(missing_ok=True)


class ScratchView:
    """A worker's read-only view of the run's ``Scratch``: the stems and bodies settled so far
    (nothing when it cannot be read: the worker then settles its group alone)."""

    def __init__(self, outdir: Path) -> None:
        self.path, self.db = _scratch_files(outdir)[0], None

    def _query(self, sql: str, arg: object) -> tuple | None:
        try:
            if self.db is None:
                if not self.path.is_file():
                    return None
                self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, isolation_level=None)
            return self.db.execute(sql, (arg,)).fetchone()
        except sqlite3.Error:
            return None

    def taken(self, stem: str) -> bool:
        return self._query("SELECT 1 FROM names WHERE stem=?", stem) is not None

    def first(self, digest: bytes) -> str:
        """The id of the settled article with this body ("" when none)."""
        row = self._query("SELECT id FROM bodies WHERE digest=?", digest)
        return row[0] if row else ""

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
