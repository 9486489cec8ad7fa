"""LibreTranslate's API (its documented request and response shapes), so its clients work unchanged.

``POST /translate`` (``q`` a string or a list, ``source`` a code or ``auto``, ``target``, ``format``
text|html, ``alternatives``, ``api_key``), ``GET /languages``, ``POST /detect``, ``GET
/frontend/settings``, ``GET /spec``, ``POST /suggest``; ``/translate_file`` and ``/download_file``
are in ``files.py``. Bodies: JSON, urlencoded or multipart form, parameters also in the query.
Errors: ``{"error": "..."}`` with LibreTranslate's status codes (400, 403, 429, 500), plus 408
(body too slow), 413 (too long), 503 (queue full, loading, shutting down; with Retry-After) and 504.

Codes are read by ``languages.norm_lang``, once per request: LibreTranslate's ``pb`` and ``zt`` are
``pt-BR`` and ``zh-Hant`` (served by the ``pt`` and ``zh`` pairs, with the variant's forms).
``source=auto`` detects each text of a list on its own. ``alternatives`` come from the model's n-best
list where the backend gives one (``translation.alternatives_of``); the Bergamot engine gives none,
so they are ``[]`` (one per text for a list). ``/detect`` answers the identifier's
``DETECT_CANDIDATES`` likeliest languages.
"""
from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from ..languages import Language, norm_lang
from .files import FILE_FORMATS
from .limits import ServeError
from .params import check_access, integer, languages_of, read_params, service, size_check, text, texts
from .translation import translate_texts

router = APIRouter()
MAX_ALTERNATIVES = 3
DETECT_CANDIDATES = 3
Detected = list[tuple[Language, float]]  # each text's language and the identifier's confidence


def _doc(body: dict[str, Any], *codes: int) -> dict[str, Any]:
    """OpenAPI: a request body with these properties and the error answers ``codes``."""
    error = {"content": {"application/json": {"schema": {"type": "object", "properties": {"error": {"type": "string"}}}}}}
    names = {400: "Invalid request", 403: "Banned / invalid API key", 408: "Body too slow", 413: "Too long",
             429: "Slow down", 500: "Translation error", 503: "Busy, loading or shutting down", 504: "Timeout"}
    schema = {"type": "object", "properties": body, "required": [k for k in body if k in ("q", "s", "source", "target")]}
    return {"openapi_extra": {"requestBody": {"content": {"application/json": {"schema": schema},
                                                          "application/x-www-form-urlencoded": {"schema": schema}}}},
            "responses": {c: {"description": names[c], **error} for c in codes}}


_STR = {"type": "string"}
_Q = {"oneOf": [_STR, {"type": "array", "items": _STR}], "description": "Text(s) to translate"}


@router.post("/translate", tags=["LibreTranslate"], summary="Translate text (LibreTranslate API)",
             **_doc({"q": _Q, "source": {**_STR, "description": 'Source language code or "auto"'},
                     "target": {**_STR, "description": "Target language code"},
                     "format": {"type": "string", "enum": ["text", "html"], "default": "text"},
                     "alternatives": {"type": "integer", "default": 0, "description": "from the n-best list; [] for "
                                      "the Bergamot engine"}, "api_key": _STR}, 400, 403, 408, 413, 429, 500, 503, 504))
