"""Protected spans and Markdown links: what a translation must carry over verbatim.

- URLs, e-mail addresses, @handles, #hashtags and HTML tags: ``protected_spans`` finds them in a
  source, ``repair_protected`` puts back the ones the model altered. An item counts as kept only as
  a whole token (``#Pilot`` inside ``#PilotTraining`` is not kept); a repair replaces only the
  model's broken form of that same item (``-JaneRoe``, ``"BobJones``, ``b>``), one target token
  per item, never a word the source also has outside its spans nor another item; quotes and
  brackets the model put around an item are dropped (``strip_stray_marks``).
- Markdown links: ``detach_links`` hands the model ``[text]`` without the target or the reference
  label (models mangle ``](`` and translate a label), ``attach_links`` puts each back after its
  translated ``[text]``; an autolink ``<https://...>`` is one protected item.
- Markdown inline code: ``detach_code`` hands the model a placeholder word per code span (``XCAZ``,
  which models copy; they translate or re-quote the code itself), ``attach_code`` puts the code back.
"""
from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher

from .typography import pair_items

_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^\s<>]+>")  # Markdown's <https://...>: one item
_PROTECTED = re.compile(
    _AUTOLINK.pattern
    + r"|(?:https?://|www\.)[^\s<>\"]+"  # URLs
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|(?<![\w@#])[@#][^\W\d]\w{1,49}"  # @handles and #hashtags
    r"|</?[A-Za-z][\w-]*(?:\s[^<>]{0,200})?/?>",  # HTML tags
    re.IGNORECASE,
)
_URL_TAIL = ".,;:!?)]'\"*"
_TOKEN = re.compile(r"\S+")
_LEAD = "\"'([{«“-*"
_TRAIL = "\"')]}»”.,;:!?"
_KEY = re.compile(r"[\W_]+")
_SOURCE_WORD = re.compile(r"[^\W_]+")


def protected_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of URLs, e-mails, @handles, #hashtags and HTML tags (trailing punctuation left out)."""
    if "@" not in text and "#" not in text and "://" not in text and "www." not in text.lower() and "<" not in text:
        return []
    spans = []
    for m in _PROTECTED.finditer(text):
        s = m.group()
        trimmed = s if s.startswith("<") else s.rstrip(_URL_TAIL) if "(" not in s else s.rstrip(_URL_TAIL.replace(")", ""))
        if trimmed:
            spans.append((m.start(), m.start() + len(trimmed)))
    return spans


def occurrences(item: str, text: str) -> list[tuple[int, int]]:
    """Where ``item`` stands in ``text`` as a whole token (not inside a longer handle, tag or URL);
    a hashtag or handle ends where its word does (``#MeToo/#EuTambém``)."""
    if item.startswith("<"):
        return [(m.start(), m.end()) for m in re.finditer(re.escape(item), text)]
    after = r"(?![\w@])" if item[0] in "#@" else r"(?![\w@/-])"
    return [(m.start(), m.end()) for m in re.finditer(rf"(?<![\w@#/.-]){re.escape(item)}{after}", text)]


def repair_protected(source_items: list[str], target: str, source: str = "") -> tuple[str, list[str]]:
    """Restore protected items the model altered; returns (target, the items still missing).

    For each item missing as a whole token, the model's broken form of it is replaced: a target
    token (or a run of up to 3 for a URL or e-mail) that is no kept item and no word the ``source``
    has outside its spans, whose letters and digits are the item's (a handle, hashtag), or at least
    0.6 similar (a URL, e-mail); an HTML tag that lost its ``<`` gets it back.
    """
    words = _outside_words(source, source_items)
    kept = [span for item in set(source_items) for span in occurrences(item, target)]
    missing: list[str] = []
    for item, n in Counter(source_items).items():
        for _ in range(n - min(n, len(occurrences(item, target)))):
            tag = item.startswith("<") and not _AUTOLINK.fullmatch(item)
            span = _tag_form(item, target) if tag else _broken_form(item, target, kept, words)
            if span is None:
                missing.append(item)
                continue
            a, b, new = span
            target = target[:a] + new + target[b:]
            shift = len(new) - (b - a)
            kept = [(x + shift if x >= b else x, y + shift if y >= b else y) for x, y in kept] + [(a, a + len(new))]
    return strip_stray_marks(target, source, source_items), missing


def _outside_words(source: str, items: list[str]) -> set[str]:
    """Lower-cased words of ``source`` outside its protected items (a target token equal to one of
    them translates a word; it is no broken item)."""
    for item in set(items):
        source = source.replace(item, " ")
    return {w.lower() for w in _SOURCE_WORD.findall(source)}


def _broken_form(item: str, target: str, kept: list[tuple[int, int]], words: set[str]) -> tuple[int, int, str] | None:
    toks = [(m.start(), m.end()) for m in _TOKEN.finditer(target)]
    key = _KEY.sub("", item).lower()
    url = not item.startswith(("@", "#"))
    best, best_ratio = None, 0.6 if url else 0.99
    for i in range(len(toks)):
        for j in range(i, min(i + (3 if url else 2), len(toks))):
            a, b = _core(target, toks[i][0], toks[j][1], item)
            text = target[a:b]
            if a >= b or any(x < b and a < y for x, y in kept):
                continue
            parts = [_KEY.sub("", w).lower() for w in text.split()]
            if all(p in words or not p for p in parts) or (j > i and not url and len(parts[0]) > 0 and parts[0] in words):
                continue  # a translated word of the source, not a broken item
            ratio = 1.0 if "".join(parts) == key else SequenceMatcher(None, key, "".join(parts), autojunk=False).ratio()
            if not url and ratio < 1.0 and text[:1] == item[0] and ratio >= 0.8:
                ratio = 0.9999  # "@AnnSmit": the handle with a letter changed
            if ratio > best_ratio:
                best, best_ratio = (a, b), ratio
    if best is None:
        return None
    a, b = best
    if a > 0 and b < len(target) and target[a - 1] == '"' == target[b]:
        a, b = a - 1, b + 1  # the model quoted a token it did not know ("#tag")
    return a, b, item


def _core(target: str, a: int, b: int, item: str) -> tuple[int, int]:
    """``target[a:b]`` without outer punctuation, except a mark that stands where the item's sigil was."""
    while a < b and target[a] in _LEAD and target[a] != item[0]:
        a += 1
    if item[0] in "@#" and a > 0 and target[a - 1] in "-*#@" and a < b and target[a] not in "@#":
        a -= 1  # "-JaneRoe": the sigil came out as another mark
    while b > a and target[b - 1] in _TRAIL and target[b - 1] != item[-1]:
        b -= 1
    return a, b


def _tag_form(item: str, target: str) -> tuple[int, int, str] | None:
    """An HTML tag the model wrote without its ``<`` (``b>``, ``*b>``, ``/b>``): where and what to write."""
    body = re.escape(item[1:])
    m = re.search(rf"(?<!<){body}" if item.startswith("</") else rf"(?<![<\w/]){body}", target)
    if m is None:
        return None
    a = m.start() - 1 if m.start() > 0 and target[m.start() - 1] in "*«‹[(&" else m.start()
    return a, m.end(), item


def strip_stray_marks(target: str, source: str, items: list[str]) -> str:
    """``target`` without the double quotes and brackets the model put around protected items that
    the source does not have (``a "@Handle`` -> ``a @Handle``), while it has more than the source."""
    if not items or not any(c in target for c in '"()'):
        return target
    for mark, close in (('"', '"'), ("(", ")")):
        extra = {mark: target.count(mark) - source.count(mark), close: target.count(close) - source.count(close)}
        if max(extra.values()) <= 0:
            continue
        spans = [span for item in set(items) for span in occurrences(item, target)]
        drop: list[int] = []
        for it in pair_items(target, mark):
            if not any(it.start == a - 1 or (it.kind != "open" and it.end == b) for a, b in spans):
                continue
            marks = [it.start, it.end] if it.kind == "pair" else [it.start]
            need = Counter(target[i] for i in marks)
            if all(extra[c] >= k for c, k in need.items()):
                drop += marks
                for c, k in need.items():
                    extra[c] -= k
        if drop:
            target = "".join(ch for i, ch in enumerate(target) if i not in set(drop))
    return target


# ---- Markdown inline links --------------------------------------------------------------------
# [text](target) and the reference form [text][label]: the destination a link's text is followed by
MD_LINK = re.compile(r"\[([^\[\]\n]+)\](\((?:[^()\s]+(?:\([^()\s]*\)[^()\s]*)*)\)|\[[^\[\]\n]*\])")
_BRACKETED = re.compile(r"\[[^\[\]]+\]")
_END_PUNCT = re.compile(r"[.!?…\"')\]]*$")


def detach_links(text: str) -> tuple[str, list[str]]:
    """``[text](target)`` and ``[text][label]`` -> ``[text]``, and what followed it in order: models
    mangle ``](`` and translate a label (which must match its definition), but keep ``[text]``
    around the translated link text."""
    if "](" not in text and "][" not in text:
        return text, []
    targets: list[str] = []

    def keep(m: re.Match) -> str:
        targets.append(m.group(2))
        return f"[{m.group(1)}]"

    return MD_LINK.sub(keep, text), targets


def attach_links(text: str, targets: list[str]) -> str:
    """Put each destination back after the matching ``[…]`` of the translation, in order; one whose
    brackets the model lost is written after the sentence text (a target as the autolink
    ``<target>``, a label as ``[label]``), so no link is dropped."""
    if not targets:
        return text
    spans = list(_BRACKETED.finditer(text))[:len(targets)]
    for m, target in reversed(list(zip(spans, targets))):
        text = text[:m.end()] + target + text[m.end():]
    rest = targets[len(spans):]
    if rest:  # as autolinks: still links, in Markdown and as text
        cut = _END_PUNCT.search(text).start()
        text = text[:cut] + "".join(f" <{t[1:-1]}>" if t.startswith("(") else f" {t}" for t in rest) + text[cut:]
    return text


# ---- Markdown inline code -----------------------------------------------------------------------
_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")  # `code`, ``a ` b``
_VOID = re.compile(r"<(?:br|wbr|img)\b[^<>]{0,500}>", re.IGNORECASE)  # a line break, an image: a point of the text
_KEPT = re.compile(f"{_CODE.pattern}|{_VOID.pattern}", re.IGNORECASE)


def stand_in_word(prefix: str, i: int) -> str:
    """The i-th word that stands in for something the model must not read (``XCAZ``, ``XCBZ``, ...
    for ``prefix`` "XC"): letters only (digits would read as numbers), which models copy."""
    letters = ""
    while True:
        i, r = divmod(i, 26)
        letters = chr(ord("A") + r) + letters
        if not i:
            return f"{prefix}{letters}Z"
        i -= 1


def _code_mark(i: int) -> str:
    """The placeholder of the i-th code span."""
    return stand_in_word("XC", i)


def detach_code(text: str) -> tuple[str, list[str]]:
    """Each inline code span, and each inline HTML line break or image (the model dropped
    ``here<br>and``: a tag stands apart from the words beside it, which the model then reads as
    words), -> its placeholder; the spans in order."""
    if "`" not in text and "<" not in text:
        return text, []
    codes: list[str] = []

    def keep(m: re.Match) -> str:
        codes.append(m.group())
        return _code_mark(len(codes) - 1) if m.group()[0] == "`" else f" {_code_mark(len(codes) - 1)} "

    return _KEPT.sub(keep, text), codes


def code_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the inline code of ``text`` (backticks included)."""
    return [m.span() for m in _CODE.finditer(text)]


def fence_code(text: str, ranges: list[tuple[int, int]]) -> str:
    """``text`` with each range of inline code (HTML ``<code>``, ``<kbd>``) in backticks, so
    ``detach_code`` keeps it verbatim as it keeps Markdown's."""
    for a, b in sorted(ranges, reverse=True):
        fence = "`" * (max(map(len, re.findall("`+", text[a:b])), default=0) + 1)
        text = f"{text[:a]}{fence}{text[a:b]}{fence}{text[b:]}"
    return text


def unfence_code(fenced: str, text: str, translation: str) -> str:
    """``translation`` of ``fenced`` (``fence_code(text, ...)``) without the backticks added there."""
    for fence, inner in _CODE.findall(fenced) if fenced != text else ():
        translation = translation.replace(f"{fence}{inner}{fence}", inner, 1)
    return translation


def attach_code(text: str, codes: list[str]) -> str:
    """Each placeholder of the translation back to its code span; a span whose placeholder the model
    lost is written after the sentence text, so no code is dropped."""
    rest = []
    for i, code in enumerate(codes):
        mark = _code_mark(i)
        if mark in text:
            text = text.replace(mark, code, 1)
        else:
            rest.append(code)
    if rest:
        cut = _END_PUNCT.search(text).start()
        text = text[:cut] + "".join(f" {c}" for c in rest) + text[cut:]
    return text
