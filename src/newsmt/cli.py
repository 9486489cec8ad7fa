"""The ``newsmt`` command line: parse arguments, call the Python API, print. No logic of its own."""
from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, List, Optional

import typer

from .errors import ConfigError, NewsmtError, OutputError

app = typer.Typer(
    help="News articles into sentence-aligned translations and attributed summaries.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
)
models_app = typer.Typer(help="List, inspect, pull and convert translation models.", no_args_is_help=True)
eval_app = typer.Typer(help="Score outputs against references (segmentation, MT, summaries).", no_args_is_help=True)


def _print_version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"newsmt {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", help="Print the newsmt version and exit.",
                                      is_eager=True, callback=_print_version)) -> None:
    """News articles into sentence-aligned translations and attributed summaries."""


app.add_typer(models_app, name="models")
app.add_typer(eval_app, name="eval")


# options shared by the commands that read articles
INPUTS = typer.Argument(..., help="Files, directories (recursive), globs, JSONL feeds; - = stdin.")
HTML = typer.Option("article", "--html", help="Web pages: article (the extracted article) | page (all visible text).")
FORMAT = typer.Option("auto", "--format", "-f", help="Input: auto (by suffix) | txt | md | html | jsonl | lines | feed | warc.")
CONFIG = typer.Option(None, "--config", "-c", help="TOML preset, e.g. configs/en-pt-news.toml (its tables that apply here).")
OVERRIDES = typer.Option([], "--set", help="Override a config key, e.g. --set translate.beam=2 (repeatable).")


def fail(message: str, code: int = 1) -> None:
    """Print one clear error line and exit non-zero."""
    typer.echo(f"newsmt: error: {message}", err=True)
    raise typer.Exit(code)


