"""News-text guards shared by every backend: pure string functions the engine applies per sentence.

- ``normalize_source``: what the model reads (straight quotes and apostrophes, plain spaces, no
  zero-width characters, ASCII dashes, one line). Small models drop content around typographic
  quotes and do not know most of these characters.
- ``restore_typography``: the target language's own quotation marks, apostrophes and dashes.
- protected spans (URLs, e-mails, @handles, #hashtags) and numbers: extraction, verification and
  repair of what the model altered (``repair_protected``, ``repair_numbers``).
- pair balancing for double quotes and brackets (``pair_items``, ``locate``) and the cheap flags
  (``is_repetitive``, ``wrong_script``, ``length_ratio_ok``).

What counts as a preserved number: the same value written in the source's or in the target
language's convention (``1,000`` -> ``1.000`` and ``3.5`` -> ``3,5`` in Portuguese are kept), or
the same literal (dates such as ``17.07.2017``). A number whose digits survived in a broken
format (``1,234.56`` -> ``1,234,56``) is rewritten in the target convention.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher

# ---- flags --------------------------------------------------------------------------------------
REPETITION = "repetition"
WRONG_LANGUAGE = "wrong_language"
LENGTH_RATIO = "length_ratio"
NUMBER_MISMATCH = "number_mismatch"
URL_LOST = "url_lost"
SPLIT = "split"
LOW_QUALITY = "low_quality"
QUOTE_MISMATCH = "quote_mismatch"  # quotes/brackets balanced in the source but not in the target

# ---- typography -----------------------------------------------------------------------------------
_QUOTE_MAP = {c: '"' for c in "“”„‟«»″〝〞"} | {c: "'" for c in "‘’‚‛‹›′"}
_SOURCE_MAP = str.maketrans(
    _QUOTE_MAP
    | {c: " " for c in "\u00a0\u202f\u2009\u2007\u2008\u200a\u3000"}
    | {c: None for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"}
    | {"¼": " 1/4", "½": " 1/2", "¾": " 3/4", "⅓": " 1/3", "⅔": " 2/3", "⅛": " 1/8"}
)
_TARGET_QUOTES = str.maketrans(_QUOTE_MAP)
_TIGHT_DASH = re.compile(r"(?<=\w)[–—―](?=\w)")  # 2015–2016, US–China
_DASH = re.compile(r"\s*[–—―]\s*")
_SPACED_DASH = re.compile(r"\s[–—―]\s")
_WS = re.compile(r"\s+")
_QUOTED_LINE = re.compile(r"\n[ \t]*>[ \t>]*")  # a wrapped line of a Markdown/e-mail block quote
_TARGET_DASH = re.compile(r"(?<=\S) - (?=\S)")
_CURRENCY_CODES = {"£": "GBP", "€": "EUR", "¥": "JPY", "₽": "RUB", "₴": "UAH", "₹": "INR"}
_CURRENCY = re.compile(r"([£€¥₽₴₹])\s?(?=\d)")
_CURRENCY_BACK = {code: sign for sign, code in _CURRENCY_CODES.items()}
_CODE_BEFORE_NUMBER = re.compile(r"\b(GBP|EUR|JPY|RUB|UAH|INR) ?(?=\d)")
_CODE_AFTER_NUMBER = re.compile(r"(?<![\d.,])(\d(?:[\d.,]*\d)?) ?(GBP|EUR|JPY|RUB|UAH|INR)\b")  # "7.000 JPY"

# (open, close, nested open, nested close)
QUOTES: dict[str, tuple[str, str, str, str]] = {
    "en": ("“", "”", "‘", "’"),
    "pt": ("“", "”", "‘", "’"),
    "ru": ("«", "»", "„", "“"),
    "uk": ("«", "»", "„", "“"),
    "be": ("«", "»", "„", "“"),
    "kk": ("«", "»", "„", "“"),
    "de": ("„", "“", "‚", "‘"),
    "fr": ("«\u00a0", "\u00a0»", "“", "”"),
    "es": ("«", "»", "“", "”"),
}
_APOSTROPHE = "’"
_TYPOGRAPHIC_DOUBLE = re.compile(r"[“”„‟«»]")
_OPENERS = set(" \t([{/-—–\u00a0")


def normalize_source(text: str) -> str:
    """The text the model reads: one line (the ``>`` markers of a wrapped block quote dropped),
    straight quotes, plain single spaces, ASCII dashes, no zero-width, currency signs the vocabulary
    lacks as ISO codes (the model drops "£2.8bn" but keeps "GBP 2.8bn")."""
    if "\n" in text:
        text = _QUOTED_LINE.sub(" ", text)
    text = text.translate(_SOURCE_MAP)
    if _CURRENCY.search(text):
        text = _CURRENCY.sub(lambda m: _CURRENCY_CODES[m.group(1)] + " ", text)
    if "–" in text or "—" in text or "―" in text:
        text = _DASH.sub(" - ", _TIGHT_DASH.sub("-", text))
    return _WS.sub(" ", text).strip()


def source_dash(text: str) -> str:
    """The dash the source uses between words (" — " or " – "), or "" when it uses none."""
    m = _SPACED_DASH.search(text)
    return m.group()[1] if m else ""


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


def restore_typography(text: str, lang: str, source: str = "") -> str:
    """The typography of ``source`` (the original sentence) in the target language's conventions.

    Where the source writes typographic quotes (apostrophes), the model's straight ones become the
    target language's own marks (pt/en “ ” ‘ ’, ru « » „ “, de „ “, fr « »); a source with straight
    quotes keeps straight ones. The source's dash, ellipsis and currency signs replace the ASCII
    stand-ins the model read and wrote.
    """
    o1, c1, o2, c2 = QUOTES.get(lang, QUOTES["en"])
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
    dash = source_dash(source)
    if dash and " - " in text:
        text = _TARGET_DASH.sub(f" {dash} ", text)
    if "…" in source and "..." in text:
        text = text.replace("...", "…")
    if _CURRENCY.search(source):
        text = _CODE_BEFORE_NUMBER.sub(lambda m: _CURRENCY_BACK[m.group(1)] if _CURRENCY_BACK[m.group(1)] in source else m.group(), text)
        text = _CODE_AFTER_NUMBER.sub(
            lambda m: _CURRENCY_BACK[m.group(2)] + m.group(1) if _CURRENCY_BACK[m.group(2)] in source else m.group(), text)
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


# ---- protected spans ------------------------------------------------------------------------------
_PROTECTED = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]+"  # URLs
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|(?<![\w@#])[@#][^\W\d]\w{1,49}",  # @handles and #hashtags
    re.IGNORECASE,
)
_URL_TAIL = ".,;:!?)]'\""
_TOKEN = re.compile(r"\S+")
_LEAD = "\"'([{«“"
_TRAIL = "\"')]}»”.,;:!?"


def protected_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of URLs, e-mails, @handles and #hashtags (trailing punctuation left out)."""
    if "@" not in text and "#" not in text and "://" not in text and "www." not in text.lower():
        return []
    spans = []
    for m in _PROTECTED.finditer(text):
        s = m.group()
        trimmed = s.rstrip(_URL_TAIL) if "(" not in s else s.rstrip(_URL_TAIL.replace(")", ""))
        if trimmed:
            spans.append((m.start(), m.start() + len(trimmed)))
    return spans


