"""Request parameters, checked at the edge: everything that is not what an endpoint can work with is
a 400 here, before any work starts.

``read_params`` takes the query string, then the body (JSON, urlencoded or multipart form, as
LibreTranslate clients send them); every text must be valid UTF-8 with no lone surrogates (JSON's
``\\ud800`` escapes), JSON at most ``MAX_DEPTH`` levels deep. Files of a multipart body are kept
apart (``Params.files``).
"""
from __future__ import annotations

import io
import json
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from fastapi import Request

from ..errors import LanguageError
from ..languages import AUTO, Language, norm_lang, resolve
from .limits import ServeError

if TYPE_CHECKING:
    from .service import Service

MAX_DEPTH = 32  # nesting of a JSON body (objects and lists)
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class Upload:
    name: str
    data: bytes


@dataclass
class Params:
    values: dict[str, Any] = field(default_factory=dict)
    files: dict[str, Upload] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)


def check_strings(value: Any, where: str = "body") -> Any:
    """``value`` (JSON data) when no text in it holds a lone surrogate and it nests at most
    ``MAX_DEPTH`` levels; ServeError 400 otherwise."""
    stack = [(value, where, 0)]
    while stack:
        v, at, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ServeError(400, f"Invalid request: {where} nests deeper than {MAX_DEPTH} levels")
        if isinstance(v, str):
            if _SURROGATE.search(v):
                raise ServeError(400, f"Invalid request: {at} is not valid Unicode (a lone surrogate)")
        elif isinstance(v, dict):
            for k, x in v.items():
                if _SURROGATE.search(k):
                    raise ServeError(400, f"Invalid request: a name in {at} is not valid Unicode (a lone surrogate)")
                stack.append((x, k if at == "body" else f"{at}.{k}", depth + 1))
        elif isinstance(v, list):
            stack.extend((x, at, depth + 1) for x in v)
    return value


def json_body(body: bytes) -> dict[str, Any]:
    """A JSON object, checked (``check_strings``); ServeError 400 for anything else."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise ServeError(400, "Invalid JSON format") from None
    if not isinstance(data, dict):
        raise ServeError(400, "Invalid JSON format: the body must be a JSON object")
    return check_strings(data)


def _utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ServeError(400, f"Invalid request: {what} is not UTF-8") from None


def _pairs(query: str, what: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(query, keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise ServeError(400, f"Invalid request: {what} is not UTF-8") from None


def _multipart(request: Request, body: bytes, params: Params) -> None:
    import python_multipart

    def field(f: Any) -> None:
        name = _utf8(f.field_name or b"", "a field name")
        params.values.setdefault(name, _utf8(f.value or b"", f"the field {name}"))

    def upload(f: Any) -> None:
        name = _utf8(f.field_name or b"", "a field name")
        f.file_object.seek(0)
        params.files.setdefault(name, Upload(_utf8(f.file_name or b"", "the file name"), f.file_object.read()))

    headers = {"Content-Type": request.headers.get("content-type", ""), "Content-Length": str(len(body))}
    try:
        python_multipart.parse_form(headers, io.BytesIO(body), field, upload, chunk_size=1 << 20)
    except ServeError:
        raise
    except Exception:  # noqa: BLE001 - python-multipart raises several kinds on a malformed body
        raise ServeError(400, "Invalid request: malformed multipart body") from None


def query_params(request: Request) -> Params:
    """The query string's parameters (the first of a repeated name)."""
    params = Params()
    query = _utf8(request.scope.get("query_string", b""), "the query string")
    for k, v in _pairs(query, "the query string"):
        params.values.setdefault(k, v)
    return params


async def read_params(request: Request) -> Params:
    """Query parameters, then those of the body (JSON wins over the query, like LibreTranslate)."""
    params = query_params(request)
    body = await request.body()
    if not body.strip():
        return params
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json" or ctype.endswith("+json") or (ctype in ("", "text/plain") and body.lstrip()[:1] in (b"{", b"[")):
        params.values.update(json_body(body))
    elif ctype == "multipart/form-data":
        _multipart(request, body, params)
    else:
        for k, v in _pairs(_utf8(body, "the body"), "the body"):
            params.values.setdefault(k, v)
    return params


def texts(params: Params, name: str = "q") -> tuple[list[str], bool]:
    """The texts of ``name`` (a string or a list of strings) and whether it was a list."""
    q = params.get(name)
    if q is None or q == "" or q == []:
        raise ServeError(400, f"Invalid request: missing {name} parameter")
    batch = isinstance(q, list)
    items = q if batch else [q]
    if not all(isinstance(t, str) for t in items):
        raise ServeError(400, f"Invalid request: {name} must be a string or a list of strings")
    return items, batch


def text(params: Params, name: str, required: bool = True) -> str:
    v = params.get(name)
    if v is None or v == "":
        if required:
            raise ServeError(400, f"Invalid request: missing {name} parameter")
        return ""
    if not isinstance(v, str):
        raise ServeError(400, f"Invalid request: {name} must be a string")
    return v


def integer(params: Params, name: str, default: int, low: int, high: int) -> int:
    """An integer parameter (a JSON number or a numeral), clamped to ``low..high``."""
    v = params.get(name)
    if v is None or v == "":
        return default
    try:
        if isinstance(v, bool):
            raise ValueError
        number = float(v) if isinstance(v, (int, float)) else float(str(v).strip())
        if not math.isfinite(number) or number != int(number):
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        raise ServeError(400, f"Invalid request: {name} must be a whole number") from None
    return max(low, min(high, int(number)))


def size_check(items: list[str], limit: int, what: str = "request") -> None:
    size = sum(len(t) for t in items)
    if size > limit:
        raise ServeError(413, f"Invalid request: {what} ({size}) exceeds text limit ({limit})")


def service(request: Request) -> Service:
    return request.app.state.service


def check_access(request: Request, params: Params | dict[str, Any] | None = None, cost: int = 1) -> None:
    """The request's key and rate limit (``limits.Access``), ``cost`` texts."""
    svc = service(request)
    values = params.values if isinstance(params, Params) else params
    svc.access.check(svc.access.key_of(request.headers, values), request.client.host if request.client else "?", cost)


def language(code: Any, auto: bool = False) -> Language | None:
    """The ``Language`` of a request's code (``languages.norm_lang``: LibreTranslate's ``pb`` and
    ``zt`` are ``pt-BR`` and ``zh-Hant``); None for ``auto`` where ``auto`` is allowed; ServeError 400
    in LibreTranslate's words for anything else."""
    tag = norm_lang(code)
    if tag == AUTO and auto:
        return None
    if tag and tag != AUTO:
        try:
            return resolve(tag)
        except LanguageError:
            pass
    raise ServeError(400, f"{code} is not supported")


def languages_of(params: Params) -> tuple[Language | None, Language]:
    """(source, target) of a LibreTranslate request, resolved once (the source None for ``auto``)."""
    return language(text(params, "source"), auto=True), language(text(params, "target"))