def handle_errors(fn: Callable) -> Callable:
    """Turn NewsmtError (and a few OS errors) into one message and an exit code, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            result = fn(*args, **kwargs)
            sys.stdout.flush()  # a full device or a closed pipe is reported here, not at exit
            return result
        except NewsmtError as e:
            fail(str(e), e.exit_code)
        except BrokenPipeError:
            _drop_stdout()
            raise typer.Exit(0) from None
        except OSError as e:  # writing to stdout: a full device, an I/O error
            _drop_stdout()
            fail(f"cannot write the output: {e.strerror or e}", OutputError.exit_code)
        except KeyboardInterrupt:
            fail("interrupted", 130)

    return wrapper


def _drop_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


class _Tally:
    """Articles done and bad items in a multi-input command."""

    def __init__(self) -> None:
        self.done = self.failed = 0

    def documents(self, items: Iterable) -> Iterator:
        """The documents of ``items``; each bad item (an InputError) is printed as one line and counted."""
        for item in items:
            if isinstance(item, NewsmtError):
                self.failed += 1
                typer.echo(f"newsmt: error: {item}", err=True)
            else:
                self.done += 1
                yield item

    def close(self) -> None:
        """Exit 2 when any item failed (after the others were processed)."""
        if self.failed > 1 or (self.failed and self.done):
            fail(f"{self.failed} of {self.done + self.failed} inputs could not be processed (see above); "
                 "the others were processed", 2)
        if self.failed:
            raise typer.Exit(2)


class _Sink:
    """Where a command's documents go: stdout, one file written atomically at the end, or files in
    OUTDIR named by one namer (no input of the call overwrites another's; ``index.jsonl`` there
    says which input each file came from)."""

    def __init__(self, formats: list[str], outdir: Path | None = None, file: Path | None = None) -> None:
        from .naming import OutputNamer

        self.outdir, self.file, self.formats, self.namer = outdir, file, formats, OutputNamer()
        self.index: list[dict] = []
        self.buffer: list[str] = []
        if outdir is not None:
            from .batch import prepare_outdir

            prepare_outdir(outdir)
        if file is not None and file.is_dir():
            raise OutputError(f"{file}: is a folder; give a file name")

    def __call__(self, doc) -> None:
        from .writers import render, write_outputs

        if self.outdir is None:
            text = "".join(render(doc, f) for f in self.formats)
            self.buffer.append(text) if self.file is not None else typer.echo(text, nl=False)
            return
        doc.id = self.namer.claim(doc.id)
        try:
            paths = write_outputs(doc, self.outdir, self.formats)
        except OSError as e:
            raise OutputError(f"cannot write the outputs of {doc.id} in {self.outdir}: {e.strerror or e}") from None
        self.index.append({"id": doc.id, "source": doc.meta.get("source", doc.id), "files": [p.name for p in paths]})

    def close(self) -> None:
        from .fileio import write_atomic

        path, data = self.file, "".join(self.buffer)
        if self.outdir is not None:
            path = self.outdir / "index.jsonl"
            data = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in self.index)
        if path is None or (self.outdir is not None and not self.index):
            return
        try:
            write_atomic(path, data)
        except OSError as e:
            raise OutputError(f"cannot write {path}: {e.strerror or e}") from None


def _check_formats(formats: list[str]) -> None:
    from .writers import check_formats

    try:
        check_formats(formats)
    except NewsmtError as e:
        raise ConfigError(str(e)) from None


def _process_all(inputs: list[str], cfg, lang: str, sink: _Sink, label: str,
                 preload: tuple[str, str] | None = None) -> Any:
    """The one loop of segment/translate/summarize: models first (errors before any reading), then
    every article through ``pipeline.stream`` into ``sink``; bad items reported, exit 2 at the end."""
    from .pipeline import Resources, stream
    from .progress import progress

    tally = _Tally()
    with Resources(cfg) as resources:
        engine = resources.engine(*preload) if preload else None
        with progress(label) as bar:
            for doc in tally.documents(stream(inputs, cfg, resources, lang, sink.outdir, bar)):
                sink(doc)
        sink.close()
        return tally, engine


# ---- segment (issue 2) -----------------------------------------------------------------------
@app.command("segment")
@handle_errors
def segment_cmd(
    inputs: List[str] = INPUTS,
    lang: str = typer.Option("en", "--lang", "-l", help="Language of the text (en, ru, pt, de, fr, es, uk; auto = detect per article)."),
    fmt: str = FORMAT,
    html: str = HTML,
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write JSONL here instead of stdout."),
) -> None:
    """Split articles into sentences: JSONL, one {"doc","id","paragraph","start","end","text"} per sentence."""
    from .config import load_config
    from .segment import rules_for

    if lang != "auto":
        rules_for(lang)
    cfg = load_config(None, [f"input.format={fmt}", f"input.html={html}", "translate.enabled=false", "summarize.enabled=false"])
    tally, _ = _process_all(inputs, cfg, lang, _Sink(["segments"], file=output), "segmenting")
    tally.close()


@eval_app.command("seg")
@handle_errors
def eval_seg_cmd(
    gold: Path = typer.Option(..., "--gold", help="Gold segments: JSONL (segment or {doc_id, sentences} records) or one sentence per line, blank line between documents."),
    pred: Path = typer.Option(..., "--pred", help="Predicted segments, same formats (e.g. the output of newsmt segment)."),
) -> None:
    """Sentence-boundary precision, recall and F1 (whitespace-insensitive; document ends not counted)."""
    from .evaluate import evaluate_segmentation

    s = evaluate_segmentation(gold, pred)
    typer.echo(f"precision {s.precision:.4f}  recall {s.recall:.4f}  f1 {s.f1:.4f}  (tp {s.tp}, fp {s.fp}, fn {s.fn})")


# ---- translate (issues 3, 8) -----------------------------------------------------------------
@app.command("translate")
@handle_errors
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
    output_formats: Optional[str] = typer.Option(None, "--output-format", help="Comma-separated: jsonl, doc, tsv, tmx, xliff, md, record (default jsonl,doc; without -o: doc)."),
    outdir: Optional[Path] = typer.Option(None, "--outdir", "-o", help="Write <doc><suffix> files here (default: the output on stdout)."),
    config: Optional[Path] = CONFIG,
    overrides: List[str] = OVERRIDES,
) -> None:
    """Translate articles sentence by sentence; a one-line summary with flag counts goes to stderr."""
    import time

    from .config import load_config
    from .translate.engine import summary_line

    given = {"model": model, "backend": backend, "beam": beam, "threads": threads, "score": score or None}
    extra = [f"translate.{k}={v}" for k, v in given.items() if v is not None]
    extra += [f"translate.tgt={tgt}", f"input.format={fmt}", f"input.html={html}", "summarize.enabled=false"]
    if output_formats:
        extra.append(f"output.formats={output_formats}")
    cfg = load_config(config, overrides + extra)
    formats = cfg.output.formats if outdir is not None or output_formats else ["doc"]
    _check_formats(formats)
    start = time.perf_counter()
    preload = (src, tgt) if src != "auto" else None  # a fixed pair fails on its model before reading
    tally, engine = _process_all(inputs, cfg, src, _Sink(formats, outdir=outdir), "translating", preload)
    if engine is not None and (tally.done or not tally.failed):
        typer.echo(summary_line(engine.stats, tally.done, time.perf_counter() - start), err=True)
    tally.close()


@eval_app.command("mt")
@handle_errors
def eval_mt_cmd(
    hyp: Path = typer.Option(..., "--hyp", help="Translations: one per line, or newsmt translate JSONL (tgt field)."),
    ref: Path = typer.Option(..., "--ref", help="References, line-aligned with --hyp."),
    docs: Optional[Path] = typer.Option(None, "--docs", help="Document id per line (e.g. NTREX DOCUMENT_IDS.tsv): adds document-level chrF."),
    lang: str = typer.Option("", "--lang", "-l", help="Target language (zh/ja/ko pick the BLEU tokenizer)."),
) -> None:
    """Corpus BLEU and chrF (sacrebleu) with their signatures; document-level chrF with --docs."""
    from .evaluate import evaluate_mt

    r = evaluate_mt(hyp, ref, docs, lang)
    typer.echo(f"BLEU {r['bleu']:.2f}  chrF {r['chrf']:.2f}  ({r['n']} segments)")
    typer.echo(f"  BLEU {r['bleu_signature']}\n  chrF {r['chrf_signature']}")
    if "document" in r:
        typer.echo(f"document-level chrF {r['document']['chrf']:.2f}  ({r['document']['docs']} documents)")


# ---- summarize (issue 4) ---------------------------------------------------------------------
@app.command("summarize")
@handle_errors
def summarize_cmd(
    inputs: List[str] = INPUTS,
    lang: str = typer.Option("en", "--lang", "-l", help="Language of the articles (auto = detect per article)."),
    fmt: str = FORMAT,
    html: str = HTML,
    method: Optional[str] = typer.Option(None, "--method", "-m", help="extractive (default, no model) | abstractive."),
    model: Optional[str] = typer.Option(None, "--model", help="Abstractive: a transformers or CTranslate2 directory, or a Hugging Face name already cached."),
    to: Optional[str] = typer.Option(None, "--to", help="Also give the summary in this language (e.g. pt), same sources."),
    sentences: Optional[int] = typer.Option(None, "--sentences", "-n", help="Extractive length: N sentences (default 3)."),
    words: Optional[int] = typer.Option(None, "--words", help="Extractive length: at most N words."),
    ratio: Optional[float] = typer.Option(None, "--ratio", help="Extractive length: this share of the sentences (0-1)."),
    outdir: Optional[Path] = typer.Option(None, "--outdir", "-o", help="Write <doc>.summary.jsonl and <doc>.summary.md here (default: JSONL on stdout)."),
    config: Optional[Path] = CONFIG,
    overrides: List[str] = OVERRIDES,
) -> None:
    """Summarize articles; every summary sentence lists the source sentence ids it rests on."""
    from .config import load_config

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
    sink = _Sink(["summary-jsonl"] if outdir is None else ["summary-jsonl", "summary-md"], outdir=outdir)
    tally, _ = _process_all(inputs, cfg, lang, sink, "summarizing", (lang, to) if to and lang != "auto" else None)
    tally.close()


@eval_app.command("sum")
@handle_errors
def eval_sum_cmd(
    hyp: Path = typer.Option(..., "--hyp", help="Summaries: one per line, or JSONL with a summary field (text, or newsmt summary-jsonl sentences)."),
    ref: Path = typer.Option(..., "--ref", help="References, same formats, line-aligned with --hyp."),
    lang: str = typer.Option("en", "--lang", "-l", help="Language (sentence splitting for ROUGE-Lsum; zh/ja/th score characters)."),
) -> None:
    """ROUGE-1/2/L/Lsum F1 x100 (lowercased Unicode word tokens, any script, no stemming)."""
    from .evaluate import rouge_files

    s = rouge_files(hyp, ref, lang)
    typer.echo("  ".join(f"{k} {s[k]:.2f}" for k in ("rouge1", "rouge2", "rougeL", "rougeLsum")) + f"  ({int(s['n'])} pairs)")


# ---- run (issue 5) ---------------------------------------------------------------------------
@app.command("run")
@handle_errors
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
    keep_parts: bool = typer.Option(False, "--keep-parts", help="Keep finished parts of articles no longer in the inputs."),
) -> None:
    """Segment, translate and summarize articles into OUTDIR (records.jsonl, errors.jsonl, per-format files)."""
    from .api import run
    from .config import load_config

    cfg = load_config(config, overrides)
    _check_formats(cfg.output.formats)
    summary = run(inputs, cfg, outdir, workers=workers, engine=engine, address=address, threads=threads,
                  log_json=log_json or None, keep_parts=keep_parts or None)
    typer.echo(summary.line())
    if summary.failed:
        typer.echo(f"newsmt: {summary.failed} article(s) failed: see {outdir / 'errors.jsonl'}", err=True)


# ---- models (issues 3, 8) --------------------------------------------------------------------
@models_app.command("convert")
@handle_errors
def models_convert_cmd(
    model_dir: Path = typer.Argument(..., help="Hugging Face translation model folder (config.json, weights, tokenizer)"),
    out_dir: Path = typer.Argument(..., help="folder for the CTranslate2 model (created; tokenizer copied in)"),
    quantization: str = typer.Option("int8", "--quantization", "-q", help="int8 | int8_float32 | float32 (and other CTranslate2 types)"),
    force: bool = typer.Option(False, "--force", help="replace OUT_DIR if it exists"),
) -> None:
    """Convert a Hugging Face translation model to CTranslate2 (the fast CPU backend)."""
    from .translate.ctranslate2_backend import convert_to_ctranslate2

    typer.echo(f"converted {model_dir} -> {convert_to_ctranslate2(model_dir, out_dir, quantization, force)} ({quantization})")


@models_app.command("list")
@handle_errors
def models_list_cmd() -> None:
    """Every known model: pairs, backend, size, whether and where it is installed, how to get it."""
    from .models import format_table, list_models, models_home

    typer.echo(format_table(list_models()))
    typer.echo(f"\nmodels home: {models_home()}  (set NEWSMT_HOME to move it)")


@models_app.command("info")
@handle_errors
def models_info_cmd(name: str = typer.Argument(..., help="model name, e.g. bergamot-en-ru")) -> None:
    """Details of one model: source, revision, files with sha256, install location."""
    from .models import info

    typer.echo(info(name).describe())


@models_app.command("pull")
@handle_errors
def models_pull_cmd(
    name: str = typer.Argument(..., help="model name (see `newsmt models list`) or a Hugging Face repo id"),
    force: bool = typer.Option(False, "--force", help="download again even if installed"),
    base_url: Optional[str] = typer.Option(None, "--base-url", help="Firefox Translations files URL (default: the registry's; env NEWSMT_FTM_BASE_URL)"),
) -> None:
    """Download and verify a model into the models home (resumes an interrupted pull)."""
    from .models import pull

    typer.echo(f"{name}: {pull(name, base_url=base_url, force=force)}")

