"""LibreTranslate-compatible endpoints, so existing clients work unchanged.

``POST /translate`` (``q`` a string or a list, ``source`` a code or ``auto``, ``target``,
``format`` text|html, ``alternatives``, ``api_key``), ``GET /languages``, ``POST /detect``; form
(urlencoded or multipart) and JSON bodies; errors as ``{"error": "..."}`` with LibreTranslate's
status codes (400 bad parameters, 403 bad key, 429 rate limit, 500), plus 413 (too long),
503 (queue full, loading, shutting down; with Retry-After) and 504 (timeout).

Each ``q`` text is cut into sentences (newsmt's segmenter, the text between sentences kept as it
is) and its sentences go to the shared batcher. HTML keeps its markup: the text of each block is
translated sentence by sentence; inside inline markup (links, emphasis) each text run is
translated on its own; ``script``, ``style``, ``code`` and ``pre`` are left alone.
"""
from __future__ import annotations

import html
import re
import time
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from .limits import ServeError, json_object
from .service import Service, norm_lang

router = APIRouter()

_SKIP = {"script", "style", "code", "pre", "textarea", "noscript", "svg", "math", "template", "kbd", "samp", "var"}
_INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "data", "dfn", "em", "font", "i", "mark", "q", "s", "small",
           "span", "strong", "sub", "sup", "time", "u", "wbr", "del", "ins"}
_WORDLIKE = re.compile(r"[^\W_]")  # a letter or digit: something to translate
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


