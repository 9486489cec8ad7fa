"""Letters without their diacritics, as the checks compare words and as a model that lacks a letter
reads it: ``Łódź`` -> ``Lodz``, ``Søren`` -> ``Soren``, ``Þingvellir`` -> ``Thingvellir``; and a
text where it stands alone (``standalone``)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# letters that do not decompose into a base letter and a mark
_UNDECOMPOSED = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th",
                               "Þ": "Th", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ß": "ss", "ı": "i", "ħ": "h", "Ħ": "H"})


def plain(text: str) -> str:
    """``text`` without its diacritics, in its own case (``Dvořák`` -> ``Dvorak``)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED)) if not unicodedata.combining(c))


@lru_cache(maxsize=262144)
def fold(word: str) -> str:
    """Lower case without accents (``Rússia`` -> ``russia``, ``Słania`` -> ``slania``)."""
    return plain(word.lower())


def standalone(text: str) -> str:
    """A regex for ``text`` where it is no part of a longer word: no letter or digit beside an end
    that is one (``euros``, ``€``, ``US$``)."""
    return ("(?<!\\w)" if text[:1].isalnum() else "") + re.escape(text) + ("(?!\\w)" if text[-1:].isalnum() else "")
