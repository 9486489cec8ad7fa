"""The article commands: segment, extract, translate, summarize, run (one way through: ``pipeline``)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import ConfigError
from .common import (
    CONFIG, FORMAT, HTML, INPUTS, LANG, OUTDIR, OUTFILE, OVERRIDES, Sink, app, article_config, check_output_formats,
    command, fail, language, output_paths, process_all,
)

#: the article stages a command leaves off
READ_ONLY = {"translate.enabled": False, "summarize.enabled": False}
MAX_ERROR_LINES = 20  # `run` prints this many failed articles; errors.jsonl holds them all


@command(app, "segment")
def segment_cmd(
    inputs: List[str] = INPUTS,
    lang: Optional[str] = typer.Option(None, "--lang", "-l", help=LANG),
    fmt: Optional[str] = FORMAT,
    html: Optional[str] = HTML,
    output: Optional[str] = OUTFILE,
    config: Optional[str] = CONFIG,
    overrides: List[str] = OVERRIDES,
) -> None:
    """Split articles into sentences: JSONL, one {"doc","id","paragraph","start","end","text"} per sentence."""
    cfg = article_config(config, overrides, lang, **{"input.format": fmt, "input.html": html}, **READ_ONLY)
    file, outdir = output_paths(output)
    process_all(inputs, cfg, Sink(["segments"], outdir=outdir, file=file), "segmented")


@command(app, "extract")
def extract_cmd(
    inputs: List[str] = INPUTS,
    lang: Optional[str] = typer.Option(None, "--lang", "-l", help=LANG),
    fmt: Optional[str] = FORMAT,
    html: Optional[str] = HTML,
    out_format: str = typer.Option("jsonl", "--output-format", help="jsonl (one record per article) | txt | md."),
    output: Optional[str] = OUTFILE,
    config: Optional[str] = CONFIG,
    overrides: List[str] = OVERRIDES,
) -> None:
    """The article in each input (pages, feeds, archives, text): id, source, url, title, author,
    date, site, lang, text, paragraphs, links; one JSONL record per article."""
    formats = {"jsonl": "extract", "txt": "extract-txt", "md": "extract-md"}
    if out_format not in formats:
        raise ConfigError(f"unknown --output-format {out_format!r} for extract; use jsonl, txt or md")
    cfg = article_config(config, overrides, lang, **{"input.format": fmt, "input.html": html}, **READ_ONLY)
    file, outdir = output_paths(output)
    process_all(inputs, cfg, Sink([formats[out_format]], outdir=outdir, file=file), "extracted")


@command(app, "translate")
def translate_cmd(
    inputs: List[str] = INPUTS,
    src: Optional[str] = typer.Option(None, "--src", "-s", help=LANG),
    tgt: Optional[str] = typer.Option(None, "--tgt", "-t", help="Target language; default: the config's translate.tgt (pt)."),
    model: Optional[str] = typer.Option(None, "--model", help="Model name (see `newsmt models list`) or folder; default: the pair's."),
    backend: Optional[str] = typer.Option(None, "--backend", help="auto | bergamot | ctranslate2 | transformers."),
    beam: Optional[int] = typer.Option(None, "--beam", help="Beam size (ctranslate2/transformers)."),
    threads: Optional[int] = typer.Option(None, "--threads", help="Translation threads (0 = all cores)."),
    score: bool = typer.Option(False, "--score", help="Quality score and meaning checks per sentence (round trip; slower)."),
    fmt: Optional[str] = FORMAT,
    html: Optional[str] = HTML,
    output_formats: Optional[str] = typer.Option(
        None, "--output-format", help="Comma-separated: jsonl, doc, html, tsv, tmx, xliff, md, record "
        "(default with -o: the config's output.formats, jsonl,doc; without -o: doc on stdout)."),
    output: Optional[str] = OUTDIR,
    config: Optional[str] = CONFIG,
    overrides: List[str] = OVERRIDES,
) -> None:
    """Translate articles sentence by sentence; the closing line with flag counts goes to stderr."""
    given = {"model": model, "backend": backend, "beam": beam, "threads": threads, "score": score or None,
             "tgt": language(tgt)}
    cfg = article_config(config, overrides, src, **{f"translate.{k}": v for k, v in given.items()},
                         **{"input.format": fmt, "input.html": html, "output.formats": output_formats,
                            "translate.enabled": True, "summarize.enabled": False})
    outdir = Path(output) if output else None
    formats = cfg.output.formats if outdir is not None or output_formats else ["doc"]
    check_output_formats(formats)
    process_all(inputs, cfg, Sink(formats, outdir=outdir), "translated", (cfg.segment.lang, cfg.translate.tgt))


@command(app, "summarize")
def summarize_cmd(
    inputs: List[str] = INPUTS,
    lang: Optional[str] = typer.Option(None, "--lang", "-l", help=LANG),
    method: Optional[str] = typer.Option(None, "--method", "-m", help="extractive (default, no model) | abstractive."),
    model: Optional[str] = typer.Option(None, "--model", help="Abstractive: a transformers or CTranslate2 directory, or a Hugging Face name already cached."),
    to: Optional[str] = typer.Option(None, "--to", help="Also give the summary in this language (e.g. pt), same sources."),
    sentences: Optional[int] = typer.Option(None, "--sentences", "-n", help="Extractive length: N sentences (default 3)."),
    words: Optional[int] = typer.Option(None, "--words", help="Extractive length: at most N words."),
    ratio: Optional[float] = typer.Option(None, "--ratio", help="Extractive length: this share of the sentences (0-1)."),
    fmt: Optional[str] = FORMAT,
    html: Optional[str] = HTML,
    output: Optional[str] = typer.Option(None, "--output", "-o", metavar="DIR",
                                         help="Output folder: <doc>.summary.jsonl and <doc>.summary.md (default: JSONL on stdout)."),
    config: Optional[str] = CONFIG,
    overrides: List[str] = OVERRIDES,
) -> None:
    """Summarize articles; every summary sentence lists the source sentence ids it rests on."""
    from ..config import with_settings
    from ..languages import same_language

    lengths = {"sentences": sentences, "words": words, "ratio": ratio}
    chosen = {k: v for k, v in lengths.items() if v is not None}
    if len(chosen) > 1:
        raise ConfigError("give only one of --sentences, --words, --ratio")
    settings = {f"summarize.{k}": v for k, v in {"method": method, "model": model}.items()}
    if chosen:  # the one length given replaces any from the config (words > ratio > sentences)
        settings.update({f"summarize.{k}": chosen.get(k, 0) for k in lengths})
    to = language(to) or ""
    cfg = article_config(config, overrides, lang, **settings, **{"input.format": fmt, "input.html": html},
                         **{"translate.enabled": False, "summarize.translate": bool(to), "summarize.to": to})
    if to and same_language(to, cfg.segment.lang):  # the summary is already in that language
        cfg = with_settings(cfg, "summarize", {"translate": False, "to": ""})
    outdir = Path(output) if output else None
    sink = Sink(["summary-jsonl"] if outdir is None else ["summary-jsonl", "summary-md"], outdir=outdir)
    process_all(inputs, cfg, sink, "summarized", (cfg.segment.lang, cfg.summarize.to) if cfg.summarize.to else None)


@command(app, "run")
def run_cmd(
    inputs: List[str] = INPUTS,
    output: str = typer.Option(..., "--output", "-o", metavar="DIR", help="Output folder; running again resumes."),
    src: Optional[str] = typer.Option(None, "--src", "-s", help=LANG),
    tgt: Optional[str] = typer.Option(None, "--tgt", "-t", help="Target language; default: the config's translate.tgt (pt)."),
    config: Optional[str] = CONFIG,
    overrides: List[str] = OVERRIDES,
    workers: Optional[int] = typer.Option(None, "--workers", help="Worker processes or Ray actors (0 = one per core)."),
    threads: Optional[int] = typer.Option(None, "--threads", help="Threads per worker (0 = cores / workers)."),
    engine: Optional[str] = typer.Option(None, "--engine", help="local (processes) or ray (Ray Data)."),
    address: Optional[str] = typer.Option(None, "--address", help="Ray cluster: auto or ray://host:10001."),
    log_json: bool = typer.Option(False, "--log-json", help="One JSON event per line on stderr."),
    files: bool = typer.Option(False, "--files", help="Also per-article files of output.formats, records.jsonl and index.jsonl (small jobs)."),
) -> None:
    """Segment, translate and summarize articles into OUTDIR: record shards (records/*.jsonl.zst),
    errors.jsonl, manifest.json; read them back with `newsmt show` and `newsmt export`. Without
    --config, English to Portuguese with the bundled models."""
    from ..api import run

    cfg = article_config(config, overrides, src, **{"translate.tgt": language(tgt)})
    check_output_formats(cfg.output.formats)
    outdir = Path(output)
    summary = run(inputs, cfg, outdir, workers=workers, engine=engine, address=address, threads=threads,
                  log_json=log_json or None, files=files or None)
    if not (log_json or cfg.run.log_json):  # with it, stderr holds only events (run_done has the counts)
        if summary.failed:
            _print_failures(outdir / "errors.jsonl", summary.failed)
        typer.echo(summary.line(), err=True)
    if summary.failed:
        fail(f"{summary.failed} article(s) failed: see {outdir / 'errors.jsonl'}; the others were processed", 2)
    if not (summary.done or summary.skipped or summary.duplicates):
        fail("the inputs hold no article", 2)


def _print_failures(errors: Path, failed: int) -> None:
    """One line per failed article (the first ``MAX_ERROR_LINES``), as the other commands print them."""
    with errors.open(encoding="utf-8") as f:
        for n, line in enumerate(f):
            if n == MAX_ERROR_LINES:
                typer.echo(f"newsmt: error: … and {failed - n} more in {errors}", err=True)
                return
            error = json.loads(line)
            source = "" if error["reason"].startswith(error["source"]) else f"{error['source']}: "
            typer.echo(f"newsmt: error: {source}{error['reason']}", err=True)
