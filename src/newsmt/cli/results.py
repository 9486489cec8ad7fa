"""The commands that read a ``newsmt run`` output folder back: ``show`` (some articles) and
``export`` (all of them), as records or any output format."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..errors import NewsmtError
from .common import app, check_output_formats, command, fail

OUTDIR = typer.Argument(..., help="The output folder of a `newsmt run`.")
AS = typer.Option("record", "--format", "-f", help="record (the JSON line) or an output format: jsonl, doc, summary-jsonl, md, html...")


def _render(record: str, fmt: str) -> str:
    if fmt == "record":  # the stored line is already the record, byte for byte
        return record + "\n"
    from ..document import Document
    from ..writers import render

    return render(Document.from_json(record), fmt)


@command(app, "show")
def show_cmd(outdir: Path = OUTDIR, ids: List[str] = typer.Argument(..., help="Article ids (or content keys, or sources such as feed.jsonl:7)."),
             fmt: str = AS) -> None:
    """Print articles of a run from its shards; a missing or failed one is one error line (exit 2)."""
    from ..results import find

    check_output_formats([fmt])
    missing = 0
    for ref in ids:
        try:
            typer.echo(_render(find(outdir, ref), fmt), nl=False)
        except NewsmtError as e:
            if e.exit_code != 2:
                raise
            missing += 1
            typer.echo(f"newsmt: error: {e}", err=True)
    if missing:
        raise typer.Exit(2)


@command(app, "export")
def export_cmd(outdir: Path = OUTDIR, fmt: str = AS,
               output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here (atomically) instead of stdout.")) -> None:
    """Every record of a run in input order (records.jsonl), or each article rendered in a format."""
    from ..fileio import open_atomic
    from ..results import records

    check_output_formats([fmt])
    if output is None:
        for record in records(outdir):
            typer.echo(_render(record, fmt), nl=False)
        return
    if output.is_dir():
        fail(f"{output}: is a folder; give a file name", 5)
    with open_atomic(output, "w", encoding="utf-8", newline="\n", perms=0o644) as f:
        f.writelines(_render(record, fmt) for record in records(outdir))
