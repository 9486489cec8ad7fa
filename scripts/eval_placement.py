#!/usr/bin/env python
"""Inline elements placed in translations (``placement``): with and without the pair's lexicon.

    python scripts/eval_placement.py                    # both parts
    python scripts/eval_placement.py --part tuning --show

Data: the English pages of the gold-text fixtures (``tests/fixtures/web_gold/*/gold.jsonl``, each
split by site into a tuning and a reporting part), read as ``newsmt translate`` reads a page
(article mode), translated en->pt by the bundled Bergamot model. Every link, emphasis, strong or
code span that lies within one translated sentence is placed in the translation the way the
"html" format and the service place it, once without the lexicon and once with it.

The reference for a span: the model's translation of the span's text alone. A placement's score is
the F1 of its folded words against the reference's words (the words the model writes for the span
out of context; an estimate, not a gold alignment). Spans whose text the translation holds
verbatim are placed alike in both runs and counted apart; the table scores the others.
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


def f1(got: set[str], ref: set[str]) -> float:
    both = len(got & ref)
    return 0.0 if not both else 2 * both / (len(got) + len(ref))


def run(part: str, show: bool) -> None:
    from newsmt.segment import segment_document
    from newsmt.sources import read_text
    from newsmt.translate.engine import load_engine
    from newsmt.placement import Link, pair_lexicon, translated

    engine = load_engine("en", "pt")
    lexicon = pair_lexicon("en", "pt")
    cases = []  # (page, sentence, translation, the sentence's spans, index of the span, its text)
    for name, html in pages(part):
        doc = segment_document(read_text(html, "html", "en", doc_id=name)[0])
        sents = list(doc.sentences())
        for s, t in zip(sents, engine.translate_texts([s.text for s in sents])):
            mine = [x for x in doc.spans if s.start <= x.start < x.end <= s.end
                    and x.kind in ("link", "emphasis", "strong", "code")]
            links = [Link(x.start, x.end, str(i)) for i, x in enumerate(mine)]
            for i, x in enumerate(mine):
                text = " ".join(doc.text[x.start:x.end].split())
                if text:
                    cases.append((name, s, t.text, links, i, text))
    refs = engine.translate_texts([case[-1] for case in cases])
    engine.close()
    scores: dict[str, list[float]] = {"without": [], "with": []}
    verbatim = 0
    for (name, s, tgt, links, i, src), ref in zip(cases, refs):
        placed = {}
        for variant, lex in (("without", None), ("with", lexicon)):
            wraps, _ = translated(s.text, s.start, tgt, links, inline=True, lexicon=lex)
            placed[variant] = next((w for w in wraps if w.href == str(i)), None)
        if all(w is not None and w.cls == "" for w in placed.values()):
            verbatim += 1
            continue
        for variant, w in placed.items():
            scores[variant].append(f1(words(tgt[w.start:w.end]) if w else set(), words(ref.text)))
        if show and placed["with"] != placed["without"]:
            a, b = (tgt[w.start:w.end] if w else "-" for w in (placed["without"], placed["with"]))
            print(f"{name}: {src!r} ref {ref.text!r}: without {a!r} -> with {b!r}", file=sys.stderr)
    n = len(scores["with"])
    print(f"part {part}: {len(cases)} spans in translated sentences, {verbatim} found verbatim, {n} placed otherwise")
    print("| lexicon | mean F1 vs the span translated alone | placements with a reference word |")
    print("|---|---:|---:|")
    for variant, values in scores.items():
        hits = sum(v > 0 for v in values)
        print(f"| {variant} | {sum(values) / max(n, 1):.3f} | {hits}/{n} ({100 * hits / max(n, 1):.1f}%) |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--part", choices=("tuning", "reporting", "all"), default="")
    ap.add_argument("--show", action="store_true", help="print each span placed differently (stderr)")
    args = ap.parse_args()
    for part in [args.part] if args.part else ["tuning", "reporting"]:
        run(part, args.show)


if __name__ == "__main__":
    main()
