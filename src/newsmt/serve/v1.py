"""newsmt's own versioned API: ``POST /v1/articles`` (the aligned record ``newsmt run`` writes),
``POST /v1/render`` (a record as TMX, XLIFF, JSONL, ...), ``POST /v1/score`` (the flags ``newsmt
score`` gives), ``GET /v1/models``."""
from __future__ import annotations

from typing import Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, ValidationError

from .. import __version__
from ..document import Document
from ..errors import NewsmtError
from ..languages import resolve
from ..pipeline import process
from ..sources import detect_language, read_text
from ..writers import output_name, render
from .limits import ServeError
from .params import check_access, json_body, language, query_params, read_params, service

router = APIRouter(prefix="/v1", tags=["v1"])
ARTICLE_FORMATS = ("txt", "md", "html")
RENDER_FORMATS = ("jsonl", "tmx", "xliff", "tsv", "md", "doc", "record", "segments", "summary-jsonl", "summary-md")
_RAW = {"text/plain": "txt", "text/markdown": "md", "text/html": "html"}
_MEDIA = {"tmx": "application/x-tmx+xml", "xliff": "application/xliff+xml", "md": "text/markdown",
          "summary-md": "text/markdown", "tsv": "text/tab-separated-values"}


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


def _body_doc(model: type[BaseModel], extra_types: tuple[str, ...] = ()) -> dict[str, Any]:
    content: dict[str, Any] = {"application/json": {"schema": model.model_json_schema(ref_template="#/components/schemas/{model}")}}
    content.update({t: {"schema": {"type": "string"}} for t in extra_types})
    return {"requestBody": {"required": True, "content": content}}


def _model(data: dict[str, Any], model: type[BaseModel]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as e:
        errs = "; ".join(f"{'.'.join(str(x) for x in err.get('loc', ())) or 'body'}: {err.get('msg')}" for err in e.errors()[:5])
        raise ServeError(400, f"Invalid request: {errs}") from None


async def _article_request(request: Request) -> ArticleRequest:
    """The article and its options: a JSON body, or the raw text (text/plain, text/markdown,
    text/html) with the options in the query."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype in _RAW:
        query = query_params(request)
        raw = await request.body()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ServeError(400, "Invalid request: the body is not UTF-8") from None
        return _model({**query.values, "text": text, "format": _RAW[ctype]}, ArticleRequest)
    params = await read_params(request)
    if not await request.body():
        raise ServeError(400, "Invalid request: empty body")
    return _model(params.values, ArticleRequest)


@router.post("/articles", summary="Segment, translate and summarize one article",
             openapi_extra=_body_doc(ArticleRequest, tuple(_RAW)),
             responses={200: {"description": "The aligned record: exactly the `records.jsonl` line `newsmt run` writes",
                              "content": {"application/json": {"schema": {"type": "object"}}}}})
async def articles(request: Request) -> Response:
    svc = service(request)
    req = await _article_request(request)
    check_access(request, {"api_key": req.api_key})
    if not req.text.strip():
        raise ServeError(400, "Invalid request: empty text")
    if len(req.text) > svc.opts.max_chars:
        raise ServeError(413, f"Invalid request: the article ({len(req.text)} characters) exceeds the limit ({svc.opts.max_chars})")
    svc.require_ready()
    fmt = req.format if req.format != "auto" else ("html" if req.text.lstrip()[:1] == "<" else "txt")
    src = language(req.src, auto=True) if req.src else svc.default_pair[0]
    tgt = language(req.tgt) if req.tgt else svc.default_pair[1]

    def work(deadline: float, handle: dict[str, Any]) -> tuple[str, int]:
        doc = read_text(req.text, fmt, src.tag if src else "", req.id)[0]
        if src is None:
            doc = detect_language(doc, svc.identifier)
        if not doc.lang:
            raise ServeError(400, "the language of the text could not be detected: name it (src)")
        source = resolve(doc.lang)
        cfg = svc.task_cfg(source, tgt, req.translate, req.summarize)
        if cfg.translate.enabled:
            svc.check_pair(source, tgt)
        doc.meta.update(req.meta)
        handle["resources"] = resources = svc.batched(cfg, deadline)
        doc = process(doc, cfg, resources)
        if not cfg.run.timings:
            doc.timings = {}
        return doc.to_json(), sum(1 for _ in doc.sentences())

    record, sentences = await svc.run(work)
    request.state.sentences = sentences
    return Response(record, media_type="application/json")


def content_disposition(name: str) -> str:
    """An attachment header for any file name (RFC 6266: an ASCII fallback and the UTF-8 name)."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@router.post("/render", summary="Render an aligned record as JSONL, TMX, XLIFF, ...",
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}}})
async def render_record(request: Request, format: str = Query("jsonl", description=f"one of: {', '.join(RENDER_FORMATS)}")) -> Response:
    body = await request.body()
    record = json_body(body) if body.strip() else None
    check_access(request, record)
    if format not in RENDER_FORMATS:
        raise ServeError(400, f"unknown format {format!r}; use one of: {', '.join(RENDER_FORMATS)}")
    if not isinstance(record, dict):
        raise ServeError(400, "the body must be an aligned record (a JSON object, as /v1/articles returns)")
    try:
        doc = Document.from_dict(record)
        text, name = render(doc, format), output_name(doc, format)
    except NewsmtError as e:
        raise ServeError(400, str(e)) from None
    except (TypeError, KeyError, ValueError, AttributeError, RecursionError) as e:
        raise ServeError(400, f"not an aligned record: {type(e).__name__}: {e}") from None
    media = _MEDIA.get(format, "application/x-ndjson" if format.endswith("jsonl") or format == "segments" else "text/plain")
    return Response(text, media_type=f"{media}; charset=utf-8", headers={"Content-Disposition": content_disposition(name)})