# ---- request parsing --------------------------------------------------------------------------
async def read_params(request: Request) -> dict[str, Any]:
    """Query parameters, then the JSON or form body (LibreTranslate reads both)."""
    params: dict[str, Any] = {}
    for k, v in request.query_params.multi_items():
        params.setdefault(k, v)
    body = await request.body()
    if not body.strip():
        return params
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json" or ctype.endswith("+json") or (ctype in ("", "text/plain") and body.lstrip()[:1] in (b"{", b"[")):
        return {**params, **json_object(body)}
    if ctype == "multipart/form-data":
        try:
            form = await request.form()
        except Exception:  # noqa: BLE001 - python-multipart raises several kinds
            raise ServeError(400, "Invalid request: malformed multipart body") from None
        for k, v in form.multi_items():
            if isinstance(v, str):
                params.setdefault(k, v)
        return params
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ServeError(400, "Invalid request: the body is not UTF-8") from None
    for k, v in parse_qsl(text, keep_blank_values=True):
        params.setdefault(k, v)
    return params


def service(request: Request) -> Service:
    return request.app.state.service


def check_access(request: Request, svc: Service, params: dict[str, Any] | None = None) -> None:
    client = request.client.host if request.client else "?"
    svc.access.check(svc.access.key_of(request.headers, params), client)


# ---- plans: text in, sentences out, text back -------------------------------------------------
class Plan:
    """A text cut into literal parts and sentences to translate; ``assemble`` puts it back."""

    def __init__(self, escape: bool = False) -> None:
        self.parts: list[str | int] = []
        self.sentences: list[str] = []
        self.escape = escape

    def add_text(self, text: str, lang: str, svc: Service) -> None:
        """Sentences of ``text`` to translate, the text between them kept (escaped for HTML)."""
        pos = 0
        for a, b in svc.split(text, lang):
            self.literal(text[pos:a])
            self.parts.append(len(self.sentences))
            self.sentences.append(text[a:b])
            pos = b
        self.literal(text[pos:])

    def literal(self, text: str, raw: bool = False) -> None:
        if text:
            self.parts.append(text if raw or not self.escape else html.escape(text, quote=False))

    def assemble(self, translations: list[str]) -> str:
        out = []
        for p in self.parts:
            if isinstance(p, int):
                t = translations[p]
                out.append(html.escape(t, quote=False) if self.escape else t)
            else:
                out.append(p)
        return "".join(out)


class _Tokens(HTMLParser):
    """HTML as tokens: ("tag", raw, name) | ("text", text, "") | ("raw", text, "")."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple[str, str, str]] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.tokens.append(("tag", self.get_starttag_text() or f"<{tag}>", tag))
        if tag in _SKIP and tag not in _VOID:
            self.skip += 1

    def handle_startendtag(self, tag: str, attrs: Any) -> None:
        self.tokens.append(("tag", self.get_starttag_text() or f"<{tag}/>", tag))

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self.skip:
            self.skip -= 1
        self.tokens.append(("tag", f"</{tag}>", "/" + tag))

    def handle_data(self, data: str) -> None:
        if self.cdata_elem is not None:  # script/style content: as written
            self.tokens.append(("raw", data, ""))
        elif self.skip:
            self.tokens.append(("raw", html.escape(data, quote=False), ""))
        else:
            self.tokens.append(("text", data, ""))

    def handle_comment(self, data: str) -> None:
        self.tokens.append(("raw", f"<!--{data}-->", ""))

    def handle_decl(self, decl: str) -> None:
        self.tokens.append(("raw", f"<!{decl}>", ""))

    def handle_pi(self, data: str) -> None:
        self.tokens.append(("raw", f"<?{data}>", ""))

    def unknown_decl(self, data: str) -> None:
        self.tokens.append(("raw", f"<![{data}]>", ""))


def html_plan(source: str, lang: str, svc: Service) -> Plan:
    parser = _Tokens()
    parser.feed(source)
    parser.close()
    plan = Plan(escape=True)
    run: list[tuple[str, str, str]] = []  # text and inline tags of one block

    def flush() -> None:
        if any(kind == "tag" for kind, _, _ in run):
            for kind, value, _ in run:  # inline markup: each text run with words on its own
                if kind == "text" and _WORDLIKE.search(value):
                    plan.add_text(value, lang, svc)
                elif kind == "text":
                    plan.literal(value)
                else:
                    plan.literal(value, raw=True)
        elif run:
            plan.add_text("".join(value for _, value, _ in run), lang, svc)
        run.clear()

    for kind, value, name in parser.tokens:
        if kind == "text" or kind == "tag" and name.lstrip("/") in _INLINE:
            run.append((kind, value, name))
        else:
            flush()
            plan.literal(value, raw=True)
    flush()
    return plan


def text_plan(source: str, lang: str, svc: Service) -> Plan:
    plan = Plan()
    plan.add_text(source.replace("\r\n", "\n"), lang, svc)
    return plan


# ---- endpoints --------------------------------------------------------------------------------
_FORM_DOC = {
    "requestBody": {
        "content": {
            "application/json": {"schema": {
                "type": "object", "required": ["q", "source", "target"],
                "properties": {
                    "q": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
                          "description": "Text(s) to translate"},
                    "source": {"type": "string", "description": "Source language code or \"auto\""},
                    "target": {"type": "string", "description": "Target language code"},
                    "format": {"type": "string", "enum": ["text", "html"], "default": "text"},
                    "alternatives": {"type": "integer", "default": 0, "description": "accepted; none are produced"},
                    "api_key": {"type": "string"},
                }}},
            "application/x-www-form-urlencoded": {"schema": {"type": "object"}},
        }
    }
}


def _error_doc(*codes: int) -> dict[int | str, dict[str, Any]]:
    schema = {"content": {"application/json": {"schema": {"type": "object", "properties": {"error": {"type": "string"}}}}}}
    return {c: {"description": d, **schema} for c, d in
            [(400, "Invalid request"), (403, "Banned / invalid API key"), (413, "Too long"), (429, "Slow down"),
             (500, "Translation error"), (503, "Busy, loading or shutting down"), (504, "Timeout")] if c in codes}


@router.post("/translate", tags=["LibreTranslate"], summary="Translate text (LibreTranslate API)",
             openapi_extra=_FORM_DOC, responses=_error_doc(400, 403, 413, 429, 500, 503, 504))
async def translate(request: Request) -> JSONResponse:
    svc = service(request)
    deadline = time.monotonic() + svc.opts.timeout
    params = await read_params(request)
    check_access(request, svc, params)
    q = params.get("q")
    if q is None or q == "" or q == []:
        raise ServeError(400, "Invalid request: missing q parameter")
    batch = isinstance(q, list)
    texts = q if batch else [q]
    if not all(isinstance(t, str) for t in texts):
        raise ServeError(400, "Invalid request: q must be a string or a list of strings")
    for name in ("source", "target"):
        if not params.get(name):
            raise ServeError(400, f"Invalid request: missing {name} parameter")
        if not isinstance(params[name], str):
            raise ServeError(400, f"Invalid request: {name} must be a language code")
    fmt = params.get("format") or "text"
    if fmt not in ("text", "html"):
        raise ServeError(400, f"{fmt} format is not supported")
    try:
        alternatives = max(0, int(params.get("alternatives") or 0))
    except (TypeError, ValueError):
        raise ServeError(400, "Invalid request: alternatives parameter is not a number") from None
    size = sum(len(t) for t in texts)
    if size > svc.opts.max_chars:
        raise ServeError(413, f"Invalid request: request ({size}) exceeds text limit ({svc.opts.max_chars})")
    svc.require_ready()

    source, target = norm_lang(params["source"]), norm_lang(params["target"])
    if not source:
        raise ServeError(400, f"{params['source']} is not supported")
    if not target:
        raise ServeError(400, f"{params['target']} is not supported")
    detected = None
    if source == "auto":
        detected = svc.detect("\n".join(texts))[0]
        source = detected["language"]
    if source != target:
        svc.check_pair(source, target)
    elif not any(source in pair for pair in svc.pairs):
        raise ServeError(400, f"{source} is not supported")
    plans = [(html_plan if fmt == "html" else text_plan)(t, source, svc) for t in texts]
    sentences = [s for p in plans for s in p.sentences]
    if source == target or not sentences:
        out = [p.assemble(p.sentences) for p in plans]
    else:
        results = await svc.translate(source, target, sentences, deadline)
        it = iter(r.text for r in results)
        out = [p.assemble([next(it) for _ in p.sentences]) for p in plans]
    body: dict[str, Any] = {"translatedText": out if batch else out[0]}
    if detected is not None:
        body["detectedLanguage"] = [detected] * len(texts) if batch else detected
    if alternatives:
        body["alternatives"] = [[] for _ in texts] if batch else []
    request.state.sentences = len(sentences)
    return JSONResponse(body)


@router.get("/languages", tags=["LibreTranslate"], summary="Supported languages (LibreTranslate API)")
async def languages(request: Request) -> JSONResponse:
    svc = service(request)
    if svc.state == "loading":
        svc.wait_ready(0)  # answer with what is known; the list fills when loading is done
    return JSONResponse(svc.languages())


@router.post("/detect", tags=["LibreTranslate"], summary="Detect the language of a text (LibreTranslate API)",
             openapi_extra={"requestBody": {"content": {"application/json": {"schema": {
                 "type": "object", "required": ["q"],
                 "properties": {"q": {"type": "string"}, "api_key": {"type": "string"}}}}}}},
             responses=_error_doc(400, 403, 413, 429))
async def detect(request: Request) -> JSONResponse:
    svc = service(request)
    params = await read_params(request)
    check_access(request, svc, params)
    q = params.get("q")
    if q is None or q == "" or q == []:
        raise ServeError(400, "Invalid request: missing q parameter")
    texts = q if isinstance(q, list) else [q]
    if not all(isinstance(t, str) for t in texts):
        raise ServeError(400, "Invalid request: q must be a string or a list of strings")
    size = sum(len(t) for t in texts)
    if size > svc.opts.max_chars:
        raise ServeError(413, f"Invalid request: request ({size}) exceeds text limit ({svc.opts.max_chars})")
    svc.require_ready()
    return JSONResponse(svc.detect("\n".join(texts)))
