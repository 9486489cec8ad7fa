"""The ``newsmt`` command line: parse arguments, call the Python API, print. No logic of its own."""
from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Callable, List, Optional

import typer

from .errors import NewsmtError

app = typer.Typer(
    help="News articles into sentence-aligned translations and attributed summaries.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
)
models_app = typer.Typer(help="List, inspect, pull and convert translation models.", no_args_is_help=True)
eval_app = typer.Typer(help="Score outputs against references (segmentation, MT, summaries).", no_args_is_help=True)
app.add_typer(models_app, name="models")
app.add_typer(eval_app, name="eval")


def fail(message: str, code: int = 1) -> None:
    """Print one clear error line and exit non-zero."""
    typer.echo(f"newsmt: error: {message}", err=True)
    raise typer.Exit(code)


def handle_errors(fn: Callable) -> Callable:
    """Turn NewsmtError (and a few OS errors) into one message and an exit code, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except NewsmtError as e:
            fail(str(e), e.exit_code)
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0)
        except KeyboardInterrupt:
            fail("interrupted", 130)

    return wrapper


# ---- segment (issue 2) -----------------------------------------------------------------------
# ---- translate (issues 3, 8) -----------------------------------------------------------------
# ---- summarize (issue 4) ---------------------------------------------------------------------
# ---- run (issue 5) ---------------------------------------------------------------------------
# ---- models (issues 3, 8) --------------------------------------------------------------------
# ---- eval ------------------------------------------------------------------------------------


def main() -> None:  # pragma: no cover
    app()
