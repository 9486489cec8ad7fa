"""Shared fixtures: the read-only ../shared folder (skipped cleanly when absent); test modules of an
extra that is not installed (``pip install -e .`` without ``[dev]``) are not collected."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from tinymodels import tiny_models  # noqa: F401  (session fixture: tiny models of the real architectures)

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
NEEDS = {"test_serve.py": "fastapi", "test_serve_browser.py": "selenium", "test_hf_backends.py": "transformers",
         "test_models.py": "tokenizers"}
collect_ignore = [name for name, module in NEEDS.items() if importlib.util.find_spec(module) is None]


def shared_path(*parts: str) -> Path:
    """Path under ../shared, or skip the test with a clear reason when it is absent."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} not present (the ../shared folder beside the repository holds it)")
    return p


@pytest.fixture
def sample_article() -> Path:
    return shared_path("samples", "news-article-en.txt")
