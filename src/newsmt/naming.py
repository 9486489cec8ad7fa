"""One output namer for every command: each article of a call gets its own file stem.

Document ids become safe file stems (``sources.files.safe_filename``); when two articles of one
call would share a stem (``a/story.txt`` and ``b/story.txt``, ``x.txt`` and ``x.md``, ids ``a/b`` and
``a_b``, a repeated id), the later ones get ``-2``, ``-3``... so no article's outputs overwrite
another's. The index of the call says which input each name came from.
"""
from __future__ import annotations

from typing import Protocol

from .sources.files import safe_filename


class Taken(Protocol):
    """Where the stems claimed so far are kept: a set, or one on disk (``journal.Scratch``)."""

    def __contains__(self, stem: object) -> bool: ...

    def add(self, stem: str) -> None: ...


class OutputNamer:
    """Unique document ids (hence file stems) within one call, in the order articles arrive."""

    def __init__(self, taken: Taken | None = None) -> None:
        self._taken: Taken = set() if taken is None else taken

    def claim(self, doc_id: str) -> str:
        """``doc_id``, or ``doc_id-2``, ``doc_id-3``... when an earlier article's files have its stem."""
        candidate, n = doc_id, 1
        while safe_filename(candidate).lower() in self._taken:  # case-insensitive file systems too
            n += 1
            candidate = f"{doc_id}-{n}"
        self._taken.add(safe_filename(candidate).lower())
        return candidate
