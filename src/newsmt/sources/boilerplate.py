"""The filters that take what is no part of the article out of the voted blocks.

Two kinds of rules:

* structural ones, the same in every language: link-dense short paragraphs among others like them,
  widget leftovers and labels at the article's edges, runs of one-word lines (menus, form labels),
  date-only lines, an exact copy of the paragraph just before, a related-stories section cut
  from its heading to the end of its teasers; lengths are counted in words, and in characters
  where a script writes no spaces (``blocks.word_count``);
* phrases, from the language pack of the page (``packs/<code>/boilerplate.toml``) and the generic
  one (brand names, the copyright sign): teasers ("Read more: ..."), service lines (subscribe,
  follow, cookies, paywall), copyright lines, photo credits, bylines and datelines. A language whose
  pack has no such section gets the generic phrases only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .blocks import Block, norm

__all__ = ["Phrases", "boilerplate_reason", "filter_blocks", "phrases_for"]

_CATEGORIES = ("teaser", "section", "service", "service_weak", "copyright", "credit", "credit_names", "byline",
               "dateline", "months", "widget")


def _alternation(entries: list[str]) -> str:
    return "(?:" + "|".join(entries) + ")" if entries else "(?!)"  # (?!): a category no pack fills


@dataclass(frozen=True)
class Phrases:
    """The compiled boilerplate phrases of one language (with the generic ones); ``own``: whether
    the language's pack has phrases of its own."""

    teaser: re.Pattern
    teaser_start: re.Pattern
    teaser_tail: re.Pattern
    section: re.Pattern
    service: re.Pattern
    service_weak: re.Pattern
    copyright: re.Pattern
    credit: re.Pattern
    caption_tail: re.Pattern
    byline: re.Pattern
    dateline: re.Pattern
    date_line: re.Pattern
    has_date: re.Pattern
    widget: re.Pattern
    own: bool


@lru_cache(maxsize=64)
def phrases_for(pack: str) -> Phrases:
    """The phrases of a language pack (``Language.pack``: a code, or "generic") with the generic ones."""
    from ..languages.packs import GENERIC, read_section

    lists: dict[str, list[str]] = {k: [] for k in _CATEGORIES}
    own = read_section(pack, "boilerplate") if pack != GENERIC else None
    for section in (read_section(GENERIC, "boilerplate"), own):
        for key, values in (section or {}).items():
            lists.setdefault(key, []).extend(values)
    p = {k: _alternation(v) for k, v in lists.items()}
    month = p["months"] + r"\.?"
    date = (rf"\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}\.?\s+(?:\w{{1,3}}\s+)?{month},?"
            rf"\s+(?:\w{{1,3}}\s+)?\d{{4}}|{month}\s+\d{{1,2}},?\s+\d{{4}}")
    return Phrases(
        teaser=re.compile(rf"^\W{{0,3}}{p['teaser']}\s*(?:[:»>|\-–—]|\.\.\.|…)"),
        teaser_start=re.compile(rf"^\W{{0,3}}{p['teaser']}\b"),
        teaser_tail=re.compile(rf"\w[,;:]?\s?(?:…|\.\.\.)\s*(?:{p['teaser']})(?:\W+(?:{p['teaser']}))*\W*$"),
        section=re.compile(rf"^\W{{0,3}}{p['section']}\W{{0,3}}$"),
        service=re.compile(rf"\b{p['service']}"),
        service_weak=re.compile(rf"\b{p['service_weak']}\b"),
        copyright=re.compile(p["copyright"]),
        credit=re.compile(rf"^\W{{0,2}}{p['credit']}\b(?:\s*\([^()]{{0,20}}\))?(?:\s*[:/©|\-–]|\s+\w{{2,3}}\s)"),
        caption_tail=re.compile(rf"[(\[](?:[^()\[\]]{{0,80}}\b{p['credit_names']}\b[^()\[\]]{{0,80}})[)\]]\.?$"),
        byline=re.compile(rf"^{p['byline']}\s*:?\s+[\w.'’\-]+(?:\s*,?\s+[\w.'’\-]+){{0,15}}$"),
        dateline=re.compile(rf"^\W{{0,2}}(?:{p['dateline']}|{p['byline']})\b"),
        date_line=re.compile(rf"^\W*(?:[^\W\d_]+\.?,?\s+){{0,2}}(?:{date})"
                             rf"(?:\W{{1,4}}(?:\w{{1,5}}\s+)?\d{{1,2}}[:h.]\d{{2}}"
                             r"(?:\s*[ap]\.?m\.?|\s*h(?:rs)?)?(?:\s+\w{2,5})?)?\W*$"),
        has_date=re.compile(rf"\b(?:{date})|\b\d{{1,2}}\.?\s+(?:\w{{1,3}}\s+)?{month}\b"),
        widget=re.compile(rf"^(?:{p['widget']})\W*$"),
        own=own is not None,
    )


