"""The article commands: segment, extract, translate, summarize, run (one way through: ``pipeline``)."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..errors import ConfigError
from .common import (
    CONFIG, FORMAT, HTML, INPUTS, OVERRIDES, Sink, app, check_output_formats, command, language, process_all,
)


@command(app, "segment")
def segment_cmd(
    inputs: List[str] = INPUTS,
    lang: str = typer.Option("en", "--lang", "-l", help="Language of the text (en, ru, pt, de, fr, es, uk; auto = detect per article)."),
    fmt: str = FORMAT,
    html: str = HTML,
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write JSONL here instead of stdout."),
) -> None:
    """Split articles into sentences: JSONL, one {"doc","id","paragraph","start","end","text"} per sentence."""
    from ..config import load_config
    from ..segment import rules_for

    lang = language(lang)
    if lang != "auto":
        rules_for(lang)
    cfg = load_config(None, [f"input.format={fmt}", f"input.html={html}", "translate.enabled=false", "summarize.enabled=false"])
    tally, _ = process_all(inputs, cfg, lang, Sink(["segments"], file=output), "segmenting")
    tally.close()


@command(app, "extract")
def extract_cmd(
    inputs: List[str] = INPUTS,
    fmt: str = FORMAT,
    html: str = HTML,
    lang: str = typer.Option("auto", "--lang", "-l", help="Language of the articles (auto = detect per article)."),
    out_format: str = typer.Option("jsonl", "--output-format", "--to", help="jsonl (one record per article) | txt | md."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
) -> None:
    """The article in each input (pages, feeds, archives, text): id, source, url, title, author,
    date, site, lang, text, paragraphs, links; one JSONL record per article."""
    from ..config import load_config

    lang = language(lang)
    formats = {"jsonl": "extract", "txt": "extract-txt", "md": "extract-md"}
    if out_format not in formats:
        raise ConfigError(f"unknown --output-format {out_format!r} for extract; use jsonl, txt or md")
    cfg = load_config(None, [f"input.format={fmt}", f"input.html={html}", "translate.enabled=false",
                             "summarize.enabled=false"])
    tally, _ = process_all(inputs, cfg, lang, Sink([formats[out_format]], file=output), "extracting")
    tally.close()


@command(app, "translate")
def translate_cmd(
    inputs: List[str] = INPUTS,
    src: str = typer.Option("en", "--src", "-s", help="Source language (e.g. en; auto = detect per article)."),
    tgt: str = typer.Option(..., "--tgt", "-t", help="Target language (e.g. pt)."),
    model: Optional[str] = typer.Option(None, "--model", help="Model name (see `newsmt models list`) or folder; default: the pair's."),
    backend: Optional[str] = typer.Option(None, "--backend", help="auto | bergamot | ctranslate2 | transformers."),
    beam: Optional[int] = typer.Option(None, "--beam", help="Beam size (ctranslate2/transformers)."),
    threads: Optional[int] = typer.Option(None, "--threads", help="Translation threads (0 = all cores)."),
    score: bool = typer.Option(False, "--score", help="Quality score and flags per sentence (embeddings; slower)."),
    fmt: str = FORMAT,
    html: str = HTML,
    output_formats: Optional[str] = typer.Option(None, "--output-format", help="Comma-separated: jsonl, doc, html, tsv, tmx, xliff, md, record (default jsonl,doc; without -o: doc)."),
    outdir: Optional[Path] = typer.Option(None, "--outdir", "-o", help="Write <doc><suffix> files here (default: the output on stdout)."),
    config: Optional[Path] = CONFIG,
    overrides: List[str] = OVERRIDES,
) -> None:
    """Translate articles sentence by sentence; a one-line summary with flag counts goes to stderr."""
    import time

    src, tgt = language(src), language(tgt)
    from ..config import load_config
    from ..translate.engine import summary_line

    given = {"model": model, "backend": backend, "beam": beam, "threads": threads, "score": score or None}
    extra = [f"translate.{k}={v}" for k, v in given.items() if v is not None]
    extra += [f"translate.tgt={tgt}", f"input.format={fmt}", f"input.html={html}", "summarize.enabled=false"]
    if output_formats:
        extra.append(f"output.formats={output_formats}")
    cfg = load_config(config, overrides + extra)
    formats = cfg.output.formats if outdir is not None or output_formats else ["doc"]
    check_output_formats(formats)
    start = time.perf_counter()
    preload = (src, tgt) if src != "auto" else None  # a fixed pair fails on its model before reading
    tally, engine = process_all(inputs, cfg, src, Sink(formats, outdir=outdir), "translating", preload)
    if engine is not None and (tally.done or not tally.failed):
        typer.echo(summary_line(engine.stats, tally.done, time.perf_counter() - start), err=True)
    tally.close()


@command(app, "summarize")
def summarize_cmd(
    inputs: List[str] = INPUTS,
    lang: str = typer.Option("en", "--lang", "-l", help="Language of the articles (auto = detect per article)."),
    method: Optional[str] = typer.Option(None, "--method", "-m", help="extractive (default, no model) | abstractive."),
    model: Optional[str] = typer.Option(None, "--model", help="Abstractive: a transformers or CTranslate2 directory, or a Hugging Face name already cached."),
    to: Optional[str] = typer.Option(None, "--to", help="Also give the summary in this language (e.g. pt), same sources."),
    sentences: Optional[int] = typer.Option(None, "--sentences", "-n", help="Extractive length: N sentences (default 3)."),
    words: Optional[int] = typer.Option(None, "--words", help="Extractive length: at most N words."),
    ratio: Optional[float] = typer.Option(None, "--ratio", help="Extractive length: this share of the sentences (0-1)."),
    fmt: str = FORMAT,
    html: str = HTML,
    outdir: Optional[Path] = typer.Option(None, "--outdir", "-o", help="Write <doc>.summary.jsonl and <doc>.summary.md here (default: JSONL on stdout)."),
    config: Optional[Path] = CONFIG,
    overrides: List[str] = OVERRIDES,
) -> None:
    """Summarize articles; every summary sentence lists the source sentence ids it rests on."""
    from ..config import load_config

    lang, to = language(lang), language(to or "")
    lengths = {"sentences": sentences, "words": words, "ratio": ratio}
    chosen = {k: v for k, v in lengths.items() if v is not None}
    if len(chosen) > 1:
        raise ConfigError("give only one of --sentences, --words, --ratio")
    extra = [f"summarize.{k}={v}" for k, v in {"method": method, "model": model}.items() if v is not None]
    if chosen:  # the one length given replaces any from the config (words > ratio > sentences)
        extra += [f"summarize.{k}={chosen.get(k, 0)}" for k in lengths]
    to = to if to and to != lang else ""
    extra += [f"input.format={fmt}", f"input.html={html}", "translate.enabled=false", f"summarize.translate={bool(to)}", f"summarize.to={to}"]
    cfg = load_config(config, overrides + extra)
    sink = Sink(["summary-jsonl"] if outdir is None else ["summary-jsonl", "summary-md"], outdir=outdir)
    tally, _ = process_all(inputs, cfg, lang, sink, "summarizing", (lang, to) if to and lang != "auto" else None)
    tally.close()


@command(app, "run")
def run_cmd(
    inputs: List[str] = INPUTS,
    outdir: Path = typer.Option(..., "--outdir", "-o", help="Output directory; re-running resumes."),
    config: Optional[Path] = CONFIG,
    overrides: List[str] = OVERRIDES,
    workers: Optional[int] = typer.Option(None, "--workers", help="Worker processes or Ray actors (0 = one per core)."),
    threads: Optional[int] = typer.Option(None, "--threads", help="Threads per worker (0 = cores / workers)."),
    engine: Optional[str] = typer.Option(None, "--engine", help="local (processes) or ray (Ray Data)."),
    address: Optional[str] = typer.Option(None, "--address", help="Ray cluster: auto or ray://host:10001."),
    log_json: bool = typer.Option(False, "--log-json", help="One JSON event per line on stderr."),
    files: bool = typer.Option(False, "--files", help="Also per-article files of output.formats, records.jsonl and index.jsonl (small jobs)."),
) -> None:
    """Segment, translate and summarize articles into OUTDIR: record shards (records/*.jsonl.zst),
    errors.jsonl, manifest.json; read them back with `newsmt show` and `newsmt export`."""
    from ..api import run
    from ..config import load_config

    cfg = load_config(config, overrides)
    check_output_formats(cfg.output.formats)
    summary = run(inputs, cfg, outdir, workers=workers, engine=engine, address=address, threads=threads,
                  log_json=log_json or None, files=files or None)
    typer.echo(summary.line())
    if summary.failed:
        typer.echo(f"newsmt: {summary.failed} article(s) failed: see {outdir / 'errors.jsonl'}", err=True)
