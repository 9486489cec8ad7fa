"""Compare sentence segmenters on the shared evaluation sets: newsmt's rules vs pysbd, razdel (ru),
NLTK Punkt (trained unsupervised on each set's own text, when nltk is installed), spaCy's rule-based
sentencizer (``spacy.blank(lang)`` + ``sentencizer``, no model) and ICU's sentence break iterator
(PyICU, from the icukit-pyicu wheel, when installed).

    python scripts/eval_segment.py [--shared ../shared/eval] [--sets news,multilingual,packs]

news: the English/Russian/NTREX sets. Golden rules: share of cases split exactly as the gold.
Corpora: boundary F1 (P/R), whitespace-insensitive, over units (paragraphs where the data has them,
else documents): a unit's own end is not counted, so every tool is given the same paragraph breaks.

multilingual: ../shared/eval/seg_multilingual_news_dev (22 languages, documents of 10 sentences)
with the set's own protocol (boundaries as positions in the text without whitespace, document end
excluded, micro P/R/F1 per language). Even-numbered documents (0, 2, 4, ...) are the TUNING part
(the pack rules were tuned looking at their errors), odd-numbered ones the REPORTING part (never
looked at). Prints F1 per language and part for every tool, and macro F1 over the languages.

packs: every pack's golden cases (tests/packs/<code>.toml), share split exactly, for each tool.
Prints Markdown tables.
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


def spacy_splitter(lang: str) -> tuple[Splitter, bool]:
    """spaCy's rule-based sentencizer on a blank pipeline; (splitter, whether spaCy has the language:
    otherwise its multi-language tokenizer "xx" is used)."""
    import spacy

    try:
        nlp, own = spacy.blank(lang), True
    except ImportError:  # no such language in spaCy (or one that needs an extra package, as ja)
        nlp, own = spacy.blank("xx"), False
    nlp.add_pipe("sentencizer")
    nlp.max_length = 10**8
    return (lambda text: [s.text for s in nlp(text).sents]), own


def icu_splitter(lang: str) -> Splitter:
    """ICU's sentence break iterator for the language's locale (ImportError without PyICU)."""
    import icu

    breaker = icu.BreakIterator.createSentenceInstance(icu.Locale(lang))

    def split(text: str) -> list[str]:
        units = icu.UnicodeString(text)  # ICU counts UTF-16 code units
        breaker.setText(units)
        cuts = [0, *breaker]
        return [str(units[a:b]) for a, b in zip(cuts, cuts[1:])]

    return split


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


MULTI_TOOLS = ("newsmt", "pysbd", "spacy", "icu")


def multilingual_tools(lang: str) -> dict[str, Splitter | None]:
    """newsmt, pysbd, spaCy and ICU for one language; None where a tool lacks it (spaCy falls
    back to its multi-language pipeline, marked with a star in the table)."""
    tools: dict[str, Splitter | None] = {"newsmt": ours(lang)}
    try:
        tools["pysbd"] = pysbd_splitter(lang)
    except ValueError:
        tools["pysbd"] = None
    tools["spacy"], own = spacy_splitter(lang)
    if not own:
        tools["spacy*"] = tools.pop("spacy")
    try:
        tools["icu"] = icu_splitter(lang)
    except ImportError:
        tools["icu"] = None
    return tools


def multilingual(root: Path) -> None:
    """F1 per language, tool and part (tuning: even documents, reporting: odd ones), and macro F1."""
    folder = root / "seg_multilingual_news_dev"
    langs = sorted(p.name.split(".")[0] for p in folder.glob("*.gold.jsonl"))
    print("\n| lang | docs | " + " | ".join(f"{t} tune | {t} report" for t in MULTI_TOOLS) + " |")
    print("|---|---|" + "---|---|" * len(MULTI_TOOLS))
    scores: dict[tuple[str, str], list[float]] = {}
    for lang in langs:
        texts = [json.loads(line)["text"] for line in (folder / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines()]
        gold = [json.loads(line)["sentences"]
                for line in (folder / f"{lang}.gold.jsonl").read_text(encoding="utf-8").splitlines()]
        tools = multilingual_tools(lang)
        cells = []
        for tool in MULTI_TOOLS:
            split = tools.get(tool) or tools.get(tool + "*")
            star = "*" if tool + "*" in tools else ""
            for part, first in (("tune", 0), ("report", 1)):
                if split is None:
                    cells.append("-")
                    continue
                idx = range(first, len(texts), 2)
                f1 = boundary_prf([gold[i] for i in idx], [split(texts[i]) for i in idx]).f1
                scores.setdefault((tool, part), []).append(f1)
                cells.append(f"{f1:.3f}{star}")
        print(f"| {lang} | {len(texts)} | " + " | ".join(cells) + " |")
    for label, agg in (("macro F1 (languages it has)", lambda v: sum(v) / len(v)), ("lowest", min)):
        cells = [f"{agg(scores[(t, part)]):.3f} ({len(scores[(t, part)])})" if (t, part) in scores else "-"
                 for t in MULTI_TOOLS for part in ("tune", "report")]
        print(f"| {label} | | " + " | ".join(cells) + " |")
    print("\nTuning part: even-numbered documents; reporting part: odd-numbered ones. "
          "*: spaCy has no such language, its multi-language pipeline (xx) is used.")


def packs_golden() -> None:
    """Share of each pack's golden cases (tests/packs/<code>.toml) split exactly, per tool."""
    import tomllib

    from newsmt.languages.packs import pack_codes

    print("\n| pack | cases | " + " | ".join(MULTI_TOOLS) + " |")
    print("|---|---|" + "---|" * len(MULTI_TOOLS))
    for code in pack_codes():
        cases = tomllib.loads((REPO / "tests" / "packs" / f"{code}.toml").read_text(encoding="utf-8"))["case"]
        tools = multilingual_tools(code)
        cells = []
        for tool in MULTI_TOOLS:
            split = tools.get(tool) or tools.get(tool + "*")
            cells.append(score_golden(cases, split) + ("*" if tool + "*" in tools else "") if split else "-")
        print(f"| {code} | {len(cases)} | " + " | ".join(cells) + " |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "eval")
    ap.add_argument("--sets", default="news,multilingual,packs", help="comma-separated: news, multilingual, packs")
    args = ap.parse_args()
    sets = set(args.sets.split(","))
    if "news" in sets:
        news(args.shared)
    if "multilingual" in sets:
        multilingual(args.shared)
    if "packs" in sets:
        packs_golden()


def news(root: Path) -> None:
    """The English, Russian and NTREX news sets (see the module docstring)."""
    names = ["newsmt", "pysbd", "razdel", "punkt*"]
    print("| set | lang | units | " + " | ".join(names) + " |")
    print("|---|---|---|" + "---|" * len(names))
    for lang in ("en", "ru", "de"):
        path = root / "seg_golden_rules_pysbd" / f"{lang}.jsonl"
        cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        tools = splitters(lang, "")
        cells = [score_golden(cases, f) if (f := tools[n]) and n != "punkt*" else "-" for n in names]
        print(f"| golden rules (cases split exactly) | {lang} | {len(cases)} | " + " | ".join(cells) + " |")
    speeds: dict[str, list[float]] = {}
    for name, (lang, units) in datasets(root).items():
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
