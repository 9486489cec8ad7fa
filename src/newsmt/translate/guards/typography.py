"""Typography: what the model reads and what the reader sees.

- ``normalize_source``: straight quotes and apostrophes, plain spaces, no zero-width characters,
  ASCII dashes and minus signs, one line, currency signs as ISO codes. Small models drop content
  around typographic quotes and do not know most of these characters.
- ``restore_typography``: the target language's own quotation marks, apostrophes, dashes, ellipsis,
  minus and currency signs, superscript and subscript digits (``m²``, ``CO₂``), dashes between two
  words (``2022–23``) and vulgar fractions (``2½``), where the source wrote them.
- pairs of double quotes and round brackets: ``pair_items``, ``source_pairs``, ``locate`` (where
  a separately translated pair content lies in a translation) and ``insert_pairs`` (put lost marks back).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from ...languages import Language

_QUOTE_MAP = {c: '"' for c in "“”„‟«»″〝〞"} | {c: "'" for c in "‘’‚‛‹›′"}
_VULGAR = {"¼": "1/4", "½": "1/2", "¾": "3/4", "⅓": "1/3", "⅔": "2/3", "⅛": "1/8"}  # read as " 1/2"
_SOURCE_MAP = str.maketrans(
    _QUOTE_MAP
    | {c: " " for c in "\u00a0\u202f\u2009\u2007\u2008\u200a\u3000"}
    | {c: None for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"}
    | {"\u2212": "-"}  # the minus sign: models lose it (signs.py)
    | {c: " " + f for c, f in _VULGAR.items()}
)
_TARGET_QUOTES = str.maketrans(_QUOTE_MAP)
_TIGHT_DASH = re.compile(r"(?<=\w)[–—―](?=\w)")  # 2015–2016, US–China
_DASH_JOINED = re.compile(r"(\w+)([–—―])(\w+)")  # the words the model reads joined by a hyphen
_TIGHT_EM_DASH = re.compile(r"(?<=[^\W\d_])[—―](?=[^\W\d_])")  # "virus—because": a clause dash, not a hyphen
_DASH = re.compile(r"\s*[–—―]\s*")
_US_DOLLAR = re.compile(r"\bUS \$ ?(?=\d)")
_SPACED_DASH = re.compile(r"\s[–—―]\s")
_WS = re.compile(r"\s+")
_BRACKET_SPACE = re.compile(r"(?<=\() +| +(?=\))")
_QUOTED_LINE = re.compile(r"\n[ \t]*>[ \t>]*")  # a wrapped line of a Markdown/e-mail block quote
_TARGET_DASH = re.compile(r"(?<=\S) - (?=\S)")
_CURRENCY_CODES = {"£": "GBP", "€": "EUR", "¥": "JPY", "₽": "RUB", "₴": "UAH", "₹": "INR"}
_CURRENCY = re.compile(r"([£€¥₽₴₹])\s?(?=\d)")
_CURRENCY_BACK = {code: sign for sign, code in _CURRENCY_CODES.items()}
_CODE_BEFORE_NUMBER = re.compile(r"\b(GBP|EUR|JPY|RUB|UAH|INR) ?(?=\d)")
_CODE_AFTER_NUMBER = re.compile(r"(?<![\d.,])(\d(?:[\d.,]*\d)?) ?(GBP|EUR|JPY|RUB|UAH|INR)\b")  # "7.000 JPY"

_SCRIPT_DIGITS = re.compile(r"\w*[⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉]\w*")  # "m²", "CO₂": the model writes "m2", "CO2"
SIGN_AFTER = "([{\"'“«„‘:;=<>≤≥≈~"  # what a number's minus sign may follow besides a space (not a word or number: 5-10)
_SIGN_HYPHEN = rf"(?<![^\s{re.escape(SIGN_AFTER)}])-"  # a hyphen written as a number's sign (before its digits)
_MINUS_NUMBER = re.compile(r"\u2212(\d+)")

_DEFAULT_QUOTES = ("“", "”", "‘", "’")  # a language whose pack has no typography section
_APOSTROPHE = "’"
_TYPOGRAPHIC_DOUBLE = re.compile(r"[“”„‟«»]")
_OPENERS = set(" \t([{/-—–\u00a0")


def normalize_source(text: str) -> str:
    """The text the model reads: one line (the ``>`` markers of a wrapped block quote dropped),
    straight quotes, plain single spaces, ASCII dashes (an unspaced em dash between words as a spaced
    clause dash: read as a hyphen it glues two words), no zero-width, currency signs the vocabulary
    lacks as ISO codes (the model drops "£2.8bn" but keeps "GBP 2.8bn")."""
    if "\n" in text:
        text = _QUOTED_LINE.sub(" ", text)
    text = text.translate(_SOURCE_MAP)
    if _CURRENCY.search(text):
        text = _CURRENCY.sub(lambda m: _CURRENCY_CODES[m.group(1)] + " ", text)
    if "–" in text or "—" in text or "―" in text:
        text = _DASH.sub(" - ", _TIGHT_DASH.sub("-", _TIGHT_EM_DASH.sub(" - ", text)))
    return _WS.sub(" ", text).strip()


def source_dash(text: str) -> str:
    """The dash the source uses between words (" — " or " – "), or "" when it uses none."""
    m = _SPACED_DASH.search(text)
    return m.group()[1] if m else ""


def _target_dash(source: str) -> str:
    """What the model's " - " becomes: the source's spaced dash, or its unspaced em dash."""
    dash = source_dash(source)
    if dash:
        return f" {dash} "
    m = _TIGHT_EM_DASH.search(source)
    return m.group() if m else ""


def straighten_quotes(text: str) -> str:
    """Any quotation mark a model wrote, as a straight one (for counting and pairing)."""
    return text.translate(_TARGET_QUOTES)


def _quote_opens(text: str, i: int, inside: bool) -> bool:
    """Whether the straight quote at ``i`` opens (by its neighbours; ``inside``: a quote is open)."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if (before.isspace() or before in _OPENERS) and not after.isspace():
        return True
    if not before.isspace() and (after.isspace() or not after.isalnum()):
        return False
    return not inside