async def translate(request: Request) -> JSONResponse:
    svc = service(request)
    params = await read_params(request)
    items, batch = texts(params)
    src, tgt = languages_of(params)
    fmt = text(params, "format", required=False) or "text"
    if fmt not in ("text", "html"):
        raise ServeError(400, f"{fmt} format is not supported")
    alternatives = integer(params, "alternatives", 0, 0, MAX_ALTERNATIVES)
    size_check(items, svc.opts.max_chars)
    check_access(request, params, cost=len(items))
    svc.require_ready()

    def work(deadline: float, handle: dict[str, Any]) -> tuple[Detected, list[str], list[list[str]], int]:
        found = [svc.source_of(t, tgt) for t in items] if src is None else [(src, 1.0)] * len(items)
        sources = list(dict.fromkeys(lang for lang, _ in found))
        for lang in sources:
            svc.check_pair(lang, tgt)
        out, others, sentences = list(items), [[] for _ in items], 0
        for lang in sources:  # the texts of each language together
            idx = [i for i, (x, _) in enumerate(found) if x == lang]
            cfg = svc.task_cfg(lang, tgt)
            handle["resources"] = resources = svc.batched(cfg, deadline)
            done = translate_texts([items[i] for i in idx], fmt, cfg, resources, svc.opts.sanitize_html, alternatives)
            for i, t, a in zip(idx, done[0], done[1]):
                out[i], others[i] = t, a
            sentences += done[2]
        return found, out, others, sentences

    found, out, others, sentences = await svc.run(work)
    request.state.sentences = sentences
    body: dict[str, Any] = {"translatedText": out if batch else out[0]}
    if src is None:
        detected = [{"confidence": round(100.0 * confidence, 2), "language": lang.tag} for lang, confidence in found]
        body["detectedLanguage"] = detected if batch else detected[0]
    if alternatives:
        body["alternatives"] = others if batch else others[0]
    return JSONResponse(body)


@router.get("/languages", tags=["LibreTranslate"], summary="Supported languages (LibreTranslate API)")
async def languages(request: Request) -> JSONResponse:
    return JSONResponse(service(request).languages())


@router.post("/detect", tags=["LibreTranslate"], summary="Detect the language of a text (LibreTranslate API)",
             **_doc({"q": _STR, "api_key": _STR}, 400, 403, 408, 413, 429))
async def detect(request: Request) -> JSONResponse:
    svc = service(request)
    params = await read_params(request)
    items, _ = texts(params)
    size_check(items, svc.opts.max_chars)
    check_access(request, params)
    svc.require_ready()
    found = await asyncio.get_running_loop().run_in_executor(svc.work, svc.identifier.ranked, "\n".join(items),
                                                             DETECT_CANDIDATES)
    candidates = [{"confidence": round(100.0 * confidence, 2), "language": norm_lang(code)}
                  for code, confidence in found]
    return JSONResponse([c for c in candidates if c["language"] and c["confidence"] > 0])


@router.get("/frontend/settings", tags=["LibreTranslate"], summary="Settings for a web page (LibreTranslate API)")
async def frontend_settings(request: Request) -> JSONResponse:
    svc = service(request)
    tgt = svc.default_pair[1]
    return JSONResponse({
        "charLimit": svc.opts.max_chars, "frontendTimeout": 500, "apiKeys": svc.access.keys is not None,
        "keyRequired": svc.opts.require_api_key, "suggestions": svc.opts.suggestions, "filesTranslation": True,
        "supportedFilesFormat": list(FILE_FORMATS),
        "language": {"source": {"code": "auto", "name": "Auto Detect"}, "target": {"code": tgt.tag, "name": tgt.name}},
    })


@router.get("/spec", tags=["LibreTranslate"], summary="This API's OpenAPI document (LibreTranslate's /spec)")
async def spec(request: Request) -> JSONResponse:
    return JSONResponse(request.app.openapi())


@router.post("/suggest", tags=["LibreTranslate"], summary="Suggest a better translation (LibreTranslate API)",
             **_doc({"q": {**_STR, "description": "Original text"}, "s": {**_STR, "description": "Suggested translation"},
                     "source": _STR, "target": _STR, "api_key": _STR}, 400, 403, 413, 429))
async def suggest(request: Request) -> JSONResponse:
    svc = service(request)
    if not svc.opts.suggestions:
        raise ServeError(403, "Suggestions are disabled on this server.")
    params = await read_params(request)
    q, s = text(params, "q"), text(params, "s")
    src, tgt = languages_of(params)
    if src is None:
        raise ServeError(400, "auto is not supported: name the source language")
    size_check([q, s], svc.opts.max_chars)
    check_access(request, params)
    await asyncio.get_running_loop().run_in_executor(svc.work, svc.suggestions().add, q, s, src.tag, tgt.tag)
    return JSONResponse({"success": True})
