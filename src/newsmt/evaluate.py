"""Evaluation metrics: segmentation boundary P/R/F1, MT BLEU/chrF (sacrebleu), ROUGE for any script."""
from __future__ import annotations

# ---- segmentation (issue 2) ------------------------------------------------------------------
# ---- machine translation (issue 3) -----------------------------------------------------------
# ---- summaries (issue 4) ---------------------------------------------------------------------
