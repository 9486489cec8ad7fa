"""One small error hierarchy; the CLI maps each class to an exit code and a one-line message."""
from __future__ import annotations


class NewsmtError(Exception):
    """Base class: a problem the user can act on (never a bug)."""

    exit_code = 1


class InputError(NewsmtError):
    """Unreadable, empty, binary or malformed input."""

    exit_code = 2


class LanguageError(NewsmtError):
    """A language (or pair) that no segmenter or model supports."""

    exit_code = 3


class ModelError(NewsmtError):
    """A model that is missing, corrupt or cannot serve the request."""

    exit_code = 4


class ConfigError(NewsmtError):
    """An invalid configuration file or override."""

    exit_code = 5


class OutputError(NewsmtError):
    """An output that cannot be written: not a folder, read-only, full, or in use by another run."""

    exit_code = 6
