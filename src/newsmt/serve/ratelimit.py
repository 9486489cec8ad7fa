"""The rate limiter every worker of one server shares: token buckets in one SQLite file (WAL mode).

A bucket per key or client address holds up to ``limit`` tokens and refills at ``limit`` per
minute; a request of n texts takes n tokens. Each take is one short write transaction
(``BEGIN IMMEDIATE``), so the workers' takes are serialized by SQLite's lock and none is lost; the
clock is the wall clock all processes share. Nothing here is worth keeping across restarts
(``synchronous=OFF``), and buckets idle for 10 minutes are dropped now and then.
"""
from __future__ import annotations

import threading
import time
from pathlib import Path

from .sqlite_shared import connect_wal

_SCHEMA = "CREATE TABLE IF NOT EXISTS buckets (who TEXT PRIMARY KEY, tokens REAL NOT NULL, at REAL NOT NULL)"
_FORGET_AFTER = 600.0


class SharedLimiter:
    """Token buckets in the SQLite file ``path`` (created if missing), shared by processes."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._db = connect_wal(self.path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute(_SCHEMA)
        self._takes = 0

    def take(self, who: str, limit: int, cost: int = 1) -> float:
        """0.0 when ``cost`` tokens were taken from ``who``'s bucket of ``limit`` per minute, else
        the seconds until they would be there (nothing taken)."""
        rate = limit / 60.0
        with self._lock:
            now = time.time()
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute("SELECT tokens, at FROM buckets WHERE who = ?", (who,)).fetchone()
                tokens = float(limit) if row is None else min(float(limit), row[0] + max(0.0, now - row[1]) * rate)
                wait = 0.0 if tokens >= cost else (cost - tokens) / rate
                if not wait:
                    tokens -= cost
                self._db.execute("INSERT INTO buckets (who, tokens, at) VALUES (?, ?, ?) ON CONFLICT(who) "
                                 "DO UPDATE SET tokens = excluded.tokens, at = excluded.at", (who, tokens, now))
                self._takes += 1
                if self._takes % 1000 == 0:
                    self._db.execute("DELETE FROM buckets WHERE at < ?", (now - _FORGET_AFTER,))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            return wait

    def close(self) -> None:
        with self._lock:
            self._db.close()
