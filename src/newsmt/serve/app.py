"""The FastAPI app of ``newsmt serve`` (``runner.serve`` runs it with uvicorn, or Ray Serve).

Routes: LibreTranslate's API (``libre.py``, ``files.py``); newsmt's own ``/v1`` (``v1.py``;
OpenAPI at ``/docs``, ``/openapi.json`` and LibreTranslate's ``/spec``); ``/health``, ``/metrics``
and the web page at ``/`` (``page.py``). Every response carries ``X-Request-ID`` (the client's,
else a new one) and is logged as one JSON line on stderr. Errors are ``{"error": "..."}``;
malformed requests are 4xx, never 500.
"""
from __future__ import annotations

import asyncio
import signal
import threading
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..config import PipelineConfig
from ..errors import NewsmtError
from . import files, libre, v1
from .limits import ServeError, ServeOptions
from .middleware import ServeMiddleware, setup_logging
from .page import mount_page
from .service import Service, error_status


def create_app(cfg: PipelineConfig, options: ServeOptions | None = None, *, resources: Any = None,
               **limits: Any) -> FastAPI:
    """The app for ``cfg``; ``options`` (or keyword limits, see ``ServeOptions``). Models load in the
    background when the app starts (lifespan); ``/health`` is 200 once they are loaded."""
    opts = options or ServeOptions.from_kwargs(**limits)
    setup_logging(opts.log_json)
    svc = Service(cfg, opts, resources)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        restore = _chain_signals(svc)
        svc.start()
        try:
            yield
        finally:
            svc.begin_drain()
            await asyncio.get_running_loop().run_in_executor(None, svc.close)
            restore()

    app = FastAPI(title="newsmt", version=__version__, lifespan=lifespan,
                  description="Sentence-aligned news translation and attributed summaries. LibreTranslate's API "
                              "(`/translate`, `/translate_file`, `/detect`, `/languages`, `/suggest`, "
                              "`/frontend/settings`); newsmt's own under `/v1`.")
    app.state.service = svc
    for router in (libre.router, files.router, v1.router):
        app.include_router(router)
    _errors(app, svc)
    _service_routes(app, svc)
    mount_page(app)
    if opts.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=opts.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type", "X-API-Key", "X-Request-ID"],
                           expose_headers=["X-Request-ID", "Retry-After"])
    paths = [getattr(r, "path", "") for r in (*app.routes, *libre.router.routes, *files.router.routes, *v1.router.routes)]
    app.add_middleware(ServeMiddleware, service=svc, endpoints={p for p in paths if p and "{" not in p})
    return app


def _errors(app: FastAPI, svc: Service) -> None:
    """Every error as ``{"error": ...}`` with its status."""

    def answer(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
        request.state.error = message
        return JSONResponse({"error": message}, status_code=status, headers=headers)

    @app.exception_handler(ServeError)
    async def _serve_error(request: Request, e: ServeError) -> JSONResponse:
        svc.metrics.rejected.labels(e.reason).inc()
        return answer(request, e.status, e.message, e.headers)

    @app.exception_handler(NewsmtError)
    async def _newsmt_error(request: Request, e: NewsmtError) -> JSONResponse:
        return answer(request, error_status(e), str(e))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, e: StarletteHTTPException) -> JSONResponse:
        return answer(request, e.status_code, str(e.detail), getattr(e, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, e: RequestValidationError) -> JSONResponse:
        errs = "; ".join(f"{'.'.join(str(x) for x in err.get('loc', ()))}: {err.get('msg')}" for err in e.errors()[:5])
        return answer(request, 400, f"Invalid request: {errs}")


def _service_routes(app: FastAPI, svc: Service) -> None:
    @app.get("/health", tags=["service"], summary="200 {status: ok} once the models are loaded, else 503")
    async def health() -> JSONResponse:
        body: dict[str, Any] = {"status": "ok" if svc.state == "ready" else svc.state}
        if svc.state == "error":
            body["error"] = svc.error
        if svc.state == "ready":
            body["pairs"] = [f"{s}-{t}" for s, t in sorted(svc.pairs)]
        return JSONResponse(body, status_code=200 if svc.state == "ready" else 503)

    @app.get("/metrics", tags=["service"], summary="Prometheus metrics (text format), all workers merged")
    async def metrics() -> Response:
        data, ctype = svc.metrics.render()
        return Response(data, media_type=ctype)


def _chain_signals(svc: Service) -> Any:
    """On SIGTERM/SIGINT mark the service draining (new requests 503) before the server's own handler."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    saved = {}
    for sig in (signal.SIGTERM, signal.SIGINT):
        prev = signal.getsignal(sig)

        def handler(signum: int, frame: Any, prev: Any = prev) -> None:
            svc.begin_drain()
            if callable(prev):
                prev(signum, frame)
            elif prev == signal.SIG_DFL:
                raise KeyboardInterrupt

        try:
            signal.signal(sig, handler)
            saved[sig] = prev
        except (ValueError, OSError):  # pragma: no cover
            pass

    def restore() -> None:
        for sig, prev in saved.items():
            try:
                signal.signal(sig, prev)
            except (ValueError, OSError, TypeError):  # pragma: no cover
                pass

    return restore
