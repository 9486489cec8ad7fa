"""Transitional alias of ``newsmt.sources`` (removed once every caller imports from there)."""
from .sources import FORMATS, iter_path, read_path, read_text, safe_filename  # noqa: F401
from .sources.decode import decode_bytes  # noqa: F401
from .sources.files import detect_format, expand_inputs  # noqa: F401
from .sources.html_blocks import read_html  # noqa: F401
from .sources.jsonl import iter_jsonl  # noqa: F401
