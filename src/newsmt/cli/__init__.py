"""The ``newsmt`` command line: parse arguments, call the Python API, print. No logic of its own."""
from __future__ import annotations

from . import articles, results, service, tools  # noqa: F401  (the commands register themselves on the apps)
from .common import app

__all__ = ["app"]