@dataclass(frozen=True)
class PairItem:
    """A quote/bracket pair in a text, or a lone mark (``kind`` "open"/"close")."""

    kind: str  # pair | open | close
    start: int  # index of the opening mark (or of the lone mark)
    end: int  # index of the closing mark (or of the lone mark)


def pair_items(text: str, mark: str) -> list[PairItem]:
    """Pairs and lone marks in order: straight double quotes typed by context (nesting allowed),
    or round brackets (``mark`` "(")."""
    stack: list[int] = []
    items: list[PairItem] = []
    for i, c in enumerate(text):
        if c == mark == '"':
            opens = _quote_opens(text, i, bool(stack))
        elif mark == "(" and c in "()":
            opens = c == "("
        else:
            continue
        if opens:
            stack.append(i)
        elif stack:
            items.append(PairItem("pair", stack.pop(), i))
        else:
            items.append(PairItem("close", i, i))
    items += [PairItem("open", i, i) for i in stack]
    return sorted(items, key=lambda it: it.start)


def source_pairs(text: str, mark: str) -> list[tuple[int, int]] | None:
    """(open, close) indices of the pairs of a normalized source; None when it is unbalanced."""
    items = pair_items(text, mark)
    if any(it.kind != "pair" for it in items):
        return None
    return [(it.start, it.end) for it in items]


def quotes(lang: Language) -> tuple[str, str, str, str]:
    """(open, close, nested open, nested close) quotation marks of ``lang`` (its ``typography`` section)."""
    return tuple((lang.section("typography") or {}).get("quotes", _DEFAULT_QUOTES))  # type: ignore[return-value]


