"""Sentence segmentation: one rule engine, each language's rules as data (the ``segment`` section of
its pack, ``languages/packs/<code>/segment.toml``; the generic pack for a language without one).

A compiled regex finds candidate ends (a run of terminators such as ``. ! ? … ؟ । 。`` with closing
quotes/brackets, then whitespace; CJK full stops need none); a small decision function looks at the
word before and the word after each candidate.
Lowercase next word: never a boundary. Titles (``Mr.``): never. Abbreviations, dotted forms
(``U.S.``) and single letters (initials): a boundary only before a common sentence starter ("The",
"В"). A blank line is always a boundary; a single newline is ordinary whitespace.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .document import Document, Sentence
from .languages import Language, resolve
from .languages.packs import GENERIC, read_section

_DOTTED = re.compile(r"(?:[^\W\d_]{1,4}\.)+[^\W\d_]{1,4}")  # U.S, a.m, Ph.D, т.е, куб.м
_NUMBER = re.compile(r"\d+")
_BULLET_MARKS = "•‣⁃◦▪▫●○∙"
_BULLETS = _BULLET_MARKS + "*·–—-"  # ignored before a list marker or next word
_OPENERS, _CLOSERS = "([{", ")]}*_"  # besides quotes; closing Markdown emphasis too: "*Fin.* Next"
_NOTE = r"(?:[ \u00a0]?\[(?:\d+(?:\s*[-–,]\s*\d+)*|\.\.\.|…)\]){0,4}"  # "[12]" "[3-5]" "[…]" after an end
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_NOTHING = re.compile(rf"[\s{re.escape(_BULLETS)}]*")  # only space and bullets: still at a sentence start
_ENUM = re.compile(rf"(?<!\S)(?:[{_BULLET_MARKS}]\s*)?(\d{{1,3}}|[a-z])(?:\.\)|[.)])(?=\s)")
_FOLLOWING = re.compile(r"\s*(?P<lead>(?:[^\w\s]{1,8}\s*){0,4})(?P<word>\w*)(?P<dot>\.?)")  # openers, next word


@dataclass(frozen=True)
class Rules:
    """One pack's rules, compiled."""

    nonbreaking: frozenset[str]
    before_number: frozenset[str]
    abbreviations: frozenset[str]
    starters: frozenset[str]
    ordinal_period: bool
    candidate: re.Pattern  # prev word + terminators + closers, then space or end (or a spaceless terminator)
    openers: str
    strong: frozenset[str]  # terminators that end a sentence before any capitalised word (not "." or "…")
    unpunctuated: re.Pattern | None  # a sentence start with no punctuation before it (glued headline)


def rules_for(lang: Language | str) -> Rules:
    """The compiled rules of a language's pack (``pt-BR`` -> ``pt``; the generic pack for a
    language without one)."""
    return _compiled(resolve(lang).pack)


@lru_cache(maxsize=None)
def _compiled(pack: str) -> Rules:
    data = {**read_section(GENERIC, "segment"), **(read_section(pack, "segment") or {})}
    closers = rf"[{re.escape(data['close_quotes'] + _CLOSERS)}]"
    if data.get("spaced_close_quotes"):
        closers = rf"(?:{closers}|[ \u00a0\u202f][{re.escape(data['spaced_close_quotes'])}])"
    openers = data["open_quotes"] + _OPENERS
    spaced, spaceless = data["terminators"], data.get("spaceless_terminators", "")
    term, free = f"[{re.escape(spaced)}]", f"[{re.escape(spaceless)}]" if spaceless else "(?!)"
    low = lambda key: frozenset(w.lower() for w in data.get(key, []))  # noqa: E731
    return Rules(
        nonbreaking=low("nonbreaking"),
        before_number=low("before_number"),
        abbreviations=low("abbreviations"),
        starters=frozenset(data.get("starters", [])),
        ordinal_period=bool(data.get("ordinal_period", False)),
        candidate=re.compile(
            rf"(?<![^\s{re.escape(spaceless)}])(?P<prev>[^\s{re.escape(spaceless)}]*?)(?<!{term})"
            rf"(?P<term>{term}+(?:(?:{closers}|[ \u00a0](?=\.)){term}*){{0,8}}){_NOTE}(?=\s|$)"
            rf"|(?P<free>{free}+(?:{closers}|{free}){{0,8}})"
        ),
        openers=openers,
        strong=frozenset(spaced + spaceless) - {".", "…"},
        unpunctuated=_unpunctuated(data.get("unpunctuated_starters", [])),
    )


def _unpunctuated(words: list[str]) -> re.Pattern | None:
    """Whitespace before one of ``words`` followed by a lowercase word, after a letter or a closing
    quote: capitalized there ("… like muppets' There is …"), such a word only starts a
    sentence, so a headline or heading glued to the text without punctuation is cut off."""
    if not words:
        return None
    alternatives = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.compile(rf"(?:(?<=[^\W\d_])|(?<=[\"'’”»]))\s+(?=(?:{alternatives})\s+[^\W\d_])")  # not after "1)"


