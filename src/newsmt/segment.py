"""Sentence segmentation: one rule engine, each language's rules as data (the ``segment`` section of
its pack, ``languages/packs/<code>/segment.toml``, read over the generic pack's; the generic pack
alone for a language without one).

A compiled regex finds candidate ends: a run of terminators (``. ! ? … ؟ । ។ 。``, spaces between
them allowed: ". . . ?") with closing quotes and brackets, then whitespace; CJK full stops
(``spaceless_terminators``) need none. A small decision function looks at the word before and the
word after each candidate. Lowercase next word: never a boundary. Titles (``Mr.``): never.
Abbreviations, dotted forms (``U.S.``) and initials: a boundary only before a common sentence
starter ("The", "В"). A blank line is always a boundary; a single newline is ordinary whitespace.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from .document import Document, Sentence
from .languages import Language, resolve
from .languages.packs import GENERIC, read_section

SEGMENTERS = ("rules",)  # what a pack's ``segmenter`` may name (see scripts/eval_segment.py for the others)
SEGMENT_KEYS = frozenset({  # what a pack's segment section may hold (docs/LANGUAGES.md)
    "segmenter", "terminators", "spaceless_terminators", "open_quotes", "close_quotes", "spaced_close_quotes",
    "nonbreaking", "before_number", "abbreviations", "starters", "unpunctuated_starters", "ordinal_period",
    "initials", "dash_starts_sentence", "spaced_ellipsis_ends", "continues_after_quote",
})
GENERIC_FLAG = "generic_rules"  # article flag: no pack of its own, split by the generic rules
_DOTTED = re.compile(r"(?:[^\W\d_]{1,4}\.)+[^\W\d_]{1,4}")  # U.S, a.m, Ph.D, т.е, куб.м
_NUMBER = re.compile(r"\d+")
_BULLET_MARKS = "•‣⁃◦▪▫●○∙"
_BULLETS = _BULLET_MARKS + "*·–—-"  # ignored before a list marker or next word
_DASHES = "-–—"
_OPENERS, _CLOSERS = "([{", ")]}*_"  # besides quotes; closing Markdown emphasis too: "*Fin.* Next"
_NOTE = r"(?:[ \u00a0]?\[(?:\d+(?:\s*[-–,]\s*\d+)*|\.\.\.|…)\]){0,4}"  # "[12]" "[3-5]" "[…]" after an end
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_NOTHING = re.compile(rf"[\s{re.escape(_BULLETS)}]*")  # only space and bullets: still at a sentence start
_ENUM = re.compile(rf"(?<!\S)(?:[{_BULLET_MARKS}]\s*)?(\d{{1,3}}|[a-z])(?:\.\)|[.)])(?=\s)")
_FOLLOWING = re.compile(r"\s*(?P<lead>(?:[^\w\s]{1,8}\s*){0,4})(?P<word>\w*)(?P<dot>\.?)")  # openers, next word
_ELISION = re.compile(r"^[^\W\d_]{1,5}['’](?=\w)")  # "l'art." "dell'avv.": the word after the article
_CLAUSE_MARKS = ",，、:：;；"  # right after a CJK full stop: the quoted sentence goes on ("？！，”他问")


@dataclass(frozen=True)
class Rules:
    """One pack's rules, compiled."""

    nonbreaking: frozenset[str]
    before_number: frozenset[str]
    abbreviations: frozenset[str]
    starters: frozenset[str]
    ordinal_period: bool
    candidate: re.Pattern  # terminators + closers, then space or end (or a spaceless terminator)
    terminator: re.Pattern  # any one terminator: where a candidate can start
    spaceless: str  # terminators that need no space after them
    openers: str
    close_set: str  # closing quotes and brackets
    terminators: str  # every terminator, spaced or not
    strong: frozenset[str]  # terminators that end a sentence before any capitalised word (not "." or "…")
    unpunctuated: re.Pattern | None  # a sentence start with no punctuation before it (glued headline)
    ambiguous_quotes: str  # quote marks that both open and close ('"'; '“' where it closes German „…“)
    syllable_initials: bool  # one syllable before a period is an initial (Tamil "தி. மு. க.")
    dash_starts_sentence: bool  # "End. - Next": a dialogue turn (a boundary), not a quote going on
    spaced_ellipsis_ends: bool  # "garde ... Que": a spaced ellipsis before a capital ends a sentence
    continues: re.Pattern | None  # right after "terminator + closing quote": the sentence goes on ("」と")


def rules_for(lang: Language | str) -> Rules:
    """The compiled rules of a language's pack (``pt-BR`` -> ``pt``; the generic pack for a
    language without one)."""
    return _compiled(resolve(lang).pack)


