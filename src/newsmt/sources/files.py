"""Input paths: files, directories, globs and stdin -> the files to read, each bad one an InputError.

A missing file or a pattern that matches nothing is reported for that input alone; the other
inputs are still read. File names that are not valid UTF-8 are shown with ``\\xNN`` escapes. A
gzip-compressed file (``page.html.gz``, ``feed.jsonl.gz``, or any file that starts as gzip data)
is read decompressed, as a stream, its format from the name without ``.gz``; web archives
(``.warc.gz``) are left to their reader.
"""
from __future__ import annotations

import glob
import gzip
import hashlib
import re
import sys
import zlib
from contextlib import nullcontext
from pathlib import Path
from typing import IO, ContextManager, Iterator

from ..errors import InputError

SUFFIX_FORMATS = {
    ".txt": "txt", ".text": "txt",
    ".md": "md", ".markdown": "md",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".lines": "lines",
    ".rss": "feed", ".atom": "feed", ".xml": "feed", ".json": "feed",
    ".warc": "warc", ".warc.gz": "warc",
}
MAX_STEM_BYTES = 120  # file names stay well under the usual 255-byte limit with any suffix
_UNSAFE_ID = re.compile(r"[^\w.-]+")


def display(path: str | Path) -> str:
    """A path as printable text: bytes that were not valid UTF-8 in the name become ``\\xNN``."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def detect_format(path: str | Path) -> str:
    """Input format from the file suffix (``.warc.gz`` included); unknown suffixes and stdin are txt."""
    return _known_format(path) or "txt"


def _known_format(path: str | Path) -> str:
    name = Path(path).name.lower() if str(path) != "-" else ""
    if name.endswith(".gz") and not name.endswith(".warc.gz"):
        name = name[:-3]
    return next((fmt for suffix, fmt in SUFFIX_FORMATS.items() if name.endswith(suffix)), "")


def file_stem(path: str | Path) -> str:
    """A file's name without its suffix (and without ``.gz`` first): ``page.html.gz`` -> ``page``."""
    name = Path(path).name
    return Path(name[:-3] if name.lower().endswith(".gz") else name).stem


def safe_filename(name: str) -> str:
    """A document id or file stem made safe as a file name: no separators, no leading dot, at most
    ``MAX_STEM_BYTES`` bytes (a longer one keeps its start and gets a hash of the whole)."""
    safe = _UNSAFE_ID.sub("_", display(name)).strip("._") or "doc"
    if len(safe.encode("utf-8")) <= MAX_STEM_BYTES:
        return safe
    digest = hashlib.sha256(safe.encode("utf-8")).hexdigest()[:16]
    head = safe.encode("utf-8")[:MAX_STEM_BYTES - 17].decode("utf-8", "ignore")
    return f"{head}-{digest}"


def expand_inputs(inputs: list[str], skip: Path | None = None) -> Iterator[Path | InputError]:
    """Files (any suffix), directories (recursively, known suffixes only, hidden entries skipped)
    and glob patterns -> sorted, de-duplicated paths; "-" (stdin) is kept. An input that is
    missing or matches nothing is yielded as its InputError (first, in argument order).

    ``skip``: a folder whose files are never picked up from a directory or pattern (the output
    folder of the job); files named explicitly are always read."""
    found: set[Path] = set()
    errors: list[InputError] = []
    skip = skip.resolve() if skip is not None else None
    for item in inputs:
        if item == "-":
            found.add(Path("-"))
            continue
        p = Path(item)
        if p.is_file():
            found.add(p)
            continue
        if glob.has_magic(item) and not p.exists():
            matches = [Path(m) for m in sorted(glob.glob(item, recursive=True))]
        elif p.is_dir():
            matches = [p]
        else:
            errors.append(InputError(f"{display(item)}: no such file or directory" if not p.exists()
                                     else f"{display(item)}: not a regular file or directory"))
            continue
        files = [f for m in matches for f in (_dir_files(m) if m.is_dir() else [m] if m.is_file() else [])]
        kept = [f for f in files if skip is None or skip not in f.resolve().parents]
        if not kept:
            what = "matches no file" if glob.has_magic(item) else "holds no input file"
            why = " outside the output folder" if files else f" (known suffixes: {', '.join(SUFFIX_FORMATS)})"
            errors.append(InputError(f"{display(item)}: {what}{why}"))
        found.update(kept)
    yield from errors
    yield from sorted(found)


def _dir_files(root: Path) -> list[Path]:
    return [
        f for f in root.rglob("*")
        if _known_format(f) and f.is_file() and not any(part.startswith(".") for part in f.relative_to(root).parts)
    ]


def open_binary(path: str | Path) -> ContextManager[IO[bytes]]:
    """The file (or stdin for "-") opened for reading bytes; InputError when it cannot be read."""
    if str(path) == "-":
        if sys.stdin is None or sys.stdin.closed:
            raise InputError("-: standard input is closed")
        return nullcontext(sys.stdin.buffer)  # read stdin, never close it
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{display(p)}: no such file" if not p.exists() else f"{display(p)}: not a regular file")
    try:
        f = p.open("rb")
    except OSError as e:
        raise InputError(f"{display(p)}: cannot read ({e.strerror})") from None
    if f.peek(2)[:2] != b"\x1f\x8b" or _known_format(p) == "warc":
        return f
    return _Gunzip(display(p), f)


class _Gunzip(gzip.GzipFile):
    """A gzip file read as a stream of its data; damaged data is an InputError naming the file."""

    def __init__(self, shown: str, raw: IO[bytes]) -> None:
        super().__init__(fileobj=raw, mode="rb")
        self.shown, self.raw = shown, raw

    def read(self, size: int = -1) -> bytes:
        return self._guarded(super().read, size)

    def readline(self, size: int = -1) -> bytes:
        return self._guarded(super().readline, size)

    def _guarded(self, fn, size: int) -> bytes:
        try:
            return fn(size)
        except (EOFError, zlib.error, gzip.BadGzipFile) as e:
            raise InputError(f"{self.shown}: damaged gzip data ({e})") from None

    def close(self) -> None:
        super().close()
        self.raw.close()
