"""The FastAPI app of ``newsmt serve`` (``runner.serve`` runs it with uvicorn, or Ray Serve).

Routes: LibreTranslate's ``/translate``, ``/languages``, ``/detect`` (``libre.py``); newsmt's own
versioned API ``/v1/articles``, ``/v1/score``, ``/v1/models``, ``/v1/render`` (OpenAPI at
``/docs`` and ``/openapi.json``); ``/health``, ``/metrics`` and the web page at ``/`` (``page.py``).

Every response carries ``X-Request-ID`` (the client's, else a new one) and is logged as one JSON
line on stderr. Errors are ``{"error": "..."}``; malformed bodies are 400, never 500.
"""
from __future__ import annotations

import asyncio
import json
import signal
import threading
import time
from contextlib import asynccontextmanager
from typing import Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..config import PipelineConfig
from ..errors import NewsmtError
from .libre import check_access
from .libre import router as libre_router
from .limits import ServeError, ServeOptions, json_object
from .middleware import ServeMiddleware, setup_logging
from .service import (
    ARTICLE_FORMATS,
    RENDER_FORMATS,
    Service,
    error_status,
    norm_lang,
)


# ---- API models (for the OpenAPI documentation and validation) --------------------------------
class ArticleRequest(BaseModel):
    text: str = Field(..., description="The article: plain text, Markdown or HTML (see format)")
    format: Literal["txt", "md", "html", "auto"] = Field("auto", description="auto: HTML if it starts with a tag, else txt")
    src: str | None = Field(None, description="Source language; 'auto' detects it; default: the config's segment.lang")
    tgt: str | None = Field(None, description="Target language; default: the config's translate.tgt")
    translate: bool | None = Field(None, description="Translate (default: the config's translate.enabled)")
    summarize: bool | None = Field(None, description="Summarize (default: the config's summarize.enabled)")
    id: str = Field("doc", description="Document id written into the record", max_length=200)
    meta: dict[str, Any] = Field(default_factory=dict, description="Merged into the record's meta (e.g. url, title, source)")
    api_key: str | None = None


class ScorePair(BaseModel):
    source: str
    target: str


class ScoreRequest(BaseModel):
    src: str = Field(..., description="Source language")
    tgt: str = Field(..., description="Target language")
    pairs: list[ScorePair] = Field(..., max_length=1000)
    api_key: str | None = None


class ScoreItem(BaseModel):
    score: float
    flags: list[str]


class ScoreResponse(BaseModel):
    scorer: str
    scores: list[ScoreItem]


def _body_doc(model: type[BaseModel], extra_types: tuple[str, ...] = ()) -> dict[str, Any]:
    content: dict[str, Any] = {"application/json": {"schema": model.model_json_schema(ref_template="#/components/schemas/{model}")}}
    for t in extra_types:
        content[t] = {"schema": {"type": "string"}}
    return {"requestBody": {"required": True, "content": content}}


async def _json_body(request: Request, model: type[BaseModel]) -> BaseModel:
    body = await request.body()
    if not body.strip():
        raise ServeError(400, "Invalid request: empty body")
    data = json_object(body)
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise ServeError(400, f"Invalid request: {_validation_text(e)}") from None


def _validation_text(e: Any) -> str:
    try:
        errs = e.errors()
    except Exception:  # noqa: BLE001
        return str(e)
    return "; ".join(f"{'.'.join(str(x) for x in err.get('loc', ()) if x != 'body') or 'body'}: {err.get('msg')}"
                     for err in errs[:5])


