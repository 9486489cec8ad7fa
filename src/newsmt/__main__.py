"""``python -m newsmt``: the command line, for environments whose scripts folder is not on PATH."""
from newsmt.cli import app

app(prog_name="newsmt")