def _decide(r: Rules, prev: str, term: str, lead: str, word: str, dot: str, at_start: bool) -> bool:
    """Is this candidate a sentence end? ``prev``: the word before ``term``; ``word``: the next word."""
    if not word:
        return True
    if word[0].islower():
        return False
    if not r.strong.isdisjoint(term):
        return True
    dots = term.count(".") + 3 * term.count("…")
    if dots > 1:  # an ellipsis; four dots are an ellipsis and a period
        return dots > 3 or bool(prev.strip(r.openers))  # detached " ... ": an omission inside a sentence
    p = prev.lstrip(r.openers + _BULLETS).lower()
    if at_start and term in (".", ".)") and (len(p) == 1 or _NUMBER.fullmatch(p) and len(p) <= 3):
        return False  # a list marker "1." or "a." or "1.)"
    if term[-1] != ".":  # closing quote or bracket after the period
        return True
    if p in r.nonbreaking:
        return False
    digit_next = word[0].isdigit()
    ambiguous = (
        p in r.abbreviations
        or p in r.before_number
        or (len(p) == 1 and p.isalpha())
        or _DOTTED.fullmatch(p) is not None
        or (r.ordinal_period and _NUMBER.fullmatch(p) is not None)
    )
    if digit_next:
        return not ambiguous
    if not ambiguous:
        return True
    if any(c in r.openers for c in lead):
        return True
    initial_next = len(word) == 1 and dot == "."
    return word in r.starters and not initial_next


def _enumeration_starts(text: str, pos: int) -> list[int]:
    """Offsets of inline list items after the first ("1. x 2. y", "a) x b) y", "• x • y"); the
    paragraph must start (at ``pos``) with an item and later markers must count on from it."""
    first = _ENUM.match(text, pos)
    if first is None:
        bullet = text[pos:pos + 1]
        if bullet and bullet in _BULLET_MARKS:
            return [m.start() for m in re.finditer(rf"(?<=\s){re.escape(bullet)}", text)]
        return []
    starts, value = [], first.group(1)
    for m in _ENUM.finditer(text, first.end()):
        nxt = str(int(value) + 1) if value.isdigit() else chr(ord(value) + 1)
        if m.group(1) == nxt:
            starts.append(m.start())
            value = nxt
    return starts


def split_sentences(text: str, lang: Language) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``, without surrounding whitespace."""
    r = rules_for(lang)
    first = len(text) - len(text.lstrip())
    cuts = [m.start() for m in _BLANK_LINE.finditer(text)] + _enumeration_starts(text, first)
    if r.unpunctuated is not None:
        cuts += [m.start() for m in r.unpunctuated.finditer(text) if text[text.find(" ", m.end()) + 1:][:1].islower()]
    pending = sorted(cuts, reverse=True)  # forced cuts not yet passed, nearest last
    ends: list[int] = []
    last = 0  # where the current sentence began
    for m in r.candidate.finditer(text):
        while pending and pending[-1] <= m.start():
            last = max(last, pending.pop())
        if m.group("free"):  # a CJK full stop: an end wherever it stands
            ends.append(m.end())
            last = m.end()
            continue
        nxt = _FOLLOWING.match(text, m.end())
        lead, word, dot = nxt.group("lead", "word", "dot") if nxt else ("", "", "")
        at_start = _NOTHING.fullmatch(text, last, m.start()) is not None
        if _decide(r, m.group("prev"), m.group("term"), lead, word, dot, at_start):
            ends.append(m.end())
            last = m.end()
    return _spans(text, sorted(set(ends) | set(cuts)))


def _spans(text: str, cuts: list[int]) -> list[tuple[int, int]]:
    spans, start = [], 0
    for cut in cuts + [len(text)]:
        a, b = start, cut
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            spans.append((a, b))
        start = cut
    return spans


def segment_document(doc: Document) -> Document:
    """Fill the sentences of translatable paragraphs that have none (ids ``{paragraph id}s{j}``,
    offsets into ``doc.text``); returns ``doc`` itself. An article in a language without a pack of
    its own is split by the generic rules and flagged ``generic_rules``."""
    lang = resolve(doc.lang)
    if lang.generic:
        doc.meta["flags"] = sorted({*doc.meta.get("flags", []), "generic_rules"})
    for p in doc.paragraphs:
        if p.translatable and not p.sentences:
            spans = split_sentences(doc.text[p.start:p.end], lang)
            p.sentences = [
                Sentence(f"{p.id}s{j}", p.start + a, p.start + b, doc.text[p.start + a:p.start + b])
                for j, (a, b) in enumerate(spans, 1)
            ]
    return doc


def segment_text(text: str, lang: str = "en", fmt: str = "txt", doc_id: str = "doc") -> Document:
    """Read ``text`` as format ``fmt`` (the first document for "jsonl") and segment it."""
    from .sources import read_text

    resolve(lang)  # fail on the language before reading
    return segment_document(read_text(text, fmt, lang, doc_id)[0])
