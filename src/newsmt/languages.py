"""Language codes as BCP-47 tags, with langcodes: ``EN`` -> ``en``, ``en_US`` -> ``en-US``,
``pt_br`` -> ``pt-BR``, ``iw`` -> ``he``, ``zh-Hant`` kept. Models are looked up by the primary
language (``base``): a ``pt-BR`` target is served by an ``en-pt`` model."""
from __future__ import annotations

from .errors import LanguageError

AUTO = "auto"  # detect per article


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
        raise LanguageError(f"{code!r} is not a language code (use BCP-47: en, pt-BR, zh-Hant, ...)")
    return tag


def base(code: str) -> str:
    """The primary language of a tag (``pt-BR`` -> ``pt``), lower case."""
    return code.replace("_", "-").split("-")[0].lower()


def same_language(a: str, b: str) -> bool:
    """Whether two tags name one language for translation (``pt`` and ``pt-BR`` do)."""
    return base(a) == base(b)


def display_name(code: str) -> str:
    """The English name of a language (``pt`` -> ``Portuguese``); the code itself when unknown."""
    import langcodes

    language = langcodes.Language.get(code)
    return language.display_name() if language.is_valid() and language.language else code