@lru_cache(maxsize=None)
def _compiled(pack: str) -> Rules:
    data = {**read_section(GENERIC, "segment"), **(read_section(pack, "segment") or {})}
    if data["segmenter"] not in SEGMENTERS:
        raise ValueError(f"pack {pack!r}: unknown segmenter {data['segmenter']!r} (known: {', '.join(SEGMENTERS)})")
    closers = rf"[{re.escape(data['close_quotes'] + _CLOSERS)}]"
    if data.get("spaced_close_quotes"):
        closers = rf"(?:{closers}|[ \u00a0\u202f][{re.escape(data['spaced_close_quotes'])}])"
    openers = data["open_quotes"] + _OPENERS
    spaced, spaceless = data["terminators"], data.get("spaceless_terminators", "")
    term = f"[{re.escape(spaced)}]" if spaced else "(?!)"
    free = f"[{re.escape(spaceless)}]" if spaceless else "(?!)"
    low = lambda key: frozenset(w.lower() for w in data.get(key, []))  # noqa: E731
    continues = data.get("continues_after_quote")
    return Rules(
        nonbreaking=low("nonbreaking"),
        before_number=low("before_number"),
        abbreviations=low("abbreviations"),
        starters=frozenset(data.get("starters", [])),
        ordinal_period=bool(data.get("ordinal_period", False)),
        candidate=re.compile(
            rf"(?P<term>{term}+(?:(?:{closers}|[ \u00a0](?={term})){term}*){{0,8}}){_NOTE}(?=\s|$)"
            rf"|(?P<free>{free}+(?:{closers}|{free}){{0,8}})"
        ),
        terminator=re.compile(f"[{re.escape(spaced + spaceless)}]" if spaced + spaceless else "(?!)"),
        spaceless=spaceless,
        openers=openers,
        close_set=data["close_quotes"] + _CLOSERS,
        terminators=spaced + spaceless,
        strong=frozenset(spaced + spaceless) - {".", "…"},
        unpunctuated=_unpunctuated(data.get("unpunctuated_starters", [])),
        ambiguous_quotes="".join(sorted(set(data["open_quotes"]) & set(data["close_quotes"]))),
        syllable_initials=data.get("initials", "letter") == "syllable",
        dash_starts_sentence=bool(data["dash_starts_sentence"]),
        spaced_ellipsis_ends=bool(data["spaced_ellipsis_ends"]),
        continues=re.compile(continues) if continues else None,
    )


def _unpunctuated(words: list[str]) -> re.Pattern | None:
    """Whitespace before one of ``words`` followed by a lowercase word, after a letter or a closing
    quote: capitalized there ("… like muppets' There is …"), such a word only starts a
    sentence, so a headline or heading glued to the text without punctuation is cut off."""
    if not words:
        return None
    alternatives = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.compile(rf"\s+(?=(?:{alternatives})\s+[^\W\d_])")


def _glued(text: str, gap: int, word: int) -> bool:
    """Whether the sentence starter at ``word`` (after whitespace from ``gap``) follows a letter or
    a closing quote (not "1)") and a lowercase word follows it."""
    before = text[gap - 1:gap]
    after = text.find(" ", word) + 1
    return bool(before) and (before.isalpha() or before in "\"'’”»") and text[after:after + 1].islower()


def _prev_word(r: Rules, text: str, end: int) -> str:
    """The word before a terminator at ``end``: back to whitespace or a spaceless terminator."""
    start, stop = end, max(0, end - 64)
    while start > stop and not text[start - 1].isspace() and text[start - 1] not in r.spaceless:
        start -= 1
    return text[start:end]


def _syllables(word: str) -> int:
    """Letters that start a syllable: every letter but one joined to the letter before by a virama
    (Devanagari "प्रो" is one, Tamil "எஸ்" two); marks (vowel signs) count for nothing."""
    count, joined = 0, False
    for ch in word:
        if ch.isalpha() and not joined:
            count += 1
        joined = unicodedata.combining(ch) == 9  # a virama joins the next consonant
    return count


def _initial(r: Rules, p: str) -> bool:
    """An initial or a single-letter abbreviation: one cased letter ("A."; a letter of a script
    without case, such as Pashto "و", is an ordinary word), or one syllable where the pack says so."""
    if r.syllable_initials and p and all(c.isalpha() or unicodedata.category(c)[0] == "M" for c in p):
        return _syllables(p) == 1
    return len(p) == 1 and p.isalpha() and p.lower() != p.upper()


