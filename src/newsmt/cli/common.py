"""What every ``newsmt`` command shares: the Typer apps, options, the error policy, the one loop over
articles (``process_all``), where its documents go (``Sink``) and the closing line (``Tally``).

The grammar (README, "Command line"): ``-o`` names a folder wherever a command can write several
files and a file only where exactly one results; a trailing slash always means a folder. Boolean
options are flags without a value. Every command ends with one line on stderr."""
from __future__ import annotations

import functools
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import typer

from ..errors import ConfigError, NewsmtError, OutputError, missing_extra

# plain help (rich_markup_mode=None): flags are shown without a value type
app = typer.Typer(
    help="News articles into sentence-aligned translations and attributed summaries.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None,
)
models_app = typer.Typer(help="List, inspect, pull and convert translation models.", no_args_is_help=True,
                         rich_markup_mode=None)
eval_app = typer.Typer(help="Score outputs against references (segmentation, MT, summaries).", no_args_is_help=True,
                       rich_markup_mode=None)


def _print_version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"newsmt {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", help="Print the newsmt version and exit.",
                                      is_eager=True, callback=_print_version)) -> None:
    """News articles into sentence-aligned translations and attributed summaries."""


app.add_typer(models_app, name="models")
app.add_typer(eval_app, name="eval")


# options shared by the commands that read articles
INPUTS = typer.Argument(..., metavar="INPUT", help="Files, directories (recursive), globs, JSONL feeds, pages, feeds, archives; - = stdin.")
HTML = typer.Option(None, "--html", help="Web pages: article (the extracted article; default) | page (all visible text).")
FORMAT = typer.Option(None, "--format", "-f", help="Input: auto (by suffix; default) | txt | md | html | jsonl | lines | feed | warc.")
CONFIG = typer.Option(None, "--config", "-c", metavar="NAME|FILE",
                      help="A preset (en-pt-news, en-ru-news, ru-en-news) or a TOML file; the tables that apply here.")
OVERRIDES = typer.Option([], "--set", metavar="KEY=VALUE", help="Override a config key, e.g. --set translate.beam=2 (repeatable).")
LANG = "Language of the articles: a BCP-47 tag (en, pt-BR) or auto (detect per article); default: the config's segment.lang (en)."
OUTDIR = typer.Option(None, "--output", "-o", metavar="DIR",
                      help="Output folder: the files of each article (<doc>.<ext>) and index.jsonl (default: stdout).")
OUTFILE = typer.Option(None, "--output", "-o", metavar="FILE|DIR/",
                       help="Write to FILE (default: stdout); DIR/ (trailing slash) or an existing folder: one file per article.")


def output_paths(value: str | None) -> tuple[Path | None, Path | None]:
    """``-o`` of a command whose result is one file: (file, None), or (None, folder) for a trailing
    slash or an existing folder, or (None, None) for stdout."""
    if not value or value == "-":
        return None, None
    if value.endswith(("/", os.sep)) or Path(value).is_dir():
        return None, Path(value)
    return Path(value), None


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
        except ImportError as e:  # a feature of an extra that is not installed
            extra = missing_extra(e)
            if extra is None:
                raise
            fail(str(extra), extra.exit_code)
        except BrokenPipeError:
            _drop_stdout()
            raise typer.Exit(0) from None
        except OSError as e:  # writing to stdout: a full device, an I/O error
            _drop_stdout()
            fail(f"cannot write the output: {e.strerror or e}", OutputError.exit_code)
        except KeyboardInterrupt:  # Ctrl-C while working: the shell's code for SIGINT, no traceback
            typer.echo("\nnewsmt: interrupted", err=True)
            raise typer.Exit(130) from None

    return wrapper


def command(typer_app: typer.Typer, name: str) -> Callable[[Callable], Callable]:
    """Register ``fn`` as ``name`` on ``typer_app`` with the error policy (``handle_errors``)."""
    return lambda fn: typer_app.command(name)(handle_errors(fn))


def _drop_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


class Tally:
    """Articles done and bad items in a multi-input command, and its closing line."""

    def __init__(self, verb: str) -> None:
        self.verb, self.start = verb, time.perf_counter()
        self.done = self.failed = self.sentences = 0
        self.flags: Counter[str] = Counter()
        self.generic: set[str] = set()  # languages without a pack met so far

    def documents(self, items: Iterable) -> Iterator:
        """The documents of ``items``; each bad item (an InputError) is printed as one line and counted.
        The first article of each language without a pack of its own gets a note on stderr."""
        for item in items:
            if isinstance(item, NewsmtError):
                self.failed += 1
                typer.echo(f"newsmt: error: {item}", err=True)
            else:
                self.done += 1
                self.note_generic(item)
                self.sentences += sum(1 for _ in item.sentences())
                self.flags.update([f for t in item.translations.values() for f in t.flags] + item.meta.get("flags", []))
                yield item

    def note_generic(self, doc: Any) -> None:
        from ..segment import GENERIC_FLAG

        if GENERIC_FLAG in doc.meta.get("flags", ()) and doc.lang not in self.generic:
            self.generic.add(doc.lang)
            typer.echo(f"newsmt: note: no language pack for {doc.lang!r}: its articles are split by the generic "
                       f"rules and flagged {GENERIC_FLAG}", err=True)

    def close(self) -> None:
        """The closing line on stderr; exit 2 when any item failed (after the others were processed),
        and when the inputs held no article at all."""
        seconds = time.perf_counter() - self.start
        flags = ", ".join(f"{k} {v}" for k, v in sorted(self.flags.items())) or "none"
        failed = f", failed {self.failed}" if self.failed else ""
        typer.echo(f"{self.verb} {_plural(self.done, 'article')}, {_plural(self.sentences, 'sentence')} in {seconds:.1f} s "
                   f"({self.sentences / seconds if seconds else 0:.1f} sent/s){failed}; flags: {flags}", err=True)
        if self.failed > 1 or (self.failed and self.done):
            fail(f"{self.failed} of {self.done + self.failed} inputs could not be processed (see above); "
                 "the others were processed", 2)
        if self.failed:
            raise typer.Exit(2)
        if not self.done:
            fail("the inputs hold no article", 2)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


