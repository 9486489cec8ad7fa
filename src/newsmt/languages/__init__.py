"""Languages: a BCP-47 tag becomes one ``Language`` object, and its pack holds everything
language-specific as data.

A tag is parsed once, at the edge (a CLI option, a config file, a request, a detection), with
langcodes (``EN`` -> ``en``, ``en_US`` -> ``en-US``, ``pt_br`` -> ``pt-BR``, ``iw`` -> ``he``; a
request's code may also be LibreTranslate's ``pb`` or ``zt``: ``norm_lang``) and resolved to a
``Language``: its primary language, region and script, and its pack
(``packs/<code>/<section>.toml``). A language with no pack of its own gets the generic pack
(Unicode rules for every script) and says so (``Language.generic``). Models are looked up by the
primary language (a ``pt-BR`` target is served by an ``en-pt`` model); the region picks the
variant of the output.

This package is the only place that knows language codes: elsewhere a module asks the
``Language`` for a section of its pack (``lang.section("numbers")``) and never compares a tag with
a literal.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..errors import LanguageError
from .packs import GENERIC, Section, pack_codes, read_section

AUTO = "auto"  # detect per article
# LibreTranslate's own codes (its API and clients send them): Portuguese (Brazil), Chinese (traditional)
ALIASES = {"pb": "pt-BR", "zt": "zh-Hant"}
# scripts written without spaces between words: text is measured in characters, not words
UNSPACED_SCRIPTS = frozenset({"Hani", "Hans", "Hant", "Jpan", "Hira", "Kana", "Thai", "Laoo", "Khmr", "Mymr", "Tibt"})


def standard(code: str) -> str:
    """``code`` as a standard BCP-47 tag; "" and "auto" are kept; LanguageError for what is not one."""
    import langcodes

    code = code.strip()
    if code in ("", AUTO):
        return code
    try:
        tag = langcodes.standardize_tag(code)
    except (ValueError, LookupError):
        tag = ""
    if not tag or not langcodes.tag_is_valid(tag):
        raise LanguageError(f"{code!r} is not a language code (use BCP-47: en, pt-BR, zh-Hant, ...); "
                            f"languages with their own pack: {', '.join(pack_codes())}")
    return tag


def norm_lang(code: object) -> str:
    """A language code from outside (an API request) as a standard tag: LibreTranslate's ``pb`` ->
    ``pt-BR`` and ``zt`` -> ``zh-Hant``, ``EN`` -> ``en``, ``pt_br`` -> ``pt-BR``, ``por`` -> ``pt``;
    ``auto`` kept; "" for anything that is not a language code."""
    if not isinstance(code, str) or not code.strip():
        return ""
    code = code.strip()
    if code.lower() == AUTO:
        return AUTO
    try:
        return standard(ALIASES.get(code.lower(), code))
    except LanguageError:
        return ""


def base(code: str) -> str:
    """The primary language of a tag (``pt-BR`` -> ``pt``), lower case."""
    return code.replace("_", "-").split("-")[0].lower()


def same_language(a: str | Language, b: str | Language) -> bool:
    """Whether two tags name one language for translation (``pt`` and ``pt-BR`` do)."""
    return base(str(a)) == base(str(b))


def display_name(code: str) -> str:
    """The English name of a language (``pt`` -> ``Portuguese``); the code itself when unknown."""
    import langcodes

    language = langcodes.Language.get(code)
    return language.display_name() if language.is_valid() and language.language else code


@dataclass(frozen=True)
class Language:
    """One language as a pipeline stage sees it: ``tag`` (standard BCP-47, ``pt-BR``), ``code``
    (the primary language, ``pt``), ``region`` (``BR``, or ""), ``script`` (ISO 15924, explicit or
    the likely one: ``Latn``, ``Hans``, ``Jpan``) and ``pack`` (the pack its data comes from:
    ``code``, or ``generic`` for a language without one)."""

    tag: str
    code: str
    region: str
    script: str
    pack: str

    def __str__(self) -> str:
        return self.tag

    @property
    def generic(self) -> bool:
        """Whether this language has no pack of its own (segmented by the generic Unicode rules)."""
        return self.pack == GENERIC

    @property
    def spaced(self) -> bool:
        """Whether words are separated by spaces (not in Chinese, Japanese, Thai, Khmer, ...)."""
        return self.script not in UNSPACED_SCRIPTS

    @property
    def name(self) -> str:
        return display_name(self.tag)

    def section(self, name: str) -> Section | None:
        """The data of one concern (``segment``, ``numbers``, ``dates``, ...) from this language's
        pack; None where the pack has no such section (the check that needs it is off, and says so)."""
        return read_section(self.pack, name)

    def length_vs_english(self) -> tuple[float, float]:
        """(characters per sentence relative to English, standard deviation of the log ratio): the
        pack's ``quality`` section, else the generic figure of the script."""
        own = (self.section("quality") or {}).get("length_vs_english") if not self.generic else None
        if own:
            return float(own[0]), float(own[1])
        generic = read_section(GENERIC, "quality") or {}
        ratio, sd = generic.get("length_vs_english", {}).get(self.script, generic.get("default", (1.0, 0.25)))
        return float(ratio), float(sd)

    def variant(self, name: str) -> dict[str, Any]:
        """The table ``name`` of this language's regional variant (``pt-BR`` -> ``[BR.<name>]`` of the
        pack's ``variants`` section); {} where there is none."""
        table = (self.section("variants") or {}).get(self.region, {})
        return dict(table.get(name, {}))


@lru_cache(maxsize=512)
def resolve(tag: str | Language) -> Language:
    """The ``Language`` of a tag (``pt_br`` -> pt-BR, pack ``pt``); LanguageError, listing the packs,
    for what is not a language ("" and "auto" included: resolve a detected language instead)."""
    if isinstance(tag, Language):
        return tag
    import langcodes

    std = standard(tag)
    if std in ("", AUTO):
        raise LanguageError(f"{tag!r} is not a language here (a language is needed; packs: {', '.join(pack_codes())})")
    parsed = langcodes.Language.get(std)
    code = parsed.language or base(std)
    script = parsed.script or (parsed.maximize().script or "")
    return Language(std, code, parsed.territory or "", script, code if code in pack_codes() else GENERIC)


def packs() -> list[Language]:
    """Every language that has a pack of its own."""
    return [resolve(code) for code in pack_codes()]
