"""Pack sections as the guards read them: word lists compiled into patterns, once per language.

Every guard gets its words from the target's or the source's ``Language`` (``languages``): numbers,
dates, clock times, units, names. A section a pack lacks is None here and switches its check off;
``checks_off`` names those a pair lacks, for the record.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ...languages import Language

# the sections each check reads, and what is off without them
CHECK_SECTIONS = {"numbers": "number words and scales", "dates": "months, weekdays, decades, ordinals, clock words",
                  "units": "unit names", "names": "names and content words (omission, addition)"}


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first (so "mil milhões" wins over "mil")."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def word_pattern(words: Iterable[str], flags: int = re.IGNORECASE) -> re.Pattern | None:
    """``words`` as whole words (no letter or digit either side); None for no words."""
    body = alternation(words)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", flags) if body else None


@lru_cache(maxsize=64)
def function_words(lang: Language) -> frozenset[str]:
    """The determiners and prepositions of ``lang`` (its pack's ``names`` section), in lower case."""
    names = lang.section("names") or {}
    return frozenset(w.lower() for w in [*names.get("determiners", []), *names.get("prepositions", [])])


def checks_off(src: Language, tgt: Language) -> dict[str, str]:
    """``{section: what is not checked}`` for each check section the source or the target pack
    lacks (the engine's provenance and the scorer's summary show them)."""
    out = {}
    for name, what in CHECK_SECTIONS.items():
        lacking = [str(lang) for lang in (src, tgt) if lang.section(name) is None]
        if lacking:
            out[name] = f"{what} not checked: no '{name}' section for {', '.join(dict.fromkeys(lacking))}"
    return out
