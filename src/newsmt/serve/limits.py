"""Limits and access: server options, errors with their HTTP status, API keys, rate limits."""
from __future__ import annotations

import dataclasses
import json
import math
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import PipelineConfig, available_cores
from ..errors import ConfigError


@dataclass
class ServeOptions:
    """Everything ``serve(**limits)`` / ``create_app(cfg, **limits)`` accepts besides host, port, workers."""

    api_keys: Path | None = None  # file: one key per line, optionally "key,requests_per_minute"; keys then required
    rate_limit: int = 0  # requests per minute per key (keys without their own limit) or per client IP; 0 = none
    max_chars: int = 20_000  # characters per request (413 above)
    max_body: int = 0  # bytes per request body (413 above); 0 = max(1 MiB, 12 x max_chars)
    max_queue: int = 2_000  # sentences waiting for the engine (503 + Retry-After above)
    max_in_flight: int = 256  # requests being handled at once (503 + Retry-After above)
    timeout: float = 60.0  # seconds per request (504 after)
    batch_wait_ms: float = 5.0  # how long a batch waits for more sentences once one is queued
    batch_sentences: int = 64  # sentences per engine batch at most
    batch_chars: int = 12_000  # characters per engine batch at most
    article_threads: int = 4  # threads running pipeline.process for /v1/articles
    cors_origins: list[str] = field(default_factory=list)  # e.g. ["https://example.org"]; [] = no CORS headers
    preload: list[str] = field(default_factory=list)  # more pairs to load at start ("pt-en"); the config's pair always
    shutdown_grace: float = 30.0  # seconds in-flight requests get to finish on SIGTERM/SIGINT
    log_json: bool = True  # one JSON line per request on stderr (with its X-Request-ID)

    @classmethod
    def from_kwargs(cls, **kwargs: Any) -> ServeOptions:
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(kwargs) - known
        if unknown:
            raise ConfigError(f"unknown serve option(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
        opts = cls(**{k: v for k, v in kwargs.items() if v is not None})
        if isinstance(opts.cors_origins, str):
            opts.cors_origins = [o.strip() for o in opts.cors_origins.split(",") if o.strip()]
        if isinstance(opts.preload, str):
            opts.preload = [o.strip() for o in opts.preload.split(",") if o.strip()]
        if opts.api_keys is not None:
            opts.api_keys = Path(opts.api_keys)
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
        for name in ("max_chars", "max_queue", "max_in_flight", "batch_sentences", "batch_chars", "article_threads"):
            if getattr(self, name) < 1:
                raise ConfigError(f"serve option {name} must be >= 1")
        for name in ("rate_limit", "max_body", "batch_wait_ms", "shutdown_grace"):
            if getattr(self, name) < 0:
                raise ConfigError(f"serve option {name} must be >= 0")
        if self.timeout <= 0:
            raise ConfigError("serve option timeout must be > 0 seconds")
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
        self.reason = reason or {400: "bad_request", 403: "forbidden", 404: "not_found", 413: "too_large",
                                 429: "rate_limited", 501: "not_implemented", 503: "unavailable",
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


class RateLimiter:
    """Token buckets: ``limit`` requests per minute each, refilled continuously (bursts up to ``limit``)."""

    def __init__(self) -> None:
        self._buckets: dict[str, tuple[float, float]] = {}  # who -> (tokens, last time)
        self._lock = threading.Lock()

    def check(self, who: str, limit: int) -> float:
        """0.0 when allowed (and counted), else the seconds until the next request is allowed."""
        if limit <= 0:
            return 0.0
        now = time.monotonic()
        rate = limit / 60.0
        with self._lock:
            tokens, last = self._buckets.get(who, (float(limit), now))
            tokens = min(float(limit), tokens + (now - last) * rate)
            if tokens >= 1.0:
                self._buckets[who] = (tokens - 1.0, now)
                return 0.0
            self._buckets[who] = (tokens, now)
            if len(self._buckets) > 100_000:  # forget idle clients
                self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < 120}
            return (1.0 - tokens) / rate


class Access:
    """API keys and rate limits for a request (LibreTranslate's: ``api_key`` in the body or query;
    also ``Authorization: Bearer KEY`` or ``X-API-Key``)."""

    def __init__(self, opts: ServeOptions) -> None:
        self.keys = read_api_keys(opts.api_keys) if opts.api_keys else None
        self.default_limit = opts.rate_limit
        self.limiter = RateLimiter()

    @staticmethod
    def key_of(headers: Any, params: dict[str, Any] | None = None) -> str | None:
        key = (params or {}).get("api_key")
        if isinstance(key, str) and key:
            return key
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip() or None
        return headers.get("x-api-key") or None

    def check(self, key: str | None, client: str) -> None:
        """Raise ServeError 403 (missing or unknown key) or 429 (over the rate limit)."""
        if self.keys is not None:
            if not key:
                raise ServeError(403, "an API key is required: pass api_key (or the header Authorization: Bearer KEY)")
            if key not in self.keys:
                raise ServeError(403, "Invalid API key")
            limit = self.keys[key]
            who, limit = f"key:{key}", self.default_limit if limit is None else limit
        else:
            who, limit = f"ip:{client}", self.default_limit
        wait = self.limiter.check(who, limit)
        if wait:
            raise ServeError(429, f"Slowdown: {limit} requests per minute; retry in {math.ceil(wait)} s",
                             {"Retry-After": str(math.ceil(wait))})


def json_object(body: bytes) -> dict:
    """A request body parsed as one JSON object; ServeError 400 when it is not one."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise ServeError(400, "Invalid JSON format") from None
    if not isinstance(data, dict):
        raise ServeError(400, "Invalid JSON format: the body must be a JSON object")
    return data


def threads_per_worker(cfg: PipelineConfig, workers: int) -> PipelineConfig:
    """Each worker's engine threads: the config's, else the cores shared among the workers."""
    if cfg.translate.threads:
        return cfg
    threads = max(1, available_cores() // max(1, workers))
    return dataclasses.replace(cfg, translate=dataclasses.replace(cfg.translate, threads=threads))
