"""The tool commands: ``models`` (list, info, pull, convert) and ``eval`` (seg, mt, sum)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import eval_app, command, models_app


@command(eval_app, "seg")
def eval_seg_cmd(
    gold: Path = typer.Option(..., "--gold", help="Gold segments: JSONL (segment or {doc_id, sentences} records) or one sentence per line, blank line between documents."),
    pred: Path = typer.Option(..., "--pred", help="Predicted segments, same formats (e.g. the output of newsmt segment)."),
) -> None:
    """Sentence-boundary precision, recall and F1 (whitespace-insensitive; document ends not counted)."""
    from ..evaluate import evaluate_segmentation

    s = evaluate_segmentation(gold, pred)
    typer.echo(f"precision {s.precision:.4f}  recall {s.recall:.4f}  f1 {s.f1:.4f}  (tp {s.tp}, fp {s.fp}, fn {s.fn})")


@command(eval_app, "mt")
def eval_mt_cmd(
    hyp: Path = typer.Option(..., "--hyp", help="Translations: one per line, or newsmt translate JSONL (tgt field)."),
    ref: Path = typer.Option(..., "--ref", help="References, line-aligned with --hyp."),
    docs: Optional[Path] = typer.Option(None, "--docs", help="Document id per line (e.g. NTREX DOCUMENT_IDS.tsv): adds document-level chrF."),
    lang: str = typer.Option("", "--lang", "-l", help="Target language (zh/ja/ko pick the BLEU tokenizer)."),
) -> None:
    """Corpus BLEU and chrF (sacrebleu) with their signatures; document-level chrF with --docs."""
    from ..evaluate import evaluate_mt

    r = evaluate_mt(hyp, ref, docs, lang)
    typer.echo(f"BLEU {r['bleu']:.2f}  chrF {r['chrf']:.2f}  ({r['n']} segments)")
    typer.echo(f"  BLEU {r['bleu_signature']}\n  chrF {r['chrf_signature']}")
    if "document" in r:
        typer.echo(f"document-level chrF {r['document']['chrf']:.2f}  ({r['document']['docs']} documents)")


@command(eval_app, "sum")
def eval_sum_cmd(
    hyp: Path = typer.Option(..., "--hyp", help="Summaries: one per line, or JSONL with a summary field (text, or newsmt summary-jsonl sentences)."),
    ref: Path = typer.Option(..., "--ref", help="References, same formats, line-aligned with --hyp."),
    lang: str = typer.Option("en", "--lang", "-l", help="Language (sentence splitting for ROUGE-Lsum; zh/ja/th score characters)."),
) -> None:
    """ROUGE-1/2/L/Lsum F1 x100 (lowercased Unicode word tokens, any script, no stemming)."""
    from ..evaluate import rouge_files

    s = rouge_files(hyp, ref, lang)
    typer.echo("  ".join(f"{k} {s[k]:.2f}" for k in ("rouge1", "rouge2", "rougeL", "rougeLsum")) + f"  ({int(s['n'])} pairs)")


@command(models_app, "convert")
def models_convert_cmd(
    model_dir: Path = typer.Argument(..., help="Hugging Face translation model folder (config.json, weights, tokenizer)"),
    out_dir: Path = typer.Argument(..., help="folder for the CTranslate2 model (created; tokenizer copied in)"),
    quantization: str = typer.Option("int8", "--quantization", "-q", help="int8 | int8_float32 | float32 (and other CTranslate2 types)"),
    force: bool = typer.Option(False, "--force", help="replace OUT_DIR if it exists"),
) -> None:
    """Convert a Hugging Face translation model to CTranslate2 (the fast CPU backend)."""
    from ..translate.ctranslate2_backend import convert_to_ctranslate2

    typer.echo(f"converted {model_dir} -> {convert_to_ctranslate2(model_dir, out_dir, quantization, force)} ({quantization})")


@command(models_app, "list")
def models_list_cmd() -> None:
    """Every known model: pairs, backend, size, whether and where it is installed, how to get it."""
    from ..models import format_table, list_models, models_home

    typer.echo(format_table(list_models()))
    typer.echo(f"\nmodels home: {models_home()}  (set NEWSMT_HOME to move it)")


@command(models_app, "info")
def models_info_cmd(name: str = typer.Argument(..., help="model name, e.g. bergamot-en-ru")) -> None:
    """Details of one model: source, revision, files with sha256, install location."""
    from ..models import info

    typer.echo(info(name).describe())


@command(models_app, "pull")
def models_pull_cmd(
    name: str = typer.Argument(..., help="model name (see `newsmt models list`) or a Hugging Face repo id"),
    force: bool = typer.Option(False, "--force", help="download again even if installed"),
    base_url: Optional[str] = typer.Option(None, "--base-url", help="Firefox Translations files URL (default: the registry's; env NEWSMT_FTM_BASE_URL)"),
) -> None:
    """Download and verify a model into the models home (resumes an interrupted pull)."""
    from ..models import pull

    typer.echo(f"{name}: {pull(name, base_url=base_url, force=force)}")
