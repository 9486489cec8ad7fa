"""The regional variant asked for: a target tag's region (``pt-BR``, ``pt-PT``, ``en-US``, ``en-GB``)
selects its forms from the language pack's ``variants`` section (``Language.variant("forms")``: the
other variant's form -> this one's, ``Moscovo`` -> ``Moscou``, ``equipa`` -> ``equipe``).

``variant_forms`` finds the other variant's forms in a text (the scorer's ``variant`` evidence,
``Moscovo -> Moscou``); ``repair_variant`` rewrites them (the engine flags what it rewrote). Words are
matched whole; a table word written in lower case also matches with a capital (kept), one written
with a capital (a name) only as written.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ...languages import Language
from .packs import alternation


@lru_cache(maxsize=64)
def _table(lang: Language) -> tuple[dict[str, str], re.Pattern | None]:
    forms = {k: v for k, v in lang.variant("forms").items()}
    table = dict(forms)
    table.update({k[0].upper() + k[1:]: v[0].upper() + v[1:] for k, v in forms.items() if k[:1].islower()})
    return table, re.compile(rf"(?<![\w-])(?:{alternation(table)})(?![\w-])") if table else None


def variant_forms(text: str, lang: Language) -> list[str]:
    """``wrong -> right`` for each form of another variant than ``lang``'s in ``text``."""
    table, pattern = _table(lang)
    return [f"{m.group()} -> {table[m.group()]}" for m in pattern.finditer(text)] if pattern else []


def repair_variant(text: str, lang: Language) -> tuple[str, list[str]]:
    """``text`` in ``lang``'s variant, and ``wrong -> right`` for each form rewritten."""
    table, pattern = _table(lang)
    if pattern is None:
        return text, []
    changes: list[str] = []

    def fix(m: re.Match) -> str:
        changes.append(f"{m.group()} -> {table[m.group()]}")
        return table[m.group()]

    return pattern.sub(fix, text), changes
