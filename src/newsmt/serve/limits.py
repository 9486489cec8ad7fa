"""Server options, errors with their HTTP status, API keys and who may ask how much (``Access``)."""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import PipelineConfig, available_cores
from ..errors import ConfigError


@dataclass
class ServeOptions:
    """Everything ``serve(**limits)`` / ``create_app(cfg, **limits)`` accepts besides host, port, workers."""

    api_keys: Path | None = None  # file: one key per line, optionally "key,requests_per_minute"
    require_api_key: bool = False  # refuse requests without a key (else keyless clients get rate_limit)
    rate_limit: int = 0  # texts per minute per key (keys without their own limit) or per client IP; 0 = none
    max_chars: int = 20_000  # characters per request (413 above)
    max_body: int = 0  # bytes per request body (413 above); 0 = max(1 MiB, 12 x max_chars)
    max_file_bytes: int = 10 << 20  # bytes of a file sent to /translate_file
    max_file_chars: int = 200_000  # characters of text in a file sent to /translate_file
    files_ttl: float = 3600.0  # seconds a translated file stays downloadable
    max_queue: int = 2_000  # sentences waiting for the engine (503 + Retry-After above)
    max_in_flight: int = 256  # requests being worked on at once, bodies read (503 + Retry-After above)
    timeout: float = 60.0  # seconds per request once its body is read (504 after)
    read_timeout: float = 20.0  # seconds a client has to send a request's headers and body (closed / 408)
    keep_alive: float = 5.0  # seconds an idle keep-alive connection stays open
    max_client_connections: int = 64  # open connections per client address and worker; 0 = no limit
    batch_wait_ms: float = 5.0  # how long a batch waits for more sentences once one is queued
    batch_sentences: int = 64  # sentences per engine batch at most
    batch_chars: int = 12_000  # characters per engine batch at most
    cors_origins: list[str] = field(default_factory=list)  # e.g. ["https://example.org"]; [] = no CORS headers
    preload: list[str] = field(default_factory=list)  # more pairs to load at start ("pt-en"); the config's pair always
    shutdown_grace: float = 30.0  # seconds in-flight requests get to finish on SIGTERM/SIGINT
    log_json: bool = True  # one JSON line per request on stderr (with its X-Request-ID)
    sanitize_html: bool = False  # format=html answers without scripts, on* attributes, javascript: URLs
    suggestions: bool = False  # accept /suggest (stored in suggestions_db)
    suggestions_db: Path | None = None  # SQLite file; default: suggestions.sqlite in newsmt's data folder
    state_dir: Path | None = None  # what the workers share (rate limits, metrics, files); default: a temp folder

    @classmethod
    def from_kwargs(cls, **kwargs: Any) -> ServeOptions:
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(kwargs) - known
        if unknown:
            raise ConfigError(f"unknown serve option(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
        opts = cls(**{k: v for k, v in kwargs.items() if v is not None})
        for name in ("cors_origins", "preload"):
            if isinstance(getattr(opts, name), str):
                setattr(opts, name, [o.strip() for o in getattr(opts, name).split(",") if o.strip()])
        for name in ("api_keys", "suggestions_db", "state_dir"):
            if getattr(opts, name) is not None:
                setattr(opts, name, Path(getattr(opts, name)))
        opts.validate()
        return opts

    @classmethod
    def from_strings(cls, items: list[str], **kwargs: Any) -> ServeOptions:
        """``from_kwargs`` with ``NAME=VALUE`` strings (the CLI's ``--option``), typed by the fields."""
        from typing import get_type_hints

        from ..config import coerce

        hints = get_type_hints(cls)
        for item in items:
            name, eq, value = item.partition("=")
            if not eq or name not in hints or name == "api_keys":
                known = ", ".join(n for n in hints if n != "api_keys")
                raise ConfigError(f"--option expects NAME=VALUE with NAME one of: {known}; got {item!r}")
            kwargs[name] = coerce(value, hints[name], f"serve option {name}")
        return cls.from_kwargs(**kwargs)

    def validate(self) -> None:
        for name in ("max_chars", "max_queue", "max_in_flight", "batch_sentences", "batch_chars", "max_file_bytes",
                     "max_file_chars"):
            if getattr(self, name) < 1:
                raise ConfigError(f"serve option {name} must be >= 1")
        for name in ("rate_limit", "max_body", "batch_wait_ms", "shutdown_grace", "max_client_connections"):
            if getattr(self, name) < 0:
                raise ConfigError(f"serve option {name} must be >= 0")
        for name in ("timeout", "read_timeout", "keep_alive", "files_ttl"):
            if not getattr(self, name) > 0:
                raise ConfigError(f"serve option {name} must be > 0 seconds")
        if self.require_api_key and self.api_keys is None:
            raise ConfigError("require_api_key needs an API keys file (--api-keys FILE)")
        for pair in self.preload:
            if pair.count("-") != 1 or not all(pair.split("-")):
                raise ConfigError(f"serve option preload: {pair!r} is not a pair like en-pt")

    @property
    def body_limit(self) -> int:
        return self.max_body or max(1 << 20, 12 * self.max_chars)


class ServeError(Exception):
    """An error answered as ``{"error": message}`` with ``status`` (LibreTranslate's shape)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None, reason: str = "") -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}
        self.reason = reason or {400: "bad_request", 403: "forbidden", 404: "not_found", 408: "read_timeout",
                                 413: "too_large", 429: "rate_limited", 501: "not_implemented", 503: "unavailable",
                                 504: "timeout"}.get(status, "error")


def read_api_keys(path: Path) -> dict[str, int | None]:
    """``key`` or ``key,requests_per_minute`` per line; blank lines and ``#`` comments skipped."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"cannot read the API keys file {path}: {e}") from None
    keys: dict[str, int | None] = {}
    for n, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, limit = (part.strip() for part in line.partition(","))
        if not key or any(c.isspace() for c in key):
            raise ConfigError(f"{path}:{n}: an API key must be one word")
        if limit:
            try:
                value = int(limit)
                if value < 0:
                    raise ValueError
            except ValueError:
                raise ConfigError(f"{path}:{n}: the limit after the key must be requests per minute (an integer >= 0)") from None
            keys[key] = value
        else:
            keys[key] = None
    if not keys:
        raise ConfigError(f"the API keys file {path} holds no key")
    return keys


class Access:
    """API keys and rate limits (LibreTranslate's rules): ``api_key`` in the body or query, or
    ``Authorization: Bearer KEY`` / ``X-API-Key``. A known key gets its own limit; an unknown key is
    refused; no key is let through with the per-address limit unless keys are required. Limits count
    texts (a list of 10 texts costs 10) in one bucket per key or address that all workers share."""

    def __init__(self, opts: ServeOptions, limiter: Any) -> None:
        self.keys = read_api_keys(opts.api_keys) if opts.api_keys else None
        self.required = opts.require_api_key
        self.default_limit = opts.rate_limit
        self.limiter = limiter

    @staticmethod
    def key_of(headers: Any, params: dict[str, Any] | None = None) -> str | None:
        key = (params or {}).get("api_key")
        if isinstance(key, str) and key:
            return key
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip() or None
        return headers.get("x-api-key") or None

    def check(self, key: str | None, client: str, cost: int = 1) -> None:
        """Raise ServeError 403 (a key required or unknown), 400 (more texts than a minute allows)
        or 429 (over the rate limit, with Retry-After); else count ``cost`` texts."""
        who, limit = f"ip:{client}", self.default_limit
        if self.keys is not None and key:
            if key not in self.keys:
                raise ServeError(403, "Invalid API key")
            own = self.keys[key]
            who, limit = f"key:{key}", self.default_limit if own is None else own
        elif self.required:
            raise ServeError(403, "an API key is required: pass api_key (or the header Authorization: Bearer KEY)")
        if limit <= 0:
            return
        if cost > limit:
            raise ServeError(400, f"Invalid request: {cost} texts in one request exceed the rate limit of {limit} per minute")
        wait = self.limiter.take(who, limit, cost)
        if wait:
            raise ServeError(429, f"Slowdown: {limit} texts per minute; retry in {math.ceil(wait)} s",
                             {"Retry-After": str(math.ceil(wait))})


def threads_per_worker(cfg: PipelineConfig, workers: int) -> PipelineConfig:
    """Each worker's engine threads: the config's, else the cores shared among the workers."""
    if cfg.translate.threads:
        return cfg
    threads = max(1, available_cores() // max(1, workers))
    return dataclasses.replace(cfg, translate=dataclasses.replace(cfg.translate, threads=threads))
