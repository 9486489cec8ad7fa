#!/usr/bin/env python
"""Inline elements placed in translations (``placement``): with and without the pair's lexicon.

    python scripts/eval_placement.py                    # both parts
    python scripts/eval_placement.py --part tuning --show
    python scripts/eval_placement.py --markdown         # Markdown emphasis through the engine

Data: the English pages of the gold-text fixtures (``tests/fixtures/web_gold/*/gold.jsonl``, each
split by site into a tuning and a reporting part), read as ``newsmt translate`` reads a page
(article mode), translated en->pt by the bundled Bergamot model. Every link, emphasis, strong or
code span that lies within one translated sentence is placed in the translation the way the
"html" format and the service place it, once without the lexicon and once with it.

The reference for a span: the model's translation of the span's text alone. A placement's score is
the F1 of its folded words against the reference's words (the words the model writes for the span
out of context; an estimate, not a gold alignment). Spans whose text the translation holds
verbatim are placed alike in both runs and counted apart; the table scores the others.

``--markdown``: each emphasis or strong span written as Markdown (``*text*``, ``**text**``) in its
sentence and the sentence translated by the engine, which takes emphasis round the model. Counted:
the translations with the one pair of delimiters, those whose emphasized text is the source's
copied (where the sentence translated without emphasis does not copy it), and those equal to the
sentence translated without emphasis once the delimiters are taken out.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "tests" / "fixtures" / "web_gold"
_WORD = re.compile(r"[^\W_]+")


def pages(part: str) -> list[tuple[str, str]]:
    """(name, html) of the English pages of ``part`` ("all": both)."""
    out = []
    for gold in sorted(GOLD.glob("*/gold.jsonl")):
        for line in gold.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["lang"] == "en" and part in ("all", row.get("part", "reporting")):
                html = gzip.decompress((gold.parent / row["file"]).read_bytes()).decode("utf-8", "replace")
                out.append((f"{gold.parent.name}/{row['id']}", html))
    return out


def words(text: str) -> set[str]:
    from newsmt.translate.letters import fold

    return {fold(w) for w in _WORD.findall(text)}


def sentence_spans(part: str, kinds: tuple[str, ...]):
    """(page, sentence, its spans of ``kinds``) for every sentence of the pages of ``part``, read as
    ``newsmt translate`` reads a page."""
    from newsmt.segment import segment_document
    from newsmt.sources import read_text

    for name, html in pages(part):
        doc = segment_document(read_text(html, "html", "en", doc_id=name)[0])
        for s in doc.sentences():
            yield name, s, [x for x in doc.spans if s.start <= x.start < x.end <= s.end and x.kind in kinds]


def f1(got: set[str], ref: set[str]) -> float:
    both = len(got & ref)
    return 0.0 if not both else 2 * both / (len(got) + len(ref))


def run(part: str, show: bool) -> None:
    from newsmt.translate.engine import load_engine
    from newsmt.placement import Link, pair_lexicon, translated

    engine = load_engine("en", "pt")
    lexicon = pair_lexicon("en", "pt")
    found = [row for row in sentence_spans(part, ("link", "emphasis", "strong", "code")) if row[2]]
    cases = []  # (page, sentence, translation, the sentence's spans, index of the span, its text)
    for (name, s, mine), t in zip(found, engine.translate_texts([s.text for _, s, _ in found])):
        links = [Link(x.start, x.end, str(i)) for i, x in enumerate(mine)]
        for i, x in enumerate(mine):
            text = " ".join(s.text[x.start - s.start:x.end - s.start].split())
            if text:
                cases.append((name, s, t.text, links, i, text))
    refs = engine.translate_texts([case[-1] for case in cases])
    engine.close()
    alone = {(id(s), i): ref.text for (_, s, _, _, i, _), ref in zip(cases, refs)}
    scores: dict[str, list[float]] = {"without": [], "with": [], "with, told the span alone": []}
    verbatim = 0
    for (name, s, tgt, links, i, src), ref in zip(cases, refs):
        placed = {}
        for variant, lex in zip(scores, (None, lexicon, lexicon)):
            told = [alone.get((id(s), k), "") for k in range(len(links))] if variant.endswith("alone") else None
            wraps, _ = translated(s.text, s.start, tgt, links, inline=True, lexicon=lex, alone=told)
            placed[variant] = next((w for w in wraps if w.href == str(i)), None)
        if all(w is not None and w.cls == "" for w in placed.values()):
            verbatim += 1
            continue
        for variant, w in placed.items():
            scores[variant].append(f1(words(tgt[w.start:w.end]) if w else set(), words(ref.text)))
        if show:
            a, b, c = (tgt[w.start:w.end] if w else "-" for w in placed.values())
            print(f"{name}: {src!r} ref {ref.text!r}: without {a!r}, with {b!r}, told alone {c!r}", file=sys.stderr)
    n = len(scores["with"])
    print(f"part {part}: {len(cases)} spans in translated sentences, {verbatim} found verbatim, {n} placed otherwise")
    print("| lexicon | mean F1 vs the span translated alone | placements with a reference word |")
    print("|---|---:|---:|")
    for variant, values in scores.items():
        hits = sum(v > 0 for v in values)
        print(f"| {variant} | {sum(values) / max(n, 1):.3f} | {hits}/{n} ({100 * hits / max(n, 1):.1f}%) |")


def markdown(part: str, show: bool) -> None:
    """Markdown emphasis through the engine: each emphasis or strong span of the pages written
    ``*text*`` or ``**text**`` in its sentence (where Markdown reads that as emphasis), translated whole."""
    from markdown_it import MarkdownIt

    from newsmt.translate.engine import load_engine

    engine = load_engine("en", "pt")
    cases = []  # (sentence, the sentence as Markdown with the span emphasized, the span's text, delimiter)
    for _, s, mine in sentence_spans(part, ("emphasis", "strong")):
        for x in mine if not re.search("[*_`]", s.text) else []:
            a, b = x.start - s.start, x.end - s.start
            text = s.text[a:b].strip()
            if text:
                a += len(s.text[a:b]) - len(s.text[a:b].lstrip())
                run = "**" if x.kind == "strong" else "*"
                md = s.text[:a] + run + text + run + s.text[a + len(text):]
                if any(c.type.endswith("_open") for c in MarkdownIt().parseInline(md)[0].children):  # valid
                    cases.append((s.text, md, text, run))
    plain, marked = (engine.translate_texts([c[k] for c in cases]) for k in (0, 1))
    engine.close()
    kept = copied = same = 0
    for (src, md, text, run), p, m in zip(cases, plain, marked):
        found = re.findall(rf"(?<![*\w]){re.escape(run)}(?=\S)(.+?)(?<=\S){re.escape(run)}(?![*\w])", m.text)
        kept += len(found) == 1
        copied += bool(found) and found[0].casefold() == text.casefold() not in p.text.casefold()
        same += m.text.replace(run, "") == p.text
        if show:
            print(f"{md!r}\n  -> {m.text!r}\n  without emphasis: {p.text!r}", file=sys.stderr)
    n = max(len(cases), 1)
    print(f"part {part}: {len(cases)} emphasized spans, as Markdown in their sentences")
    print("| one pair of delimiters kept | emphasized text copied (translated without emphasis) | sentence translated as without emphasis |")
    print("|---:|---:|---:|")
    print(f"| {kept} ({100 * kept / n:.1f}%) | {copied} ({100 * copied / n:.1f}%) | {same} ({100 * same / n:.1f}%) |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--part", choices=("tuning", "reporting", "all"), default="")
    ap.add_argument("--show", action="store_true", help="print each span placed differently (stderr)")
    ap.add_argument("--markdown", action="store_true", help="Markdown emphasis through the engine instead")
    args = ap.parse_args()
    for part in [args.part] if args.part else ["tuning", "reporting"]:
        (markdown if args.markdown else run)(part, args.show)


if __name__ == "__main__":
    main()
