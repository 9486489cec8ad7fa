"""``newsmt serve`` (the HTTP service over the same pipeline), ``newsmt suggestions export`` (what its
``/suggest`` collected, as TMX) and ``newsmt score`` (any translation)."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .common import CONFIG, OUTFILE, OVERRIDES, app, command, fail, language, output_paths


@command(app, "serve")
def serve_cmd(
    config: Optional[str] = CONFIG,
    overrides: List[str] = OVERRIDES,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (loopback by default)."),
    port: int = typer.Option(5000, "--port", help="Port."),
    workers: int = typer.Option(1, "--workers", help="Server processes (each with its own models) or Ray Serve replicas."),
    api_keys: Optional[Path] = typer.Option(None, "--api-keys", help="File: one key per line, or key,texts_per_minute."),
    require_api_key: bool = typer.Option(False, "--require-api-key", help="Refuse requests without a key (else they get rate_limit per address)."),
    engine: str = typer.Option("local", "--engine", help="local (uvicorn) or ray (Ray Serve)."),
    options: List[str] = typer.Option([], "--option", help="A limit, e.g. --option max_chars=20000 (max_queue, timeout, rate_limit, "
                                      "read_timeout, max_client_connections, suggestions, sanitize_html, cors_origins, "
                                      "preload, log_json, ...; repeatable)."),
) -> None:
    """Serve translations and aligned articles over HTTP until Ctrl-C (in-flight requests finish)."""
    from ..config import load_config
    from ..errors import extras_needed

    with extras_needed():  # fastapi, uvicorn: the [serve] extra
        from ..serve import ServeOptions, serve

    cfg = load_config(config, overrides)
    opts = ServeOptions.from_strings(options, api_keys=api_keys, require_api_key=require_api_key or None)
    try:
        serve(cfg, host, port, workers, engine=engine, **vars(opts))
    except KeyboardInterrupt:  # Ctrl-C is how a server is stopped: in-flight requests have finished
        pass
    typer.echo("newsmt: server stopped", err=True)


suggestions_app = typer.Typer(help="Translation suggestions sent to a server's /suggest.", no_args_is_help=True)
app.add_typer(suggestions_app, name="suggestions")


@command(suggestions_app, "export")
def suggestions_export_cmd(
    output: Path = typer.Argument(..., help="The TMX file to write."),
    db: Optional[Path] = typer.Option(None, "--db", help="The suggestions database (default: the server's, in newsmt's data folder)."),
    src: Optional[str] = typer.Option(None, "--src", "-s", help="Source language (needed when the database holds several pairs)."),
    tgt: Optional[str] = typer.Option(None, "--tgt", "-t", help="Target language as stored (pb: pt-BR)."),
) -> None:
    """Write one language pair's suggestions as TMX 1.4b (the newest suggestion for each text)."""
    from ..fileio import write_atomic
    from ..serve.suggestions import SuggestionStore, suggestions_tmx

    store = SuggestionStore(db, create=False)
    try:
        tmx, n = suggestions_tmx(store, language(src), language(tgt))
    finally:
        store.close()
    write_atomic(output, tmx)
    typer.echo(f"wrote {n} suggestion{'s' if n != 1 else ''} to {output}", err=True)


@command(app, "score")
def score_cmd(
    source: Path = typer.Argument(..., help="Source sentences, one per line; or JSONL with src and tgt (then no TRANSLATION)."),
    translation: Optional[Path] = typer.Argument(None, help="Translations, line-aligned with SOURCE."),
    src: str = typer.Option(..., "--src", "-s", help="Source language."),
    tgt: str = typer.Option(..., "--tgt", "-t", help="Target language."),
    threshold: Optional[float] = typer.Option(None, "--threshold", help="Score below which a line is flagged low_quality."),
    output: Optional[str] = OUTFILE,
) -> None:
    """Score translations made by anyone: one JSONL record per line (score, flags, evidence), then a
    summary line with flag counts on stderr."""
    import json
    import time

    from ..api import score_texts
    from ..errors import OutputError
    from ..fileio import write_atomic
    from ..sources import safe_filename
    from ..score import read_pairs, summary_line

    src, tgt = language(src), language(tgt)
    start = time.perf_counter()
    pairs, errors = read_pairs(source, translation)
    for error in errors:
        typer.echo(f"newsmt: error: {error}", err=True)
    records = score_texts([s for _, s, _ in pairs], [t for _, _, t in pairs], src, tgt, threshold) if pairs else []
    for record, (n, _, _) in zip(records, pairs):
        record["line"] = n  # the line of the file
    lines = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records)
    file, folder = output_paths(output)
    if folder is not None:  # one result: <source stem>.scores.jsonl in that folder
        folder.mkdir(parents=True, exist_ok=True)
        file = folder / f"{safe_filename(source.stem)}.scores.jsonl"
    if file is None:
        typer.echo(lines, nl=False)
    elif records:
        try:
            write_atomic(file, lines)
        except OSError as e:
            raise OutputError(f"cannot write {file}: {e.strerror or e}") from None
    typer.echo(summary_line(records, time.perf_counter() - start), err=True)
    if errors:
        fail(f"{len(errors)} of {len(errors) + len(pairs)} lines could not be scored (see above)"
             + ("; the others were scored" if pairs else ""), 2)
