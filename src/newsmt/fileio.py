"""Small file helpers shared by writers, the model registry and the backends.

Imports nothing from newsmt, so any module may use it without an import cycle. Every temporary
name is random and created beside its target (same file system, so ``os.replace`` is a rename).
"""
from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path


def unique_sibling(path: Path, tag: str = "tmp") -> Path:
    """A hidden name beside ``path`` that does not exist yet: ``.<name>.<random>.<tag>``.

    The name is only a candidate: create it exclusively (``O_EXCL``, ``mkdir``) to own it.
    """
    path = Path(path)
    while True:
        candidate = path.with_name(f".{path.name}.{secrets.token_hex(4)}.{tag}")
        if not os.path.lexists(candidate):
            return candidate


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write via a temporary file in the same directory, fsync, then ``os.replace``: readers see
    the old file or the complete new one, never a partial write.

    The temporary file has a random name and is created exclusively (``O_EXCL``): never a file
    (or a link planted) by someone else.
    """
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    tmp = unique_sibling(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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