def repair_protected(source_items: list[str], target: str) -> tuple[str, int]:
    """Restore protected items the model altered; returns (target, number still missing).

    An item missing verbatim replaces the most similar run of 1-3 target tokens (their outer
    punctuation kept) when the similarity is at least 0.6.
    """
    missing = 0
    for item, n in Counter(source_items).items():
        for _ in range(n - min(n, target.count(item))):
            span = _most_similar(item, target)
            if span is None:
                missing += 1
            else:
                target = target[:span[0]] + item + target[span[1]:]
    return target, missing


def _most_similar(item: str, target: str) -> tuple[int, int] | None:
    toks = [(m.start(), m.end()) for m in _TOKEN.finditer(target)]
    best, best_ratio = None, 0.6
    low = item.lower()
    for i in range(len(toks)):
        for j in range(i, min(i + 3, len(toks))):
            a, b = toks[i][0], toks[j][1]
            while a < b and target[a] in _LEAD and target[a] != item[0]:
                a += 1
            while b > a and target[b - 1] in _TRAIL and target[b - 1] != item[-1]:
                b -= 1
            if a >= b or item in target[a:b]:
                continue
            ratio = SequenceMatcher(None, low, target[a:b].lower(), autojunk=False).ratio()
            if ratio > best_ratio:
                best, best_ratio = (a, b), ratio
    if best and best[0] > 0 and best[1] < len(target) and target[best[0] - 1] == '"' == target[best[1]]:
        best = (best[0] - 1, best[1] + 1)  # the model quoted a token it did not know ("#tag")
    return best