@router.post("/score", summary="Score, flags and evidence for (source, translation) pairs: those of `newsmt score`",
             openapi_extra=_body_doc(ScoreRequest), responses={501: {"description": "No quality scorer on this server"}})
async def score(request: Request) -> JSONResponse:
    svc = service(request)
    params = await read_params(request)
    req: ScoreRequest = _model(params.values, ScoreRequest)
    check_access(request, {"api_key": req.api_key}, cost=max(1, len(req.pairs)))
    size = sum(len(p.source) + len(p.target) for p in req.pairs)
    if size > 2 * svc.opts.max_chars:
        raise ServeError(413, f"Invalid request: the pairs ({size} characters) exceed the limit ({2 * svc.opts.max_chars})")
    src, tgt = language(req.src), language(req.tgt)
    svc.require_ready()
    scorer, records = await svc.score(src, tgt, [p.source for p in req.pairs], [p.target for p in req.pairs])
    return JSONResponse({"scorer": scorer, "scores": [{k: r[k] for k in ("score", "flags", "evidence")} for r in records]})


@router.get("/models", summary="Language pairs served, their models, which are loaded")
async def models(request: Request) -> JSONResponse:
    svc = service(request)
    opts, loaded = svc.opts, svc.loaded_pairs()
    return JSONResponse({
        "newsmt": __version__,
        "state": svc.state,
        "default": {"src": str(svc.default_pair[0] or "auto"), "tgt": str(svc.default_pair[1])},
        "pairs": [{"src": s, "tgt": t, "model": m, "loaded": (s, t) in loaded} for (s, t), m in sorted(svc.pairs.items())],
        "formats": {"articles": list(ARTICLE_FORMATS), "render": list(RENDER_FORMATS)},
        "limits": {"max_chars": opts.max_chars, "max_body": opts.body_limit, "max_queue": opts.max_queue,
                   "timeout": opts.timeout, "batch_sentences": opts.batch_sentences, "batch_wait_ms": opts.batch_wait_ms,
                   "rate_limit": opts.rate_limit, "max_file_bytes": opts.max_file_bytes},
    })

