"""The service's ASGI middleware and its JSON request log: request ids, body limit (413), draining and
in-flight bound (503), a JSON 500 for anything unexpected, metrics, one log line per request."""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from typing import Any

from starlette.datastructures import MutableHeaders

from .limits import ServeError
from .service import Service

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
access_log = logging.getLogger("newsmt.serve")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {"t": round(record.created, 3), "level": record.levelname.lower(), "event": record.getMessage()}
        out.update(getattr(record, "fields", {}) or {})
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def setup_logging(enabled: bool) -> None:
    logger = logging.getLogger("newsmt.serve")
    logger.propagate = False
    if not enabled:
        logger.setLevel(logging.WARNING)
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())
        return
    logger.setLevel(logging.INFO)
    if not any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)


class ServeMiddleware:
    """Pure ASGI (no per-request task): request id, body limit (413), draining and in-flight bound
    (503), a JSON 500 for anything unexpected, metrics and one JSON log line per request."""

    def __init__(self, app: Any, service: Service, endpoints: set[str]) -> None:
        self.app, self.svc, self.endpoints = app, service, endpoints

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        svc = self.svc
        t0 = time.perf_counter()
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        rid = headers.get("x-request-id", "")
        rid = rid if _REQUEST_ID.match(rid) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        path = scope.get("path", "")
        endpoint = path if path in self.endpoints else ("/static" if path.startswith("/static/") else "other")
        started = {"status": 0}

        async def send_with_id(message: dict) -> None:
            if message["type"] == "http.response.start":
                started["status"] = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = rid
            await send(message)

        probe = path in ("/health", "/metrics")
        svc.in_flight += 1
        try:
            if not probe and svc.state == "draining":
                await self._error(send_with_id, ServeError(503, "the server is shutting down",
                                                           {"Retry-After": "5", "Connection": "close"}))
            elif not probe and svc.in_flight > svc.opts.max_in_flight:
                await self._error(send_with_id, ServeError(503, f"too many requests in flight (limit {svc.opts.max_in_flight})",
                                                           {"Retry-After": "1"}, reason="busy"))
            else:
                limit = svc.opts.body_limit
                length = headers.get("content-length")
                if length is not None and (not length.isdigit() or int(length) > limit):
                    err = (ServeError(413, f"Invalid request: the body ({length} bytes) exceeds the limit ({limit} bytes)")
                           if length.isdigit() else ServeError(400, "Invalid request: bad Content-Length"))
                    await self._error(send_with_id, err, close=True)
                else:
                    await self.app(scope, _limited(receive, limit), send_with_id)
        except Exception as e:  # noqa: BLE001 - a JSON 500, never a traceback page
            access_log.error("unhandled", exc_info=True, extra={"fields": {"request_id": rid, "path": path}})
            if not started["status"]:
                await self._error(send_with_id, ServeError(500, f"internal error ({type(e).__name__}); request id {rid}"))
        finally:
            svc.in_flight -= 1
            status = started["status"] or 500
            dt = time.perf_counter() - t0
            svc.metrics.observe(endpoint, status, dt)
            if not probe or status >= 400:
                state = scope.get("state", {})
                access_log.info("request", extra={"fields": {
                    "request_id": rid, "method": scope.get("method"), "path": path, "status": status,
                    "ms": round(1000 * dt, 1), **({"sentences": state["sentences"]} if "sentences" in state else {}),
                    **({"error": state["error"]} if "error" in state else {})}})

    async def _error(self, send: Any, err: ServeError, close: bool = False) -> None:
        self.svc.metrics.rejected.labels(err.reason).inc()
        body = json.dumps({"error": err.message}, ensure_ascii=False).encode()
        hdrs = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        hdrs += [(k.lower().encode(), v.encode()) for k, v in err.headers.items()]
        if close and "Connection" not in err.headers:
            hdrs.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": err.status, "headers": hdrs})
        await send({"type": "http.response.body", "body": body})


def _limited(receive: Any, limit: int) -> Any:
    """``receive`` that raises 413 once a (chunked) body passes ``limit`` bytes."""
    seen = 0

    async def wrapped() -> dict:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise ServeError(413, f"Invalid request: the body exceeds the limit ({limit} bytes)")
        return message

    return wrapped
