"""LibreTranslate's file translation: ``POST /translate_file`` (multipart: ``file``, ``source``,
``target``, ``api_key``) answers ``{"translatedFileUrl": ...}``; ``GET /download_file/NAME`` gives
the translated file (as an attachment under its original name, for ``files_ttl`` seconds, from
any worker: the files are kept in the server's shared folder).

Formats, each read and written the way the commands do: ``.txt`` and ``.md`` (decoded like every
input; the text between sentences and the Markdown syntax kept byte for byte), ``.html``/``.htm``
(``sources.markup`` / ``writers.markup``: the page's own markup; written in the page's encoding),
``.docx`` (``docx.py``: runs and styles kept).
"""
from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse

from ..document import Document
from ..errors import InputError
from ..fileio import write_atomic
from ..pipeline import process
from ..sources import read_text
from ..sources.decode import decode
from ..sources.files import safe_filename
from .limits import ServeError
from .params import Upload, check_access, languages_of, read_params, service

router = APIRouter()
FILE_FORMATS = (".txt", ".md", ".html", ".htm", ".docx")
_STORED = re.compile(r"^[0-9a-f]{32}\.[^/\\]+$")


class FileStore:
    """Translated files in ``folder`` (shared by the workers), each for ``ttl`` seconds."""

    def __init__(self, folder: Path, ttl: float) -> None:
        self.folder, self.ttl = folder, ttl

    def save(self, data: bytes, name: str) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        now = time.time()
        for old in self.folder.iterdir():
            try:
                if now - old.stat().st_mtime > self.ttl:
                    old.unlink()
            except OSError:
                pass
        stored = f"{uuid.uuid4().hex}.{name}"
        write_atomic(self.folder / stored, data)
        return stored

    def path(self, stored: str) -> Path:
        path = self.folder / stored
        if not _STORED.match(stored) or not path.is_file() or time.time() - path.stat().st_mtime > self.ttl:
            raise ServeError(404, f"no such file (translated files are kept for {self.ttl:g} s)")
        return path


def read_file(upload: Upload, lang: str, sanitize: bool) -> tuple[Document, Callable[[Document], bytes]]:
    """The Document of an uploaded file and how to write its translation."""
    ext = Path(upload.name).suffix.lower()
    stem = safe_filename(Path(upload.name).stem)
    if ext == ".docx":
        from .docx import read_docx, write_docx

        doc, loaded = read_docx(upload.data, lang, stem)
        return doc, lambda d: write_docx(d, loaded)
    if ext in (".html", ".htm"):
        from ..sources.markup import read_markup
        from ..sources.page import decode_page
        from ..writers.markup import render_markup

        text, encoding, _ = decode_page(upload.data, upload.name)
        return read_markup(text, stem, lang), lambda d: render_markup(d, sanitize).encode(encoding, "xmlcharrefreplace")
    from ..writers.common import substituted

    text = decode(upload.data, upload.name).text
    if not text.strip():
        raise InputError(f"{upload.name}: no text found")
    doc = read_text(text, "md" if ext == ".md" else "txt", lang, stem)[0]
    return doc, lambda d: substituted(d, 0, len(d.text)).encode("utf-8")


@router.post("/translate_file", tags=["LibreTranslate"], summary="Translate a file (LibreTranslate API)",
             openapi_extra={"requestBody": {"content": {"multipart/form-data": {"schema": {
                 "type": "object", "required": ["file", "source", "target"],
                 "properties": {"file": {"type": "string", "format": "binary",
                                         "description": f"One of: {', '.join(FILE_FORMATS)}"},
                                "source": {"type": "string"}, "target": {"type": "string"},
                                "api_key": {"type": "string"}}}}}}})
async def translate_file(request: Request) -> JSONResponse:
    svc = service(request)
    params = await read_params(request)
    upload = params.files.get("file")
    if upload is None:
        raise ServeError(400, "Invalid request: missing file parameter")
    if not upload.data:
        raise ServeError(400, "Invalid request: empty file")
    if Path(upload.name).suffix.lower() not in FILE_FORMATS:
        raise ServeError(400, f"Invalid request: file format not supported (use one of: {', '.join(FILE_FORMATS)})")
    src, tgt = languages_of(params)
    check_access(request, params)
    svc.require_ready()

    def work(deadline: float, handle: dict[str, Any]) -> str:
        doc, write = read_file(upload, src.tag if src else "", svc.opts.sanitize_html)
        if len(doc.text) > svc.opts.max_file_chars:
            raise ServeError(413, f"Invalid request: the file's text ({len(doc.text)} characters) exceeds the "
                                  f"limit ({svc.opts.max_file_chars})")
        source = svc.source_of(doc.text, tgt)[0] if src is None else src
        svc.check_pair(source, tgt)
        doc.lang = source.tag
        cfg = svc.task_cfg(source, tgt)
        handle["resources"] = resources = svc.batched(cfg, deadline)
        data = write(process(doc, cfg, resources))
        return svc.files.save(data, f"{safe_filename(Path(upload.name).stem)}{Path(upload.name).suffix.lower()}")

    stored = await svc.run(work)
    return JSONResponse({"translatedFileUrl": f"{str(request.base_url).rstrip('/')}/download_file/{quote(stored)}"})


@router.get("/download_file/{name}", tags=["LibreTranslate"], summary="Download a translated file (LibreTranslate API)")
async def download_file(request: Request, name: str) -> FileResponse:
    path = service(request).files.path(name)
    return FileResponse(path, filename=name.split(".", 1)[1], media_type="application/octet-stream")
