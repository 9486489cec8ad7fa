"""``python -m newsmt.serve ARGS``: the same as ``newsmt serve ARGS``."""
from __future__ import annotations

import sys

from ..cli import app

app(["serve", *sys.argv[1:]], prog_name="newsmt")
