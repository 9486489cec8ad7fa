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
from .packs import function_words

_LAST_WORD = re.compile(r"(\w+)\W*$")
_NAME = re.compile(r"[^\W\d_]+(?:[ '’-][^\W\d_]+)*")  # a plain name: no brackets, digits or commas


@lru_cache(maxsize=64)
def _territories(src: str, tgt: str) -> tuple[tuple[re.Pattern, re.Pattern, str], ...]:
    """(the source name, the target name in lower case, the target name) per territory whose target
    name has a capital."""
    import langcodes

    out = []
    for code in map("".join, product(string.ascii_uppercase, repeat=2)):
        territory = langcodes.Language.make(territory=code)
        there, here = territory.territory_name(src), territory.territory_name(tgt)
        if there == code or not (_NAME.fullmatch(there) and _NAME.fullmatch(here)) or here.islower():
            continue
        out.append((re.compile(rf"(?<!\w){re.escape(there)}(?!\w)"),
                    re.compile(rf"(?<!\w){re.escape(here.lower())}(?!\w)"), here))
    return tuple(out)


def capitalize_places(target: str, source: str, src: Language, tgt: Language) -> str:
    """``target`` with the territories that ``source`` names written with their capitals."""
    if target == target.upper():
        return target
    before = function_words(tgt)
    for there, lower, here in _territories(src.tag, tgt.tag):
        if lower.search(target) and there.search(source):
            target = lower.sub(lambda m: here if _word_before(target, m.start()) in before else m.group(), target)
    return target


def _word_before(text: str, i: int) -> str:
    m = _LAST_WORD.search(text, 0, i)
    return m.group(1).lower() if m else ""