# ---- Markdown inline links --------------------------------------------------------------------
_MD_LINK = re.compile(r"\[([^\[\]\n]+)\]\(([^()\s]+(?:\([^()\s]*\)[^()\s]*)*)\)")  # [text](target)
_BRACKETED = re.compile(r"\[[^\[\]]+\]")
_END_PUNCT = re.compile(r"[.!?…\"')\]]*$")


def detach_links(text: str) -> tuple[str, list[str]]:
    """``[text](target)`` -> ``[text]`` and the targets in order: models mangle ``](`` but keep
    ``[text]`` around the translated link text."""
    if "](" not in text:
        return text, []
    targets: list[str] = []

    def keep(m: re.Match) -> str:
        targets.append(m.group(2))
        return f"[{m.group(1)}]"

    return _MD_LINK.sub(keep, text), targets


def attach_links(text: str, targets: list[str]) -> str:
    """Put each link target back after the matching ``[…]`` of the translation, in order; a target
    whose brackets the model lost is written after the sentence text, so no link is dropped."""
    if not targets:
        return text
    spans = list(_BRACKETED.finditer(text))[:len(targets)]
    for m, target in reversed(list(zip(spans, targets))):
        text = text[:m.end()] + f"({target})" + text[m.end():]
    rest = targets[len(spans):]
    if rest:
        cut = _END_PUNCT.search(text).start()
        text = text[:cut] + "".join(f" ({t})" for t in rest) + text[cut:]
    return text


# ---- numbers ----------------------------------------------------------------------------------------
_NUMBER = re.compile(r"(?<!\d)(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)*)(?!\d)")
_DIGIT = re.compile(r"\d")
_GROUP_SEPS = " \u00a0\u202f.,"
_GROUP_SPLIT = re.compile(r"[ \u00a0\u202f.,]")
_SCALE = re.compile(
    r"\s?(mil|milhões|milhão|thousand|million|millions|billion|billions|bn|bilhões|bilhão|trillion|trilhões|"
    r"тыс\.?|тысяч[аи]?|млн\.?|миллион(?:а|ов)?|млрд\.?|миллиард(?:а|ов)?)(?!\w)", re.IGNORECASE)
_SCALES = {"mil": 3, "thousand": 3, "тыс": 3, "тыс.": 3, "тысяч": 3, "тысяча": 3, "тысячи": 3,
           "million": 6, "millions": 6, "milhão": 6, "milhões": 6, "млн": 6, "млн.": 6,
           "миллион": 6, "миллиона": 6, "миллионов": 6, "billion": 9, "billions": 9, "bn": 9,
           "bilhão": 9, "bilhões": 9, "млрд": 9, "млрд.": 9, "миллиард": 9, "миллиарда": 9,
           "миллиардов": 9, "trillion": 12, "trilhões": 12}
# clock times: 8:30 p.m., 2pm | 20:30, 12.00 | 20h30, 15h, 07h19min
_TIME_12 = re.compile(r"(?<![\d.,:])(\d{1,2})(?:[:.](\d{2}))?\s?([ap])\.?\s?m(?:\.|(?!\w))", re.IGNORECASE)
_TIME_24 = re.compile(r"(?<![\d.,:])(\d{1,2})(?:[:.](\d{2})|h(\d{2})?(?:min)?)(?![\d\w])")
_ROMAN = re.compile(r"(?<!\w)[IVXL]{1,7}(?!\w)")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}
# (thousands separator, decimal separator) per language
NUMBER_FORMAT: dict[str, tuple[str, str]] = {
    "en": (",", "."),
    "pt": (".", ","),
    "es": (".", ","),
    "de": (".", ","),
    "ru": ("\u00a0", ","),
    "uk": ("\u00a0", ","),
    "be": ("\u00a0", ","),
    "kk": ("\u00a0", ","),
    "fr": ("\u202f", ","),
}


def _decimal_sep(lang: str) -> str:
    return NUMBER_FORMAT.get(lang, (",", "."))[1]


def parse_number(token: str, dec: str) -> str | None:
    """Canonical "int[.frac]" of ``token`` read with decimal separator ``dec``; None if not valid so."""
    head, frac = token, ""
    if dec in token:
        head, frac = token.rsplit(dec, 1)
        if not head or dec in head or not frac.isdigit():
            return None
    groups = _GROUP_SPLIT.split(head)
    if not all(g.isdigit() for g in groups):
        return None
    if len(groups) > 1 and (len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:])):
        return None
    return _canonical(Decimal("".join(groups) + ("." + frac if frac else "")))


