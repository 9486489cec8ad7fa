"""A SQLite file several server processes open at once (the rate limiter, the suggestions)."""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

TIMEOUT = 10.0  # seconds a process waits for another one's lock


def connect_wal(path: Path, **kwargs: Any) -> sqlite3.Connection:
    """A connection to ``path`` in WAL mode. Switching to WAL can fail at once with "database is
    locked" while another process opens or switches the same file (SQLite does not wait on its
    busy timeout there), so it is tried again until ``TIMEOUT``."""
    db = sqlite3.connect(path, timeout=TIMEOUT, **kwargs)
    deadline = time.monotonic() + TIMEOUT
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return db
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                db.close()
                raise
            time.sleep(0.01)
