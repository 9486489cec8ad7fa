"""One typed configuration object: the defaults, a preset (``presets/<name>.toml`` inside the package,
addressed by name) or a TOML file, then ``--set key=value`` overrides; validated before any model loads."""
from __future__ import annotations

import dataclasses
import os
import sys
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Any, get_type_hints

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from .errors import ConfigError, LanguageError

PRESETS = Path(__file__).parent / "presets"


def available_cores() -> int:
    """CPU cores this process may run on (the default budget for threads and workers)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


@dataclass
class InputConfig:
    format: str = "auto"  # auto | txt | md | html | jsonl | lines | feed | warc
    html: str = "article"  # article (the extracted article) | page (all visible text)
    text_field: str = "text"
    title_field: str = "title"
    id_field: str = "id"


@dataclass
class SegmentConfig:
    lang: str = "en"


@dataclass
class TranslateConfig:
    enabled: bool = True
    tgt: str = "pt"  # with segment.lang "en": the pair whose models come with the install
    backend: str = "auto"  # auto | bergamot | ctranslate2 | transformers
    model: str = ""  # name or path; "" = default for the pair (data/models.toml)
    beam: int = 4
    batch_tokens: int = 2048
    threads: int = 0  # 0 = chosen for the machine
    max_input_tokens: int = 0  # 0 = the model's own limit
    score: bool = False  # embedding-based quality score (costs time)
    low_quality_threshold: float = 0.5


@dataclass
class SummarizeConfig:
    enabled: bool = True
    method: str = "extractive"  # extractive | abstractive
    model: str = ""
    sentences: int = 3
    words: int = 0
    ratio: float = 0.0
    translate: bool = True  # also a summary in another language (``to``)
    to: str = ""  # language of that summary; "" = translate.tgt when translation is on
    beam: int = 4
    no_repeat_ngram_size: int = 3
    max_length: int = 142
    min_length: int = 30
    long_input: str = "map_reduce"  # map_reduce | refuse: an article longer than the model window


@dataclass
class OutputConfig:
    formats: list[str] = field(default_factory=lambda: ["jsonl", "doc"])


@dataclass
class RunConfig:
    """How a batch job runs; none of these change the records it writes."""

    workers: int = 0  # local worker processes (or Ray actors); 0 = chosen for the machine
    threads: int = 0  # threads per worker; 0 = chosen for the machine
    engine: str = "local"  # local | ray
    address: str = ""  # Ray cluster: "auto", "ray://host:10001"; "" = a local Ray instance
    log_json: bool = False  # one JSON event per line on stderr
    max_chars: int = 200_000  # longer articles are recorded as failed, not processed
    timings: bool = False  # per-stage seconds in the records (they then differ from run to run)
    shard_size: int = 0  # articles per group (one shard, one commit, one fsync); 0 = 250, or 16 with translation on
    files: bool = False  # also per-article files of output.formats, records.jsonl and index.jsonl (small jobs)


@dataclass
class PipelineConfig:
    input: InputConfig = field(default_factory=InputConfig)
    segment: SegmentConfig = field(default_factory=SegmentConfig)
    translate: TranslateConfig = field(default_factory=TranslateConfig)
    summarize: SummarizeConfig = field(default_factory=SummarizeConfig)
    output: OutputConfig = field(default_factory=OutputConfig)
    run: RunConfig = field(default_factory=RunConfig)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @cached_property
    def settings(self) -> dict[str, Any]:
        """The settings that decide what a run writes (``[run]`` and thread counts do not): read
        by every article, so made once (a config is replaced, never changed; treat it as read-only)."""
        d = self.to_dict()
        del d["run"]
        del d["translate"]["threads"]
        return d


def _build(cls: type, data: dict[str, Any], where: str, origin: str) -> Any:
    hints = get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    unknown = set(data) - known
    if unknown:
        what = f"key(s) in [{where}]" if where else "table(s)"
        raise ConfigError(f"{origin}: unknown {what}: {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
    kwargs = {}
    for name, value in data.items():
        typ = hints[name]
        key = f"{where}.{name}".strip(".")
        if dataclasses.is_dataclass(typ):
            if not isinstance(value, dict):
                raise ConfigError(f"{origin}: [{key}] must be a table of settings, got {value!r}")
            kwargs[name] = _build(typ, value, key, origin)
        else:
            kwargs[name] = coerce(value, typ, key)
    return cls(**kwargs)


def coerce(value: Any, typ: Any, key: str) -> Any:
    base = {"bool": bool, "int": int, "float": float, "str": str}.get(getattr(typ, "__name__", ""), None)
    if isinstance(value, Override):
        value = value.value if base is not str or isinstance(value.value, str) else value.text
    if typ == list[str]:
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{key} must be a list of strings")
        return value
    if base is bool:
        if isinstance(value, str) and value.lower() in {"true", "false", "1", "0", "yes", "no"}:
            return value.lower() in {"true", "1", "yes"}
        if isinstance(value, bool):
            return value
        raise ConfigError(f"{key} must be true or false, got {value!r}")
    if base in (int, float):
        try:
            if isinstance(value, bool):
                raise ValueError
            return base(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{key} must be a {base.__name__}, got {value!r}") from None
    if base is str:
        if not isinstance(value, (str, int, float)):
            raise ConfigError(f"{key} must be a string, got {value!r}")
        return str(value)
    return value


@dataclass(frozen=True)
class Override:
    """A ``--set`` value: its text and what it reads as in TOML (the text itself when it is not
    TOML: ``--set translate.tgt=pt``); a string setting takes the text unless it was quoted."""

    text: str
    value: Any

    @classmethod
    def parse(cls, text: str) -> Override:
        try:
            return cls(text, tomllib.loads(f"v = {text}")["v"])
        except tomllib.TOMLDecodeError:
            return cls(text, text)


def _set_path(data: dict[str, Any], dotted: str, value: Override, origin: str) -> None:
    parts = dotted.split(".")
    if len(parts) < 2 or not all(parts):
        raise ConfigError(f"--set {dotted}: give table.key=value, e.g. --set translate.tgt=pt")
    cls: Any = PipelineConfig
    for i, p in enumerate(parts):
        known = {f.name for f in fields(cls)} if dataclasses.is_dataclass(cls) else set()
        if p not in known:
            where = f" in [{'.'.join(parts[:i])}]" if i else ""
            raise ConfigError(f"--set {dotted}: unknown key {p!r}{where}; known: {', '.join(sorted(known))}")
        cls = get_type_hints(cls)[p]
    node = data
    for p in parts[:-1]:
        node = node.setdefault(p, {})
        if not isinstance(node, dict):
            raise ConfigError(f"{origin}: [{p}] must be a table of settings, got {node!r}")
    node[parts[-1]] = value


def preset_names() -> list[str]:
    """The presets that come with newsmt (``--config NAME``)."""
    return sorted(p.stem for p in PRESETS.glob("*.toml"))


def config_path(name: str | Path) -> Path:
    """A config file, or the preset called ``name`` (``en-pt-news``); ConfigError saying which exist."""
    p = Path(name)
    if p.is_file():
        return p
    if str(name) in preset_names():
        return PRESETS / f"{name}.toml"
    presets = ", ".join(preset_names())
    if p.is_dir():
        raise ConfigError(f"--config {p}: is a folder; give a TOML file or a preset name ({presets})")
    if p.parent != Path(".") and not p.parent.is_dir():
        raise ConfigError(f"--config {p}: no such file (folder {p.parent} does not exist); presets: {presets}")
    raise ConfigError(f"--config {p}: no such file or preset; presets: {presets}")


def load_config(path: str | Path | None = None, overrides: list[str] | None = None) -> PipelineConfig:
    """Load a preset by name or a TOML file (or the defaults) and apply ``key=value`` overrides
    (dotted keys; values in TOML syntax, ``output.formats=["jsonl"]``, or plain text for a string or
    a comma list)."""
    data: dict[str, Any] = {}
    origin = "--set"
    if path:
        p = config_path(path)
        origin = str(p)
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise ConfigError(f"{p}: not valid TOML: {e}") from None
        except OSError as e:
            raise ConfigError(f"{p}: cannot read ({e.strerror or e})") from None
    for item in overrides or []:
        if "=" not in item:
            raise ConfigError(f"--set expects key=value, got {item!r}")
        key, value = item.split("=", 1)
        _set_path(data, key.strip(), Override.parse(value.strip()), origin)
    cfg = _build(PipelineConfig, data, "", origin)
    validate(cfg)
    return cfg


def _standard_languages(cfg: PipelineConfig) -> None:
    """The configured languages as BCP-47 tags (LanguageError naming the key for what is not a
    language code)."""
    from .languages import standard

    for table, key in (("translate", "tgt"), ("segment", "lang"), ("summarize", "to")):
        section = getattr(cfg, table)
        try:
            setattr(section, key, standard(getattr(section, key)))
        except LanguageError as e:
            raise LanguageError(f"{table}.{key}: {e}") from None


def validate(cfg: PipelineConfig) -> None:
    """Check values that types alone do not catch."""
    checks = [
        (cfg.input.format in {"auto", "txt", "md", "html", "jsonl", "lines", "feed", "warc"},
         "input.format must be auto|txt|md|html|jsonl|lines|feed|warc"),
        (cfg.input.html in {"article", "page"}, "input.html must be article|page"),
        (cfg.translate.backend in {"auto", "bergamot", "ctranslate2", "transformers"}, "translate.backend must be auto|bergamot|ctranslate2|transformers"),
        (cfg.translate.beam >= 1, "translate.beam must be >= 1"),
        (cfg.translate.batch_tokens >= 16, "translate.batch_tokens must be >= 16"),
        (cfg.translate.threads >= 0, "translate.threads (--threads) must be >= 0 (0 = all cores)"),
        (cfg.translate.max_input_tokens >= 0, "translate.max_input_tokens must be >= 0 (0 = the model's limit)"),
        (cfg.summarize.method in {"extractive", "abstractive"}, "summarize.method must be extractive|abstractive"),
        (cfg.summarize.sentences >= 0 and cfg.summarize.words >= 0, "summarize lengths must be >= 0"),
        (0.0 <= cfg.summarize.ratio <= 1.0, "summarize.ratio must be between 0 and 1"),
        (cfg.summarize.long_input in {"map_reduce", "refuse"}, "summarize.long_input must be map_reduce|refuse (never truncate)"),
        (cfg.run.workers >= 0 and cfg.run.threads >= 0, "run.workers and run.threads must be >= 0 (0 = automatic)"),
        (cfg.run.engine in {"local", "ray"}, "run.engine must be local|ray"),
        (cfg.run.max_chars >= 1, "run.max_chars must be >= 1"),
        (cfg.run.shard_size >= 0, "run.shard_size must be >= 0 (0 = chosen by the job)"),
    ]
    for ok, msg in checks:
        if not ok:
            raise ConfigError(msg)
    _standard_languages(cfg)


def with_settings(cfg: PipelineConfig, section: str, values: dict[str, Any]) -> PipelineConfig:
    """``cfg`` with fields of one table replaced (Python API keywords); ConfigError naming unknown
    keys, and the result validated."""
    table = getattr(cfg, section)
    known = {f.name for f in fields(table)}
    unknown = set(values) - known
    if unknown:
        raise ConfigError(f"unknown {section} setting(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
    typed = {k: coerce(v, get_type_hints(type(table))[k], f"{section}.{k}") for k, v in values.items()}
    cfg = dataclasses.replace(cfg, **{section: dataclasses.replace(table, **typed)})
    validate(cfg)
    return cfg
