"""One small error hierarchy; the CLI maps each class to an exit code and a one-line message.

| exit | class | meaning |
|---|---|---|
| 1 | ``NewsmtError`` | anything else the user can act on |
| 2 | ``InputError`` | unreadable, empty, binary or malformed input (a file, a line, a page, an entry) |
| 3 | ``LanguageError`` | a language (or pair) that no segmenter or model supports |
| 4 | ``ModelError`` | a model that is missing, corrupt or cannot serve the request, or the optional |
|   | ``MissingExtra`` | dependencies (an extra: ``pip install 'newsmt[hf]'``) a model or feature needs |
| 5 | ``ConfigError`` | an invalid configuration file, override or option |
| 6 | ``OutputError`` | an output that cannot be written: not a folder, full, or in use by another run |
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

#: the top-level modules of each extra (pyproject.toml), for the error that names what to install
EXTRAS = {
    "torch": "hf", "transformers": "hf", "tokenizers": "hf", "ctranslate2": "hf", "huggingface_hub": "hf",
    "sacremoses": "hf", "google": "hf", "ray": "ray", "fastapi": "serve", "starlette": "serve",
    "uvicorn": "serve", "prometheus_client": "serve", "multipart": "serve", "httptools": "serve",
}


class NewsmtError(Exception):
    """Base class: a problem the user can act on (never a bug)."""

    exit_code = 1

    def __init_subclass__(cls, exit_code: int = 1, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.exit_code = exit_code


class InputError(NewsmtError, exit_code=2):
    @property
    def source(self) -> str:
        """The bad item, as its message starts ("file.jsonl:7: invalid JSON ..." -> "file.jsonl:7")."""
        return str(self).split(": ", 1)[0]


class LanguageError(NewsmtError, exit_code=3): ...
class ModelError(NewsmtError, exit_code=4): ...
class ConfigError(NewsmtError, exit_code=5): ...
class OutputError(NewsmtError, exit_code=6): ...
class MissingExtra(ModelError, exit_code=4): ...


def missing_extra(error: ImportError) -> MissingExtra | None:
    """The one-line error for a module of an extra that is not installed (None for any other)."""
    module = (getattr(error, "name", None) or "").split(".")[0]
    if module not in EXTRAS:
        return None
    extra = EXTRAS[module]
    return MissingExtra(f"this needs {module}, which the default install leaves out: "
                        f"pip install 'newsmt[{extra}]' (or newsmt[all])")


@contextmanager
def extras_needed() -> Iterator[None]:
    """Turn the ImportError of a missing extra inside the block into ``MissingExtra``."""
    try:
        yield
    except ImportError as e:
        raise (missing_extra(e) or e) from None