def _canonical(d: Decimal) -> str:
    text = format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Quantity:
    """A number or clock time of a text: its token, canonical value and every reading it may have."""

    start: int
    end: int
    token: str
    value: str  # canonical number, or the literal token when it reads as no number (dates, versions)
    values: frozenset[str]  # value, scaled value ("2.8 bn"), clock time "t:<minutes>", literal
    grouped: bool = False  # the source wrote thousands separators


def _times(text: str) -> list[tuple[int, int, str]]:
    out = []
    for m in _TIME_12.finditer(text):
        h, mins = int(m.group(1)), int(m.group(2) or 0)
        if 1 <= h <= 12 and mins < 60:
            out.append((m.start(), m.end(), f"t:{(h % 12 + (12 if m.group(3).lower() == 'p' else 0)) * 60 + mins}"))
    taken = [(a, b) for a, b, _ in out]
    for m in _TIME_24.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        h, mins = int(m.group(1)), int(m.group(2) or m.group(3) or 0)
        if h < 24 and mins < 60:
            out.append((m.start(), m.end(), f"t:{h * 60 + mins}"))
    return out


def quantities(text: str, lang: str, skip: list[tuple[int, int]] = (), other_lang: str = "") -> list[Quantity]:
    """Numbers and clock times of ``text`` outside the ``skip`` spans, each with all its readings.

    A number is read in the convention of ``lang`` first, then of ``other_lang`` (or the opposite
    decimal separator); a following scale word ("mil", "million", "млн") adds the scaled value.
    """
    if not _DIGIT.search(text):
        return []
    decs = list(dict.fromkeys([_decimal_sep(lang), _decimal_sep(other_lang) if other_lang else "", ",", "."]))
    times = _times(text)
    out = []
    for m in _NUMBER.finditer(text):
        if any(a <= m.start() < b for a, b in skip):
            continue
        tok = m.group()
        value, grouped, readings = tok, False, {tok}
        for d in filter(None, decs):
            v = parse_number(tok, d)
            if v is None:
                continue
            if value == tok:
                value = v
                head = tok.rsplit(d, 1)[0] if "." in v else tok
                grouped = any(c in _GROUP_SEPS for c in head)
            readings.add(v)
        if len(tok) == 4 and tok.endswith("0") and text[m.end():m.end() + 1] == "s":
            readings.add(tok[2:])  # the 1960s = the 60s
        scale = _SCALE.match(text, m.end())
        if scale and value != tok:
            readings.add(_canonical(Decimal(value).scaleb(_SCALES[scale.group(1).lower()])))
        readings.update(t for a, b, t in times if a <= m.start() < b)
        out.append(Quantity(m.start(), m.end(), tok, value, frozenset(readings), grouped))
    return out


def _roman(text: str) -> list[Quantity]:
    out = []
    for m in _ROMAN.finditer(text):
        digits = [_ROMAN_VALUES[c] for c in m.group()]
        total = sum(-d if i + 1 < len(digits) and d < digits[i + 1] else d for i, d in enumerate(digits))
        out.append(Quantity(m.start(), m.end(), m.group(), str(total), frozenset({str(total)})))
    return out


def format_number(num: Quantity, lang: str) -> str:
    """``num`` written in the convention of ``lang`` (grouping kept only where the source grouped)."""
    if num.value == num.token:
        return num.token
    group, dec = NUMBER_FORMAT.get(lang, (",", "."))
    head, _, frac = num.value.partition(".")
    if num.grouped:
        first = len(head) % 3 or 3
        head = group.join([head[:first]] + [head[i:i + 3] for i in range(first, len(head), 3)])
    return head + (dec + frac if frac else "")


def repair_numbers(numbers: list[Quantity], target: str, src_lang: str, tgt_lang: str,
                   skip: list[tuple[int, int]] = ()) -> tuple[str, list[Quantity]]:
    """Match source numbers to target numbers by any reading; fix format-only damage.

    Returns (target, the source numbers still missing). A number counts as kept when the target has a number
    sharing one of its readings (value in either convention, scaled value, clock time, Roman
    numeral); an unmatched number whose digits appear unchanged in an unmatched target number
    (``1,234.56`` -> ``1,234,56``) is rewritten there in the target convention, and so is a grouped
    number copied verbatim whose separator is the target's decimal mark (en ``2,500`` in pt).
    """
    if not numbers:
        return target, []
    found = quantities(target, tgt_lang, skip, src_lang) + _roman(target)
    used, unmatched = _match(numbers, found)
    missing = []
    edits: list[tuple[int, int, str]] = []
    for num in unmatched:
        digits = _digits(num.token)
        k = next((i for i, q in enumerate(found) if not used[i] and _digits(q.token) == digits), -1)
        if k < 0:
            missing.append(num)
            continue
        used[k] = True
        edits.append((found[k].start, found[k].end, format_number(num, tgt_lang)))
    dec = _decimal_sep(tgt_lang)
    if dec != _decimal_sep(src_lang):  # "2,500" copied into pt reads 2.5 there: write "2.500"
        misread = {n.token: n for n in numbers if n.grouped and dec in n.token}
        edited = {a for a, _, _ in edits}
        edits += [(q.start, q.end, format_number(misread[q.token], tgt_lang))
                  for q in found if q.token in misread and q.start not in edited]
    for a, b, s in sorted(edits, reverse=True):
        target = target[:a] + s + target[b:]
    return target, missing