def restore_typography(text: str, lang: Language, source: str = "") -> str:
    """The typography of ``source`` (the original sentence) in the target language's conventions.

    Where the source writes typographic quotes (apostrophes), the model's straight ones become the
    target language's own marks (pt/en “ ” ‘ ’, ru « » „ “, de „ “, fr « »); a source with straight
    quotes keeps straight ones. The source's dash, ellipsis, minus and currency signs replace the ASCII
    stand-ins the model read and wrote (``_written_back``); round brackets hug their words as the
    source's do.
    """
    o1, c1, o2, c2 = quotes(lang)
    glyphs: dict[int, str] = {}
    if '"' in text and _TYPOGRAPHIC_DOUBLE.search(source):
        items = pair_items(text, '"')
        pairs = [it for it in items if it.kind == "pair"]
        for it in items:
            if it.kind == "pair":
                nested = any(p.start < it.start and p.end > it.end for p in pairs)
                glyphs[it.start], glyphs[it.end] = (o2, c2) if nested else (o1, c1)
            else:
                glyphs[it.start] = o1 if it.kind == "open" else c1
    if "'" in text and ("’" in source or "‘" in source):
        glyphs.update(_single_quotes(text, o2, c2))
    if glyphs:
        text = "".join(glyphs.get(i, ch) for i, ch in enumerate(text))
    dash = _target_dash(source) if " - " in text else ""
    if dash:
        text = _TARGET_DASH.sub(dash, text)
    if "US $" in text:  # the model's spelling of US$ (pt, es)
        text = _US_DOLLAR.sub("US$ ", text)
    for digits in dict.fromkeys(_MINUS_NUMBER.findall(source)):  # a sign the source wrote as the minus sign
        text = re.sub(rf"{_SIGN_HYPHEN}(?={digits}(?!\d))", "\u2212", text)
    if not source.isascii():
        text = _written_back(text, source)
    if "…" in source and "..." in text:
        text = text.replace("...", "…")
    if ("( " in text or " )" in text) and not ("( " in source or " )" in source):
        text = _BRACKET_SPACE.sub("", text)  # "( Brasilia time)": brackets hug their words as in the source
    if _CURRENCY.search(source):
        text = _CODE_BEFORE_NUMBER.sub(lambda m: _CURRENCY_BACK[m.group(1)] if _CURRENCY_BACK[m.group(1)] in source else m.group(), text)
        text = _CODE_AFTER_NUMBER.sub(
            lambda m: _CURRENCY_BACK[m.group(2)] + m.group(1) if _CURRENCY_BACK[m.group(2)] in source else m.group(), text)
    return text


def _written_back(text: str, source: str) -> str:
    """``text`` with the source's words of superscript or subscript digits (``m²``, ``CO₂``), its
    dashes between two words (``2022–23``) and its vulgar fractions (``2½``) where the model wrote
    the plain forms it read or writes (``m2``, ``2022-23``, ``2 1/2``)."""
    for word in dict.fromkeys(_SCRIPT_DIGITS.findall(source)):  # in order: the same input, the same output
        text = re.sub(rf"(?<!\w){re.escape(unicodedata.normalize('NFKC', word))}(?!\w)", word, text)
    for left, dash, right in dict.fromkeys(_DASH_JOINED.findall(source)):
        text = re.sub(rf"(?<!\w){re.escape(left)}-{re.escape(right)}(?!\w)", left + dash + right, text)
    for glyph, fraction in _VULGAR.items():
        if glyph in source:
            text = re.sub(rf"(?<![\d/]){fraction}(?![\d/])", glyph, text)
            if re.search(rf"\d{glyph}", source):
                text = re.sub(rf"(?<=\d) {glyph}", glyph, text)
    return text


