"""Protected spans and Markdown links: what a translation must carry over verbatim.

- URLs, e-mail addresses, @handles and #hashtags: ``protected_spans`` finds them in a source,
  ``repair_protected`` puts back the ones the model altered.
- Markdown inline links: ``detach_links`` hands the model ``[text]`` without the target (models
  mangle ``](``), ``attach_links`` puts each target back after its translated ``[text]``.
"""
from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher

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