class Sink:
    """Where a command's documents go: stdout, one file (written as documents come, into a temporary
    sibling renamed over it at the end: memory stays flat, and a run that stops leaves the file as it
    was), or files in
    OUTDIR named by one namer (no input of the call overwrites another's; ``index.jsonl`` there
    says which input each file came from)."""

    def __init__(self, formats: list[str], outdir: Path | None = None, file: Path | None = None) -> None:
        from ..naming import OutputNamer

        self.outdir, self.file, self.formats, self.namer = outdir, file, formats, OutputNamer()
        self.index: list[dict] = []
        self.partial: Path | None = None  # FILE's temporary sibling, written as documents come
        self.stream: Any = None
        if outdir is not None:
            from ..batch import prepare_outdir

            prepare_outdir(outdir)
        if file is not None:
            self._open_partial(file)

    def _open_partial(self, file: Path) -> None:
        from ..fileio import unique_sibling

        if file.is_dir():
            raise OutputError(f"{file}: is a folder; give a file name")
        self.partial = unique_sibling(file)
        try:
            fd = os.open(self.partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except OSError as e:
            raise OutputError(f"cannot write {file}: {e.strerror or e}") from None
        self.stream = os.fdopen(fd, "w", encoding="utf-8", newline="")

    def __call__(self, doc) -> None:
        from ..writers import render, write_outputs

        if self.outdir is None:
            text = "".join(render(doc, f) for f in self.formats)
            if self.stream is None:
                typer.echo(text, nl=False)
            else:
                try:
                    self.stream.write(text)
                except OSError as e:
                    raise OutputError(f"cannot write {self.file}: {e.strerror or e}") from None
            return
        doc.id = self.namer.claim(doc.id)
        try:
            paths = write_outputs(doc, self.outdir, self.formats)
        except OSError as e:
            raise OutputError(f"cannot write the outputs of {doc.id} in {self.outdir}: {e.strerror or e}") from None
        self.index.append({"id": doc.id, "source": doc.meta.get("source", doc.id), "files": [p.name for p in paths]})

    def close(self) -> None:
        """Finish the file (its temporary sibling, written as documents came, is renamed over it),
        or write the output folder's index; nothing for stdout."""
        from ..fileio import write_atomic

        if self.stream is not None:
            try:
                self.stream.flush()
                os.fsync(self.stream.fileno())
                self.stream.close()
                os.replace(self.partial, self.file)
            except OSError as e:
                self.abort()
                raise OutputError(f"cannot write {self.file}: {e.strerror or e}") from None
            self.stream = None
            return
        if self.outdir is None or not self.index:
            return
        lines = (json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in self.index)
        path = self.outdir / "index.jsonl"
        try:
            write_atomic(path, "".join(lines))
        except OSError as e:
            raise OutputError(f"cannot write {path}: {e.strerror or e}") from None

    def abort(self) -> None:
        """Drop what was written of the file (a run that stops before its end leaves FILE as it was)."""
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        if self.partial is not None:
            self.partial.unlink(missing_ok=True)


def language(code: str | None) -> str | None:
    """A language option as a BCP-47 tag (``EN`` -> ``en``, ``pt_br`` -> ``pt-BR``), None where the
    option was left out; exit 3 otherwise, an empty one too (``--lang ""`` is no language)."""
    from ..errors import LanguageError
    from ..languages import pack_codes, standard

    if code is None:
        return None
    if not code.strip():
        raise LanguageError(f"an empty language option; give a BCP-47 tag (en, pt-BR, zh-Hant, ...) or auto; "
                            f"languages with their own pack: {', '.join(pack_codes())}")
    return standard(code)


def check_output_formats(formats: list[str]) -> None:
    from ..writers import check_formats

    try:
        check_formats(formats)
    except NewsmtError as e:
        raise ConfigError(str(e)) from None


def process_all(inputs: list[str], cfg, sink: Sink, verb: str, preload: tuple[str, str] | None = None) -> None:
    """The one loop of segment/extract/translate/summarize: models first (errors before any
    reading), then every article through ``pipeline.stream`` into ``sink``; bad items reported,
    the closing line on stderr, exit 2 at the end when any failed."""
    from ..pipeline import Resources, stream
    from ..progress import progress

    tally = Tally(verb)
    try:
        with Resources(cfg) as resources:
            if preload and preload[0] != "auto":
                resources.engine(*preload)
            with progress("articles") as bar:
                for doc in tally.documents(stream(inputs, cfg, resources, cfg.segment.lang, sink.outdir, bar)):
                    sink(doc)
            sink.close()
    except BaseException:
        sink.abort()
        raise
    tally.close()


def article_config(config: str | None, overrides: list[str], lang: str | None, **settings: Any):
    """The config of an article command: ``config`` and ``overrides``, then the command's own
    options (``settings``: ``"translate.tgt": "pt"``, None = not given), ``lang`` as segment.lang."""
    from ..config import load_config

    given = {"segment.lang": language(lang), **settings}
    return load_config(config, overrides + [f"{k}={v}" for k, v in given.items() if v is not None])