TEASER_WORDS = 40  # at most: a teaser's standfirst, the first lines of another story
_CAPTION_CLASS = re.compile(r"caption|credit|legend|leyenda|legende|pie-?de-?foto|photo[-_]*desc|image[-_]*desc")
_BOILER_CLASS = re.compile(
    r"\b(?:share|social|newsletter|subscribe|related|promo|advert|sponsor|byline|breadcrumb|cookie|paywall)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_URLISH = re.compile(r"^\S+@\S+\.\w+$|^(?:https?://|www\.)\S+$")
_TERMINAL = (".", "?", "!", '"', "”", "»", "。", "！", "？")


def _link_dense(b: Block) -> bool:
    """A short paragraph or a list of lines that is (nearly) all link: a teaser headline, a menu
    entry, a tag, a list of other stories."""
    if b.kind in ("code", "table_cell") or _URLISH.match(b.text):
        return False
    return (b.words <= 25 or "\n" in b.text) and b.link_chars >= 0.75 * len(b.text.replace(" ", ""))


def boilerplate_reason(b: Block, ph: Phrases) -> str:
    """Why a paragraph is no part of the article ("" when it is): service lines, teasers, credits."""
    text = b.text
    n = b.words
    low = text.lower()  # the patterns are lower-case: case-blind matching is 4 times slower
    if n > 45:  # running text: only a teaser made of links goes
        return "teaser" if ph.teaser.match(low) and b.link_chars >= 0.5 * len(text) else ""
    if n <= 3 and ph.widget.match(low):
        return "social"
    if ph.teaser.match(low) and (n <= 40 or b.link_chars >= 0.5 * len(text)):
        return "teaser"
    if n <= 8 and ph.teaser_start.match(low):
        return "teaser"
    if n <= TEASER_WORDS + 10 and ph.teaser_tail.search(low):  # "The first lines of another story… Read more"
        return "teaser"
    if n <= 12 and b.kind in ("heading", "text") and ph.section.match(low):
        return "section"
    if ph.copyright.search(low):
        return "copyright"
    if ph.service.search(low):
        return "service"
    if n <= 15 and ph.service_weak.search(low) and not text.endswith(_TERMINAL):
        return "service"
    if n <= 20 and ph.credit.match(low):
        return "credit"
    if b.kind != "code" and n <= 16 and ph.byline.match(low) and not text.endswith((".", "!", "?")):
        return "byline"
    if b.kind != "code" and n <= 30 and ph.dateline.match(low) and ph.has_date.search(low):
        return "byline"
    if b.kind != "code" and n <= 12 and ph.date_line.match(low):
        return "date"
    if n <= 15 and "@" in low and _EMAIL.search(low) and ph.has_date.search(low):
        return "byline"
    if b.cls and n <= 40 and _BOILER_CLASS.search(b.cls.lower()):
        return "class"
    if n <= 3 and _link_dense(b):
        return "links"
    return ""


def _is_caption(b: Block, ph: Phrases) -> bool:
    if b.cls and _CAPTION_CLASS.search(b.cls.lower()):
        return True
    return b.words <= 60 and ph.caption_tail.search(b.text.lower()) is not None


def _teasers_end(b: Block, dense: bool) -> bool:
    """Whether a block ends a related-stories section: a heading of its own, or a paragraph that is
    neither links nor a short teaser line."""
    if b.kind == "heading":
        return not dense
    return not dense and b.words >= 8 and b.link_chars < 0.5 * len(b.text)


def filter_blocks(blocks: list[Block], ph: Phrases) -> list[Block]:
    """Drop boilerplate paragraphs, cut related-story sections, mark captions, drop a paragraph (of
    four words or more) that repeats the one just before it.

    A link-dense short paragraph goes when it stands among others like it or among boilerplate
    (a teaser list, a menu) or ends the text; alone inside the article it stays. A section heading
    ("Related stories") goes with the teasers after it, up to the first block that is none; so does a
    run of linked headlines that ends the text."""
    blocks = _drop_trailing_teasers(blocks)
    reasons = [boilerplate_reason(b, ph) for b in blocks]
    dense = [_link_dense(b) for b in blocks]
    last = len(blocks) - 1
    for i in range(len(blocks)):
        if dense[i] and not reasons[i]:
            near = any(0 <= j <= last and (dense[j] or reasons[j]) for j in (i - 1, i + 1))
            if near or i == last:
                reasons[i] = "links"
    out: list[Block] = []
    cutting = False
    previous = ""
    for i, b in enumerate(blocks):
        if reasons[i] == "section":
            cutting = True
            continue
        if cutting:
            if not _teasers_end(b, dense[i]):
                continue
            cutting = False
        if reasons[i]:
            continue
        if _is_caption(b, ph):
            b.kind = "caption"
        key = norm(b.text)
        if key == previous and b.words >= 4:  # a paragraph twice in a row: a layout's copy
            continue
        previous = key
        out.append(b)
    return _trim_edges(out)



def _teaser_headline(b: Block) -> bool:
    """A heading that is mostly a link: another story's headline (an article's own headings link nowhere)."""
    return b.kind == "heading" and b.link_chars >= 0.5 * len(b.text.replace(" ", ""))


def _drop_trailing_teasers(blocks: list[Block]) -> list[Block]:
    """Cut the run of teasers that ends the text: two or more linked headlines, each with at most a
    short standfirst, and the plain headings among them ("More stories")."""
    i, headlines = len(blocks), 0
    while i > 0:
        b = blocks[i - 1]
        if _teaser_headline(b):
            headlines += 1
        elif b.kind == "heading" and b.words <= 6:
            pass
        elif not (b.kind in ("text", "caption") and b.words <= TEASER_WORDS and i - 2 >= 0
                  and _teaser_headline(blocks[i - 2])):
            break
        i -= 1
    return blocks[:i] if headlines >= 2 else blocks


def _fragment(b: Block, words: int = 4) -> bool:
    """A few words without sentence punctuation: a label, a kicker, a byline, a widget's leftovers."""
    text = b.text
    return (b.kind in ("text", "heading", "caption", "quote") and b.words <= words and ":" not in text
            and not any(c.isdigit() for c in text)
            and not text.rstrip("\"'”’»)").endswith((".", "!", "?", "…", "。")))


def _trim_edges(blocks: list[Block]) -> list[Block]:
    """Labels before the article's first paragraph; headings, lead-ins ("Read more:") and fragments
    after its last one; runs of three or more one-to-three-word lines anywhere (form fields, widget
    labels, menus)."""
    tiny = [b.kind == "text" and b.words <= 3 and not b.text.endswith(_TERMINAL)
            and not _URLISH.match(b.text) for b in blocks]
    drop: set[int] = set()
    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and tiny[j]:
            j += 1
        if j - i >= 3:
            drop.update(range(i, j))
        i = max(j, i + 1)
    if drop:
        blocks = [b for i, b in enumerate(blocks) if i not in drop]
    first = next((i for i, b in enumerate(blocks) if b.words >= 12 and b.kind != "heading"), None)
    if first is None:  # no paragraph of running text: keep what there is, unless only headings
        return [] if all(b.kind in ("heading", "caption") for b in blocks) else blocks
    blocks = [b for i, b in enumerate(blocks) if i >= first or not _fragment(b)]
    while blocks and (blocks[-1].kind == "heading" or _fragment(blocks[-1])
                      or (blocks[-1].words <= 8 and blocks[-1].text.endswith(":"))):
        blocks.pop()
    return blocks
