"""One small error hierarchy; the CLI maps each class to an exit code and a one-line message.

| exit | class | meaning |
|---|---|---|
| 1 | ``NewsmtError`` | anything else the user can act on |
| 2 | ``InputError`` | unreadable, empty, binary or malformed input (a file, a line, a page, an entry) |
| 3 | ``LanguageError`` | a language (or pair) that no segmenter or model supports |
| 4 | ``ModelError`` | a model that is missing, corrupt or cannot serve the request |
| 5 | ``ConfigError`` | an invalid configuration file, override or option |
| 6 | ``OutputError`` | an output that cannot be written: not a folder, full, or in use by another run |
"""
from __future__ import annotations


class NewsmtError(Exception):
    """Base class: a problem the user can act on (never a bug)."""

    exit_code = 1

    def __init_subclass__(cls, exit_code: int = 1, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.exit_code = exit_code


class InputError(NewsmtError, exit_code=2): ...
class LanguageError(NewsmtError, exit_code=3): ...
class ModelError(NewsmtError, exit_code=4): ...
class ConfigError(NewsmtError, exit_code=5): ...
class OutputError(NewsmtError, exit_code=6): ...
