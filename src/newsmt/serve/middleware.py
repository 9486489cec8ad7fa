"""The service's ASGI middleware and its JSON request log.

Each request: an id (``X-Request-ID``, the client's if it is sane), then its whole body is read
before any work: at most the body limit (413), within ``read_timeout`` seconds (408 and the
connection closed: a client trickling a body holds no work slot), a client that hangs up while
sending is logged as such (status 499, no traceback). Only then does it count as in flight (503
past ``max_in_flight``, or while draining). Anything unexpected is a JSON 500 with the traceback in
the log. Metrics and one JSON log line per request.
"""
from __future__ import annotations

import asyncio
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
GONE = 499  # the client hung up before the answer (nginx's code; never sent)
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


class ClientGone(Exception):
    """The client disconnected while sending its request."""


async def read_body(receive: Any, limit: int, timeout: float) -> bytes:
    """The whole body: ServeError 413 past ``limit`` bytes, 408 after ``timeout`` seconds;
    ClientGone when the client hangs up."""
    chunks: list[bytes] = []
    size = 0
    deadline = time.monotonic() + timeout
    while True:
        try:
            message = await asyncio.wait_for(receive(), max(0.0, deadline - time.monotonic()))
        except (TimeoutError, asyncio.TimeoutError):
            raise ServeError(408, f"Invalid request: the body did not arrive within {timeout:g} s",
                             {"Connection": "close"}) from None
        if message["type"] == "http.disconnect":
            raise ClientGone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise ServeError(413, f"Invalid request: the body exceeds the limit ({limit} bytes)", {"Connection": "close"})
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Any) -> Any:
    """``receive`` that gives the buffered body once, then waits for the disconnect."""
    sent = False

    async def replayed() -> dict:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


class ServeMiddleware:
    """Pure ASGI (no per-request task): see the module docstring."""

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
        state = scope.setdefault("state", {})
        state["request_id"] = rid
        path = scope.get("path", "")
        endpoint = path if path in self.endpoints else ("/static" if path.startswith("/static/") else
                                                        "/download_file" if path.startswith("/download_file/") else "other")
        started = {"status": 0}

        async def send_with_id(message: dict) -> None:
            if message["type"] == "http.response.start":
                started["status"] = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = rid
            try:
                await send(message)
            except OSError:  # the client went away while we answered
                started["gone"] = True

        probe = path in ("/health", "/metrics")
        counted = False
        try:
            limit = svc.opts.max_file_bytes if path == "/translate_file" else svc.opts.body_limit
            length = headers.get("content-length")
            if length is not None and (not length.isdigit() or int(length) > limit):
                raise (ServeError(413, f"Invalid request: the body ({length} bytes) exceeds the limit ({limit} bytes)",
                                  {"Connection": "close"}) if length.isdigit()
                       else ServeError(400, "Invalid request: bad Content-Length", {"Connection": "close"}))
            body = await read_body(receive, limit, svc.opts.read_timeout)
            if not probe and svc.state == "draining":
                raise ServeError(503, "the server is shutting down", {"Retry-After": "5", "Connection": "close"})
            svc.in_flight += 1
            svc.metrics.in_flight.inc()
            counted = True
            if not probe and svc.in_flight > svc.opts.max_in_flight:
                raise ServeError(503, f"too many requests in flight (limit {svc.opts.max_in_flight})",
                                 {"Retry-After": "1"}, reason="busy")
            await self.app(scope, _replay(body, receive), send_with_id)
        except ServeError as e:
            state["error"] = e.message
            if not started["status"]:
                await self._error(send_with_id, e)
        except ClientGone:
            started["status"] = GONE
        except Exception as e:  # noqa: BLE001 - a JSON 500, never a traceback page
            access_log.error("unhandled", exc_info=True, extra={"fields": {"request_id": rid, "path": path}})
            if not started["status"]:
                await self._error(send_with_id, ServeError(500, f"internal error ({type(e).__name__}); request id {rid}"))
        finally:
            if counted:
                svc.in_flight -= 1
                svc.metrics.in_flight.dec()
            status = started["status"] or 500
            dt = time.perf_counter() - t0
            svc.metrics.observe(endpoint, status, dt)
            if not probe or status >= 400:
                access_log.info("request", extra={"fields": {
                    "request_id": rid, "method": scope.get("method"), "path": path, "status": status,
                    "ms": round(1000 * dt, 1), **({"sentences": state["sentences"]} if "sentences" in state else {}),
                    **({"error": state["error"]} if "error" in state else {}),
                    **({"client": "gone"} if status == GONE or started.get("gone") else {})}})

    async def _error(self, send: Any, err: ServeError) -> None:
        self.svc.metrics.rejected.labels(err.reason).inc()
        body = json.dumps({"error": err.message}, ensure_ascii=False).encode()
        hdrs = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        hdrs += [(k.lower().encode(), v.encode("latin-1", "replace")) for k, v in err.headers.items()]
        await send({"type": "http.response.start", "status": err.status, "headers": hdrs})
        await send({"type": "http.response.body", "body": body})