def _decide(r: Rules, prev: str, term: str, lead: str, word: str, dot: str, at_start: bool) -> bool:
    """Is this candidate a sentence end? ``prev``: the word before ``term``; ``word``: the next word."""
    if not word:
        return not lead or lead[0] not in r.terminators  # ". . . !": the end is the last terminator
    if word[0].islower():
        return False
    if lead:
        if lead[0] in r.terminators:
            return False  # detached terminators follow ("Fin. . . . !"): the end is after them
        if lead[0] in _DASHES and not r.dash_starts_sentence:
            return False  # "… rozwiązanie. - Podatek jest … - mówi X.": a quotation goes on
    p = _ELISION.sub("", prev.lstrip(r.openers + _BULLETS).lower())
    if p in r.nonbreaking and term[-1] not in r.close_set:
        return False  # a title, or an abbreviation written with a terminator (Khmer "។ល។")
    if not r.strong.isdisjoint(term):
        return True
    dots = term.count(".") + 3 * term.count("…")
    if dots > 1:  # an ellipsis; four dots are an ellipsis and a period
        # attached to a word ("paused... Then"), four dots, or standing alone before a capital
        # ("garde ... Que"): an end; in brackets ("[...]") or before an uncased word: an omission
        return dots > 3 or bool(prev.strip(r.openers)) or (not prev and r.spaced_ellipsis_ends and word[0].isupper())
    if at_start and term in (".", ".)") and (len(p) == 1 or _NUMBER.fullmatch(p) and len(p) <= 3):
        return False  # a list marker "1." or "a." or "1.)"
    if term[-1] != ".":  # closing quote or bracket after the period
        return True
    digit_next = word[0].isdigit()
    ambiguous = (
        p in r.abbreviations
        or p in r.before_number
        or _initial(r, p)
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


class _QuoteCount:
    """Straight double quotes before an offset, counted on from the last offset asked (linear over
    a text scanned left to right)."""

    def __init__(self, text: str) -> None:
        self.text, self.pos, self.count = text, 0, 0

    def before(self, pos: int) -> int:
        if pos >= self.pos:
            self.count += self.text.count('"', self.pos, pos)
        else:
            self.count -= self.text.count('"', pos, self.pos)
        self.pos = pos
        return self.count


def _free_end(r: Rules, text: str, start: int, end: int, quotes: _QuoteCount) -> int | None:
    """Where a run of CJK terminators (``text[start:end]``) ends a sentence, or None where it does
    not: before a comma ("？！，”"), or before a quotation's continuation ("。」と言った")."""
    while end - start > 1 and text[end - 1] in r.ambiguous_quotes and end < len(text) and not text[end].isspace():
        if text[end - 1] == '"' and quotes.before(end - 1) % 2:
            break  # an odd number of straight quotes before it: this one closes
        end -= 1  # 。"次の文: the quote opens the next sentence
    nxt = text[end:end + 1]
    if nxt and nxt in _CLAUSE_MARKS:
        return None
    if r.continues is not None and end - start > 1 and text[end - 1] not in r.terminators and r.continues.match(text, end):
        return None
    return end


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


def _candidates(r: Rules, text: str) -> Iterator[re.Match]:
    """``r.candidate.finditer(text)``, the pattern tried only where a terminator stands (the regex
    engine, given the pattern alone, tries it at every character)."""
    pos = 0
    while (t := r.terminator.search(text, pos)) is not None:
        m = r.candidate.match(text, t.start())
        if m is None:
            pos = t.start() + 1
        else:
            yield m
            pos = m.end()


def split_sentences(text: str, lang: Language | str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``, without surrounding whitespace."""
    r = rules_for(lang)
    first = len(text) - len(text.lstrip())
    cuts = [m.start() for m in _BLANK_LINE.finditer(text)] + _enumeration_starts(text, first)
    if r.unpunctuated is not None:
        cuts += [m.start() for m in r.unpunctuated.finditer(text) if _glued(text, m.start(), m.end())]
    pending = sorted(cuts, reverse=True)  # forced cuts not yet passed, nearest last
    ends: list[int] = []
    last = 0  # where the current sentence began
    quotes = _QuoteCount(text)
    for m in _candidates(r, text):
        while pending and pending[-1] <= m.start():
            last = max(last, pending.pop())
        if m.group("free"):  # a CJK full stop: an end wherever it stands
            end = _free_end(r, text, m.start(), m.end(), quotes)
            if end is not None:
                ends.append(end)
                last = end
            continue
        nxt = _FOLLOWING.match(text, m.end())
        lead, word, dot = nxt.group("lead", "word", "dot") if nxt else ("", "", "")
        prev = _prev_word(r, text, m.start())
        at_start = _NOTHING.fullmatch(text, last, m.start() - len(prev)) is not None
        if _decide(r, prev, m.group("term"), lead, word, dot, at_start):
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
    its own is split by the generic rules and flagged ``generic_rules`` (``doc.meta["flags"]``)."""
    lang = resolve(doc.lang)
    if lang.generic:
        doc.meta["flags"] = sorted({*doc.meta.get("flags", []), GENERIC_FLAG})
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