def _single_quotes(text: str, open_: str, close: str) -> dict[int, str]:
    """Glyphs for straight single quotes: quotation pairs get ``open_``/``close``, the rest ’."""
    glyphs: dict[int, str] = {}
    start = -1
    for i, ch in enumerate(text):
        if ch != "'":
            continue
        glyphs[i] = _APOSTROPHE
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if start < 0 and (before.isspace() or before in _OPENERS or before == '"') and after.isalpha():
            start = i
        elif start >= 0 and i > start + 1 and not before.isspace() and not after.isalnum():
            glyphs[start], glyphs[i] = open_, close
            start = -1
    return glyphs


_WORD = re.compile(r"\w+")


def locate(segment: str, target: str, lo: int, hi: int, anchor: str) -> tuple[int, int] | None:
    """Character span of ``target[lo:hi]`` that best matches ``segment`` (its translation), word-wise.

    ``anchor`` is "start" (the span begins near ``lo``), "end" (it ends near ``hi``) or "best"
    (around the longest match). Matching blocks are chained from the anchor while the gaps stay
    small; the span is returned when it covers at least half of the segment's words.
    """
    seg = [w.lower() for w in _WORD.findall(segment)]
    toks = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(target, lo, hi)]
    if not seg or not toks:
        return None
    blocks = [b for b in SequenceMatcher(None, [t[2] for t in toks], seg, autojunk=False).get_matching_blocks() if b.size]
    if not blocks:
        return None
    gap = max(3, len(seg) // 3)
    if anchor == "end":
        blocks = blocks[::-1]
    elif anchor == "best":
        k = max(range(len(blocks)), key=lambda i: blocks[i].size)
        blocks = blocks[k:]
    chain = [blocks[0]]
    for b in blocks[1:]:
        prev = chain[-1]
        dist = b.a - (prev.a + prev.size) if anchor != "end" else prev.a - (b.a + b.size)
        if dist > gap:
            break
        chain.append(b)
    if sum(b.size for b in chain) * 2 < len(seg):
        return None
    first = min(b.a for b in chain)
    last = max(b.a + b.size for b in chain) - 1
    if anchor == "start" and first > gap:
        return None
    if anchor == "end" and len(toks) - 1 - last > gap:
        return None
    return toks[first][0], toks[last][1]


def _similar(a: str, b: str) -> bool:
    return SequenceMatcher(None, a.lower(), b.lower(), autojunk=False).ratio() >= 0.5


def insert_pairs(target: str, mark: str, contents: list[str]) -> str | None:
    """``target`` with lost ``mark`` pairs restored, given each source pair's translated content.

    A lone opening (closing) mark is closed (opened) around the located content; a pair lost as a
    whole is re-inserted around its content (when it has two words or more). None when unsure.
    """
    close = '"' if mark == '"' else ")"
    items = pair_items(target, mark)
    inserts: list[tuple[int, str]] = []
    if len(items) == len(contents):
        for k, it in enumerate(items):
            if it.kind == "open":
                hi = items[k + 1].start if k + 1 < len(items) else len(target)
                span = locate(contents[k], target, it.start + 1, hi, "start")
                if span is None:
                    return None
                inserts.append((span[1], close))
            elif it.kind == "close":
                lo = items[k - 1].end + 1 if k else 0
                span = locate(contents[k], target, lo, it.start, "end")
                if span is None:
                    return None
                inserts.append((span[0], mark))
    elif len(items) < len(contents) and all(it.kind == "pair" for it in items):
        j, lo = 0, 0
        for seg in contents:
            it = items[j] if j < len(items) else None
            if it is not None and _similar(target[it.start + 1:it.end], seg):
                j, lo = j + 1, it.end + 1
                continue
            span = locate(seg, target, lo, it.start if it else len(target), "best") if seg.count(" ") else None
            if span is None:
                return None
            inserts += [(span[0], mark), (span[1], close)]
            lo = span[1]
        if j < len(items):
            return None
    else:
        return None
    for pos, ch in sorted(inserts, reverse=True):
        target = target[:pos] + ch + target[pos:]
    return target