def _match(numbers: list[Quantity], found: list[Quantity]) -> tuple[list[bool], list[Quantity]]:
    """Greedy one-to-one matching by shared reading: (target numbers used, source numbers unmatched)."""
    used = [False] * len(found)
    unmatched: list[Quantity] = []
    for num in numbers:
        k = next((i for i, q in enumerate(found) if not used[i] and num.values & q.values), -1)
        if k < 0:
            unmatched.append(num)
        else:
            used[k] = True
    return used, unmatched


def preserved(source: str, target: str, src_lang: str, tgt_lang: str) -> tuple[int, int, int, int]:
    """(numbers, numbers kept, protected items, items kept verbatim) of a translation, checked as the
    engine checks them but without repairing anything (for evaluation)."""
    norm = normalize_source(source)
    spans = protected_spans(norm)
    items = Counter(norm[a:b] for a, b in spans)
    kept_items = sum(min(n, target.count(item)) for item, n in items.items())
    numbers = quantities(norm, src_lang, spans)
    found = quantities(target, tgt_lang, protected_spans(target), src_lang) + _roman(target)
    lost = _match(numbers, found)[1] if numbers else []
    return len(numbers), len(numbers) - len(lost), sum(items.values()), kept_items


def _digits(token: str) -> str:
    return "".join(c for c in token if c.isdigit())


# ---- cheap flags ----------------------------------------------------------------------------------
_CYRILLIC_LANGS = frozenset({"ru", "uk", "be", "kk", "ky", "tt", "ba", "bg", "mk", "sr", "mn", "tg"})
_LETTER = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def wrong_script(text: str, lang: str, min_letters: int = 12) -> bool:
    """True when most letters of ``text`` are not in the script ``lang`` is written in."""
    if text.isascii() and lang not in _CYRILLIC_LANGS:
        return False
    letters = len(_LETTER.findall(text))
    if letters < min_letters:
        return False
    script = _CYRILLIC if lang in _CYRILLIC_LANGS else _LATIN if lang not in {"zh", "ja", "ko", "ar", "he", "el", "hi", "th"} else None
    if script is None:
        return False
    return len(script.findall(text)) * 2 < letters


def is_copy(source: str, target: str, min_words: int = 6) -> bool:
    """The model returned the source untranslated (a long sentence, identical)."""
    return source.count(" ") + 1 >= min_words and source.casefold() == target.casefold()


def is_repetitive(target: str, source: str) -> bool:
    """A decoding loop: a 1-4-gram repeated back to back (4x a word, 3x longer n-grams), or a 3-gram
    3+ times, beyond what the source does."""
    words = _WORD.findall(target.lower())
    if len(words) < 6 or max(Counter(words).values()) < 3:
        return False
    src_words = _WORD.findall(source.lower())
    for n, need in ((1, 4), (2, 3), (3, 3), (4, 3)):
        if _repeats(words, n) >= need > _repeats(src_words, n):
            return True
    tri = Counter(zip(words, words[1:], words[2:]))
    count = max(tri.values(), default=0)
    if count >= 3:
        src_tri = Counter(zip(src_words, src_words[1:], src_words[2:]))
        return count > max(src_tri.values(), default=0) + 1
    return False


def _repeats(words: list[str], n: int) -> int:
    """How many times an n-gram occurs back to back at most (1 when never repeated)."""
    best = run = 0
    for a, b in zip(words, words[n:]):
        run = run + 1 if a == b else 0
        best = max(best, run)
    return 1 + best // n


def length_ratio_ok(source: str, target: str, low: float = 0.45, high: float = 2.2, min_chars: int = 25) -> bool:
    """Whether len(target)/len(source) is plausible (short sources are not judged)."""
    if len(source) < min_chars:
        return bool(target.strip()) or not source.strip()
    return low <= len(target) / len(source) <= high
