"""Country and territory names keep their capitals: the model wrote ``na índia`` for ``in India``.

``capitalize_places`` writes a territory's name (CLDR's, through ``langcodes``) with its capitals
where a translation has it in lower case after a determiner or preposition of the target pack (``na
índia``; not the adjective of ``parapente indonésia``) and the source names that territory,
capitalized, in its own language's form (not ``filipinas``, Filipino women, for ``Filipino``).
"""
from __future__ import annotations

import re
import string
from functools import lru_cache
from itertools import product

from ...languages import Language
from .packs import alternation, function_words

_LAST_WORD = re.compile(r"(\w+)\W*$")
_NAME = re.compile(r"[^\W\d_]+(?:[ '’-][^\W\d_]+)*")  # a plain name: no brackets, digits or commas


@lru_cache(maxsize=64)
def _territories(src: str, tgt: str) -> tuple[re.Pattern | None, dict[str, tuple[re.Pattern, str]]]:
    """One pattern of the territories' target names in lower case, and per such name the pattern of
    its source name and the name as written (those with a capital)."""
    import langcodes

    names: dict[str, tuple[re.Pattern, str]] = {}
    for code in map("".join, product(string.ascii_uppercase, repeat=2)):
        territory = langcodes.Language.make(territory=code)
        there, here = territory.territory_name(src), territory.territory_name(tgt)
        if there != code and _NAME.fullmatch(there) and _NAME.fullmatch(here) and not here.islower():
            names.setdefault(here.lower(), (re.compile(rf"(?<!\w){re.escape(there)}(?!\w)"), here))
    return (re.compile(rf"(?<!\w)(?:{alternation(names)})(?!\w)") if names else None), names


def capitalize_places(target: str, source: str, src: Language, tgt: Language) -> str:
    """``target`` with the territories that ``source`` names written with their capitals."""
    pattern, names = _territories(src.tag, tgt.tag)
    if pattern is None or target == target.upper():
        return target
    before = function_words(tgt)

    def capitals(m: re.Match) -> str:
        there, here = names[m.group()]
        return here if _word_before(target, m.start()) in before and there.search(source) else m.group()

    return pattern.sub(capitals, target)


def _word_before(text: str, i: int) -> str:
    m = _LAST_WORD.search(text, 0, i)
    return m.group(1).lower() if m else ""