# ---- the app ---------------------------------------------------------------------------------
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
                  description="Sentence-aligned news translation and attributed summaries. "
                              "LibreTranslate-compatible `/translate`, `/languages`, `/detect`; "
                              "newsmt's own API under `/v1`.")
    app.state.service = svc
    app.include_router(libre_router)

    # -- errors --
    @app.exception_handler(ServeError)
    async def _serve_error(request: Request, e: ServeError) -> JSONResponse:
        svc.metrics.rejected.labels(e.reason).inc()
        request.state.error = e.message
        return JSONResponse({"error": e.message}, status_code=e.status, headers=e.headers)

    @app.exception_handler(NewsmtError)
    async def _newsmt_error(request: Request, e: NewsmtError) -> JSONResponse:
        request.state.error = str(e)
        return JSONResponse({"error": str(e)}, status_code=error_status(e))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, e: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"error": str(e.detail)}, status_code=e.status_code, headers=getattr(e, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, e: RequestValidationError) -> JSONResponse:
        return JSONResponse({"error": f"Invalid request: {_validation_text(e)}"}, status_code=400)

    # -- service routes --
    @app.get("/health", tags=["service"], summary="200 {status: ok} once the models are loaded, else 503")
    async def health() -> JSONResponse:
        body: dict[str, Any] = {"status": "ok" if svc.state == "ready" else svc.state}
        if svc.state == "error":
            body["error"] = svc.error
        if svc.state == "ready":
            body["pairs"] = [f"{s}-{t}" for s, t in sorted(svc.pairs)]
        return JSONResponse(body, status_code=200 if svc.state == "ready" else 503)

    @app.get("/metrics", tags=["service"], summary="Prometheus metrics (text format)")
    async def metrics() -> Response:
        data, ctype = svc.metrics.render()
        return Response(data, media_type=ctype)

    # -- newsmt's own API --
    @app.post("/v1/articles", tags=["v1"], summary="Segment, translate and summarize one article",
              openapi_extra=_body_doc(ArticleRequest, ("text/plain", "text/markdown", "text/html")),
              responses={200: {"description": "The aligned record: exactly the `records.jsonl` line `newsmt run` writes",
                               "content": {"application/json": {"schema": {"type": "object"}}}}})
    async def articles(request: Request, src: str | None = Query(None), tgt: str | None = Query(None),
                       summarize: bool | None = Query(None), translate: bool | None = Query(None),
                       id: str | None = Query(None, max_length=200)) -> Response:
        deadline = time.monotonic() + opts.timeout
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype in ("text/plain", "text/markdown", "text/html"):  # raw body, options in the query
            raw = await request.body()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise ServeError(400, "Invalid request: the body is not UTF-8") from None
            fmt = {"text/plain": "txt", "text/markdown": "md", "text/html": "html"}[ctype]
            req = ArticleRequest(text=text, format=fmt, src=src, tgt=tgt, summarize=summarize, translate=translate, id=id or "doc")
            check_access(request, svc)
        else:
            req = await _json_body(request, ArticleRequest)  # type: ignore[assignment]
            for name, value in (("src", src), ("tgt", tgt), ("summarize", summarize), ("translate", translate)):
                if value is not None and getattr(req, name) is None:
                    setattr(req, name, value)
            check_access(request, svc, {"api_key": req.api_key})
        if not req.text.strip():
            raise ServeError(400, "Invalid request: empty text")
        if len(req.text) > opts.max_chars:
            raise ServeError(413, f"Invalid request: the article ({len(req.text)} characters) exceeds the limit ({opts.max_chars})")
        svc.require_ready()
        fmt = req.format if req.format != "auto" else ("html" if req.text.lstrip()[:1] == "<" else "txt")
        src = norm_lang(req.src) if req.src else svc.default_pair[0]
        if not src:
            raise ServeError(400, f"{req.src} is not supported")
        if src == "auto":
            src = svc.detect(req.text)[0]["language"]
        tgt = norm_lang(req.tgt) if req.tgt else svc.default_pair[1]
        if not tgt or tgt == "auto":
            raise ServeError(400, f"{req.tgt} is not supported as a target")
        cfg2 = svc.article_cfg(src, tgt, req.translate, req.summarize)
        if cfg2.translate.enabled:
            svc.check_pair(src, tgt)
        handle: dict[str, Any] = {}
        loop = asyncio.get_running_loop()
        fut = loop.run_in_executor(svc.articles, svc.process_article, req.text, fmt, cfg2, req.id, req.meta, deadline, handle)
        try:
            record, sentences = await asyncio.wait_for(asyncio.shield(fut), max(0.001, deadline - time.monotonic()))
        except TimeoutError:  # the deadline here, or a batch wait that ran past it in the thread
            handle["cancelled"] = True
            if "resources" in handle:
                handle["resources"].cancel()
            raise ServeError(504, f"the article took longer than {opts.timeout:g} s") from None
        except (ServeError, NewsmtError):
            raise
        except Exception as e:
            from .batching import Cancelled, Closed, QueueFull

            if isinstance(e, QueueFull):
                raise ServeError(503, str(e), {"Retry-After": str(e.retry_after)}, reason="queue_full") from None
            if isinstance(e, (Closed, Cancelled)):
                raise ServeError(503, str(e), {"Retry-After": "5"}) from None
            raise
        request.state.sentences = sentences
        return Response(record, media_type="application/json")

    @app.post("/v1/render", tags=["v1"], summary="Render an aligned record as JSONL, TMX, XLIFF, ...",
              openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}}})
    async def render_record(request: Request, format: str = Query("jsonl", description=f"one of: {', '.join(RENDER_FORMATS)}")) -> Response:
        body = await request.body()
        try:
            record = json.loads(body) if body.strip() else None
        except (ValueError, RecursionError):
            raise ServeError(400, "Invalid JSON format") from None
        check_access(request, svc, record if isinstance(record, dict) else None)
        text, name = await asyncio.get_running_loop().run_in_executor(svc.articles, svc.render_record, record, format)
        media = {"tmx": "application/x-tmx+xml", "xliff": "application/xliff+xml", "md": "text/markdown",
                 "summary-md": "text/markdown", "tsv": "text/tab-separated-values"}.get(format, "application/x-ndjson"
                                                                                          if format.endswith("jsonl") or format == "segments"
                                                                                          else "text/plain")
        return Response(text, media_type=f"{media}; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @app.post("/v1/score", tags=["v1"], summary="Quality score and flags for (source, translation) pairs",
              response_model=ScoreResponse, openapi_extra=_body_doc(ScoreRequest),
              responses={501: {"description": "No quality scorer on this server"}})
    async def score(request: Request) -> JSONResponse:
        req: ScoreRequest = await _json_body(request, ScoreRequest)  # type: ignore[assignment]
        check_access(request, svc, {"api_key": req.api_key})
        size = sum(len(p.source) + len(p.target) for p in req.pairs)
        if size > 2 * opts.max_chars:
            raise ServeError(413, f"Invalid request: the pairs ({size} characters) exceed the limit ({2 * opts.max_chars})")
        src, tgt = norm_lang(req.src), norm_lang(req.tgt)
        if not src or not tgt or "auto" in (src, tgt):
            raise ServeError(400, "Invalid request: src and tgt must be language codes")
        svc.require_ready()
        scorer, scores = await asyncio.wait_for(asyncio.get_running_loop().run_in_executor(
            svc.scoring, svc.score, src, tgt, [p.source for p in req.pairs], [p.target for p in req.pairs]), opts.timeout)
        return JSONResponse({"scorer": scorer, "scores": [{"score": s, "flags": f} for s, f in scores]})

    @app.get("/v1/models", tags=["v1"], summary="Language pairs served, their models, which are loaded")
    async def models() -> JSONResponse:
        loaded = svc.loaded_pairs()
        return JSONResponse({
            "newsmt": __version__,
            "state": svc.state,
            "default": {"src": svc.default_pair[0], "tgt": svc.default_pair[1]},
            "pairs": [{"src": s, "tgt": t, "model": m, "loaded": (s, t) in loaded} for (s, t), m in sorted(svc.pairs.items())],
            "formats": {"articles": list(ARTICLE_FORMATS), "render": list(RENDER_FORMATS)},
            "limits": {"max_chars": opts.max_chars, "max_body": opts.body_limit, "max_queue": opts.max_queue,
                       "timeout": opts.timeout, "batch_sentences": opts.batch_sentences, "batch_wait_ms": opts.batch_wait_ms},
        })

    from .page import mount_page

    mount_page(app)

    # -- middleware (outermost last) --
    if opts.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=opts.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type", "X-API-Key", "X-Request-ID"],
                           expose_headers=["X-Request-ID", "Retry-After"])
    paths = [getattr(r, "path", "") for r in [*app.routes, *libre_router.routes]]
    endpoints = {p for p in paths if p and "{" not in p}
    app.add_middleware(ServeMiddleware, service=svc, endpoints=endpoints)
    return app


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
