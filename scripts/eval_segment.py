"""Compare sentence segmenters on the shared evaluation sets: newsmt's rules vs pysbd, razdel (ru)
and NLTK Punkt (trained unsupervised on each set's own text, when nltk is installed).

    python scripts/eval_segment.py [--shared ../shared/eval]

Golden rules: share of cases split exactly as the gold. Corpora: boundary F1 (P/R), whitespace-
insensitive, over units (paragraphs where the data has them, else documents): a unit's own end is
not counted, so every tool is given the same paragraph breaks. Prints a Markdown table.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Callable

from newsmt.evaluate import boundary_prf, read_conllu
from newsmt.segment import split_sentences

Splitter = Callable[[str], list[str]]
REPO = Path(__file__).resolve().parents[1]


def ours(lang: str) -> Splitter:
    return lambda text: [text[a:b] for a, b in split_sentences(text, lang)]


def pysbd_splitter(lang: str) -> Splitter:
    import pysbd

    seg = pysbd.Segmenter(language=lang, clean=False)
    return lambda text: [s.strip() for s in seg.segment(text) if s.strip()]


def razdel_splitter(lang: str) -> Splitter:
    import razdel

    return lambda text: [s.text for s in razdel.sentenize(text)]


def punkt_splitter(train_text: str) -> Splitter:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    return PunktSentenceTokenizer(train_text).tokenize


def conllu_units(path: Path, chunk: int = 0) -> list[list[str]]:
    """Paragraphs (or, with ``chunk``, runs of ``chunk`` consecutive sentences) as sentence lists."""
    units = [p for _, paras in read_conllu(path) for p in paras if p]
    if chunk:
        flat = [s for p in units for s in p]
        units = [flat[i:i + chunk] for i in range(0, len(flat), chunk)]
    return units


def conllu_docs(path: Path) -> list[list[str]]:
    return [[s for p in paras for s in p] for _, paras in read_conllu(path)]


def wmt_units(path: Path, headline_paragraph: bool) -> list[list[str]]:
    """WMT documents; with ``headline_paragraph`` the headline is its own unit, as in a real file."""
    docs = [json.loads(line)["sentences"] for line in path.read_text(encoding="utf-8").splitlines()]
    if headline_paragraph:
        return [u for d in docs for u in ([d[0]], d[1:]) if u]
    return docs


def ntrex_units(root: Path, code: str) -> list[list[str]]:
    """NTREX-128 translations of the WMT19 documents; gold = the translators' line per English
    segment (approximate: some lines hold two sentences or half of one). Headline as own unit."""
    ids = (root / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    lines = (root / f"newstest2019-ref.{code}.txt").read_text(encoding="utf-8").splitlines()
    docs: dict[str, list[str]] = {}
    for doc_id, line in zip(ids, lines):
        docs.setdefault(doc_id, []).append(line.strip())
    return [u for d in docs.values() for u in ([d[0]], d[1:]) if u]


NTREX = {"pt": "por", "pt-BR": "por-BR", "ru": "rus", "uk": "ukr", "de": "deu", "fr": "fra", "es": "spa"}


def datasets(root: Path) -> dict[str, tuple[str, list[list[str]]]]:
    gum = root / "ud_english_gum"
    pud = root / "ud_pud_en_ru"
    gsd = root / "ud_russian_gsd"
    wmt = root / "seg_news_wmt_docs" / "newstest2019_en_docs.jsonl"
    return {
        "wmt19_en_docs (headline glued)": ("en", wmt_units(wmt, False)),
        "wmt19_en_docs (headline paragraph)": ("en", wmt_units(wmt, True)),
        "ud_pud_en (docs)": ("en", conllu_docs(pud / "en_pud-ud-test.conllu")),
        "ud_pud_ru (docs)": ("ru", conllu_docs(pud / "ru_pud-ud-test.conllu")),
        "ud_english_gum dev+test (paragraphs)": (
            "en", conllu_units(gum / "en_gum-ud-dev.conllu") + conllu_units(gum / "en_gum-ud-test.conllu")),
        "ud_russian_gsd dev+test (10-sentence chunks)": (
            "ru", conllu_units(gsd / "ru_gsd-ud-dev.conllu", 10) + conllu_units(gsd / "ru_gsd-ud-test.conllu", 10)),
        **{f"ntrex128 {code} (approx. gold, headline paragraph)":
           (lang.split("-")[0], ntrex_units(root / "ntrex128", code)) for lang, code in NTREX.items()},
    }


def splitters(lang: str, train_text: str) -> dict[str, Splitter | None]:
    tools: dict[str, Splitter | None] = {"newsmt": ours(lang)}
    try:
        tools["pysbd"] = pysbd_splitter(lang)
    except ValueError:  # a language pysbd does not know
        tools["pysbd"] = None
    tools["razdel"] = razdel_splitter(lang) if lang == "ru" else None
    try:
        tools["punkt*"] = punkt_splitter(train_text)
    except ImportError:
        tools["punkt*"] = None
    return tools


def score_corpus(units: list[list[str]], split: Splitter) -> tuple[str, float]:
    texts = [" ".join(u) for u in units]
    t0 = time.perf_counter()
    pred = [split(t) for t in texts]
    rate = sum(map(len, texts)) / (time.perf_counter() - t0)
    s = boundary_prf(units, pred)
    return f"{s.f1:.4f} ({s.precision:.3f}/{s.recall:.3f})", rate


def score_golden(cases: list[dict], split: Splitter) -> str:
    """Cases split exactly as the gold (whitespace runs compared as one space)."""
    norm = lambda sents: [" ".join(s.split()) for s in sents]  # noqa: E731
    ok = sum(norm(split(c["text"])) == norm(c["sentences"]) for c in cases)
    return f"{ok}/{len(cases)}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "eval")
    args = ap.parse_args()
    names = ["newsmt", "pysbd", "razdel", "punkt*"]
    print("| set | lang | units | " + " | ".join(names) + " |")
    print("|---|---|---|" + "---|" * len(names))
    for lang in ("en", "ru", "de"):
        path = args.shared / "seg_golden_rules_pysbd" / f"{lang}.jsonl"
        cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        tools = splitters(lang, "")
        cells = [score_golden(cases, f) if (f := tools[n]) and n != "punkt*" else "-" for n in names]
        print(f"| golden rules (cases split exactly) | {lang} | {len(cases)} | " + " | ".join(cells) + " |")
    speeds: dict[str, list[float]] = {}
    for name, (lang, units) in datasets(args.shared).items():
        tools = splitters(lang, "\n\n".join(" ".join(u) for u in units))
        cells = []
        for n in names:
            if tools[n] is None:
                cells.append("-")
                continue
            cell, rate = score_corpus(units, tools[n])
            cells.append(cell)
            speeds.setdefault(n, []).append(rate)
        print(f"| {name} | {lang} | {len(units)} | " + " | ".join(cells) + " |")
    print("| speed, chars/s (median over sets) | | | " + " | ".join(
        f"{sorted(speeds[n])[len(speeds[n]) // 2]:,.0f}" if n in speeds else "-" for n in names) + " |")
    print("\nCells: boundary F1 (precision/recall). punkt*: NLTK Punkt trained unsupervised on the set itself.")


if __name__ == "__main__":
    main()
