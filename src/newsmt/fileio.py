"""Small file helpers shared by writers, the model registry and the backends.

Imports nothing from newsmt, so any module may use it without an import cycle. Every temporary
name is random and created beside its target (same file system, so ``os.replace`` is a rename).
"""
from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


def unique_sibling(path: Path, tag: str = "tmp") -> Path:
    """A hidden name beside ``path`` that does not exist yet: ``.<name>.<random>.<tag>``.

    The name is only a candidate: create it exclusively (``O_EXCL``, ``mkdir``) to own it.
    """
    path = Path(path)
    while True:
        candidate = path.with_name(f".{path.name}.{secrets.token_hex(4)}.{tag}")
        if not os.path.lexists(candidate):
            return candidate


@contextmanager
def open_atomic(path: Path, mode: str = "wb", perms: int = 0o666, **kwargs: Any) -> Iterator[IO[Any]]:
    """A file object writing to a new temporary file beside ``path`` (random name, created
    exclusively with ``O_EXCL``: never a file or a link planted by someone else). When the block
    ends it is flushed, fsynced and renamed over ``path``, so readers see the old file or the
    complete new one, never a partial write; on an error it is removed. ``mode``: "wb" or "w"
    (with ``encoding``/``newline`` as for ``open``); ``perms`` before the umask."""
    tmp = unique_sibling(Path(path))
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, perms)
    try:
        with os.fdopen(fd, mode, **kwargs) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` (str as UTF-8) to ``path`` atomically (see ``open_atomic``)."""
    with open_atomic(path) as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)


def replace_dir(staging: Path, dest: Path) -> None:
    """Move a complete folder into place, replacing an older one, with renames only: ``dest`` is
    always either the old folder or the complete new one."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    old = unique_sibling(dest, "old")
    if dest.exists():
        os.replace(dest, old)
    os.replace(staging, dest)
    shutil.rmtree(old, ignore_errors=True)
