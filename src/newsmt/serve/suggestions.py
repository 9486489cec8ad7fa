"""Translation suggestions (LibreTranslate's ``/suggest``) kept in an SQLite file, exported as TMX.

The file is ``suggestions_db`` (default: ``suggestions.sqlite`` in newsmt's data folder, beside the
models: ``$NEWSMT_HOME`` or e.g. ``~/.local/share/newsmt``); every worker writes to it (WAL mode).
``newsmt suggestions export`` writes one language pair's suggestions as TMX 1.4b (the writer of
``--output-format tmx``), the newest suggestion for a source text winning.
"""
from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path

from ..document import Document, Paragraph, Sentence, Translation
from ..errors import ConfigError, InputError
from .sqlite_shared import connect_wal

_SCHEMA = ("CREATE TABLE IF NOT EXISTS suggestions (id INTEGER PRIMARY KEY, q TEXT NOT NULL, s TEXT NOT NULL, "
           "source TEXT NOT NULL, target TEXT NOT NULL, created TEXT NOT NULL)")


def default_path() -> Path:
    from ..models.folders import models_home

    return models_home().parent / "suggestions.sqlite"


class SuggestionStore:
    """The suggestions in the SQLite file ``path`` (created with its folder if missing)."""

    def __init__(self, path: Path | None = None, create: bool = True) -> None:
        self.path = Path(path) if path else default_path()
        if not create and not self.path.is_file():
            raise InputError(f"no suggestions database at {self.path}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = connect_wal(self.path, check_same_thread=False)
            self._db.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as e:
            raise ConfigError(f"cannot open the suggestions database {self.path}: {e}") from None
        self._lock = threading.Lock()

    def add(self, q: str, s: str, source: str, target: str) -> None:
        created = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._lock, self._db:
            self._db.execute("INSERT INTO suggestions (q, s, source, target, created) VALUES (?, ?, ?, ?, ?)",
                             (q, s, source, target, created))

    def pairs(self) -> list[tuple[str, str, int]]:
        with self._lock:
            return self._db.execute("SELECT source, target, COUNT(*) FROM suggestions GROUP BY source, target "
                                    "ORDER BY source, target").fetchall()

    def latest(self, source: str, target: str) -> list[tuple[str, str]]:
        """(text, suggestion) per source text of the pair, the newest suggestion, oldest text first."""
        with self._lock:
            rows = self._db.execute("SELECT q, s FROM suggestions WHERE source = ? AND target = ? ORDER BY id",
                                    (source, target)).fetchall()
        return list(dict(rows).items())

    def close(self) -> None:
        with self._lock:
            self._db.close()


def suggestions_tmx(store: SuggestionStore, source: str | None = None, target: str | None = None) -> tuple[str, int]:
    """(TMX, number of units) of one pair's suggestions; the pair may be left out when the store
    holds one. InputError when there is none or the choice is ambiguous."""
    from ..writers.exchange import render_tmx

    pairs = [(s, t) for s, t, _ in store.pairs()]
    if source and target:
        pair = (source, target)
    elif len(pairs) == 1 and not source and not target:
        pair = pairs[0]
    else:
        listed = ", ".join(f"{s}-{t}" for s, t in pairs) or "none"
        raise InputError(f"name the pair with --src and --tgt (the database holds suggestions for: {listed})")
    rows = store.latest(*pair)
    if not rows:
        raise InputError(f"no suggestions for {pair[0]}-{pair[1]} in {store.path}")
    doc = Document("suggestions", pair[0], "", tgt_lang=pair[1])
    parts, pos = [], 0
    for i, (q, s) in enumerate(rows, 1):
        start = pos + (2 if parts else 0)
        parts.append(("\n\n" if parts else "") + q)
        pos = start + len(q)
        doc.paragraphs.append(Paragraph(f"p{i}", start, pos, sentences=[Sentence(f"p{i}s1", start, pos, q)]))
        doc.translations[f"p{i}s1"] = Translation(s, model="suggestion")
    doc.text = "".join(parts)
    return render_tmx(doc), len(rows)
