"""A bilingual word lexicon read from the lexical shortlists of the two Bergamot directions.

Each Bergamot model ships ``lex.*.s2t.bin``: for every source vocabulary piece, the target pieces
the model may write for it (word-alignment candidates, about 50). A pair kept in both directions'
lists (``Germany`` -> ``Alemanha`` and ``Alemanha`` -> ``Germany``) is a translation far more often
than a pair in one list only; ``Lexicon`` keeps those, for whole-word pieces. It answers two
questions the meaning checks ask: does a source word have a translation other than itself (a name
such as ``Veerman`` has none, so a translation must carry it over), and which target words may
translate it. Loading reads two files of a few megabytes (no model is run).
"""
from __future__ import annotations

import struct
from functools import lru_cache
from pathlib import Path

import numpy as np

from .letters import fold

_MAGIC = 0xF11A48D5013417F5


class _Shortlist:
    """One direction's shortlist: piece -> candidate target pieces, and every (piece, candidate)
    pair as one sorted key (``piece id * vocabulary size + candidate id``) to test many at once."""

    def __init__(self, model_dir: Path) -> None:
        import sentencepiece

        lex = next(model_dir.glob("lex.*.s2t.bin"))
        raw = lex.read_bytes()
        magic, _, _, _, words, entries = struct.unpack_from("<6Q", raw, 0)
        if magic != _MAGIC:
            raise ValueError(f"{lex} is not a binary shortlist")
        self.offsets = np.frombuffer(raw, dtype=np.uint64, count=words, offset=48).astype(np.int64)
        self.lists = np.frombuffer(raw, dtype=np.uint32, count=entries, offset=48 + 8 * words).astype(np.int64)
        spm = sentencepiece.SentencePieceProcessor(model_file=str(next(model_dir.glob("vocab.*.spm"))))
        self.pieces = [spm.id_to_piece(i) for i in range(spm.get_piece_size())]
        self.ids = {p: i for i, p in enumerate(self.pieces)}
        rows = np.repeat(np.arange(len(self.offsets) - 1), np.diff(self.offsets))  # the last row is never read
        self.keys = np.sort(rows * len(self.pieces) + self.lists[:len(rows)])

    def agreed(self, piece: str, back: _Shortlist, to_back: np.ndarray) -> list[str]:
        """The candidates of ``piece`` whose own candidates in ``back`` (the other direction, whose
        ids ``to_back`` maps these to, -1 for none) include ``piece``."""
        i, j = self.ids.get(piece), back.ids.get(piece)
        if i is None or j is None or i + 1 >= len(self.offsets):
            return []
        cands = self.lists[self.offsets[i]:self.offsets[i + 1]]
        rows = to_back[cands]
        keys = rows * len(back.pieces) + j
        at = np.minimum(np.searchsorted(back.keys, keys), len(back.keys) - 1)
        return [self.pieces[c] for c in cands[(rows >= 0) & (back.keys[at] == keys)].tolist()]


class Lexicon:
    """Word translations ``src`` -> ``tgt`` kept by both directions' shortlists (whole words only)."""

    def __init__(self, forward_dir: Path, backward_dir: Path, target: str = "") -> None:
        self._fwd, self._bwd = _Shortlist(forward_dir), _Shortlist(backward_dir)
        # each direction's piece ids in the other's vocabulary (-1 where it has no such piece)
        self._to_bwd = np.array([self._bwd.ids.get(p, -1) for p in self._fwd.pieces], dtype=np.int64)
        self._to_fwd = np.array([self._fwd.ids.get(p, -1) for p in self._bwd.pieces], dtype=np.int64)
        self.target = target  # the target language's code
        self.translations = lru_cache(maxsize=65536)(self._translations)
        self.reverse = lru_cache(maxsize=65536)(self._reverse)

    @classmethod
    def for_pair(cls, src: str, tgt: str) -> Lexicon | None:
        """The lexicon of the installed Bergamot models for ``src``<->``tgt``; None without both."""
        from ..errors import NewsmtError
        from ..models import resolve

        try:
            fwd, bwd = resolve(src, tgt, backend="bergamot"), resolve(tgt, src, backend="bergamot")
            return cls(Path(fwd.path), Path(bwd.path), tgt)
        except (NewsmtError, StopIteration, ValueError, OSError):
            return None

    @classmethod
    def for_source(cls, src: str) -> Lexicon | None:
        """A lexicon from ``src`` into any language whose two Bergamot models are installed (which of
        a source's capitalized words are words another language translates); None without one."""
        from ..models.registry import languages

        for tgt in sorted(languages() - {src}):
            found = cls.for_pair(src, tgt)
            if found is not None:
                return found
        return None

    def _translations(self, word: str) -> frozenset[str]:
        """Folded target words that translate ``word`` (itself excluded); empty when ``word`` is
        not one vocabulary piece or has no translation both directions agree on."""
        return self._symmetric(word, self._fwd, self._bwd, self._to_bwd)

    def _reverse(self, word: str) -> frozenset[str]:
        """Folded source words that ``word`` (a target word) translates, itself excluded."""
        return self._symmetric(word, self._bwd, self._fwd, self._to_fwd)

    @staticmethod
    def _symmetric(word: str, there: _Shortlist, back: _Shortlist, to_back: np.ndarray) -> frozenset[str]:
        out = {fold(cand[1:]) for piece in dict.fromkeys(("▁" + word, "▁" + word.lower(), "▁" + word.capitalize()))
               for cand in there.agreed(piece, back, to_back) if len(cand) > 3 and cand.startswith("▁")}
        out.discard(fold(word))
        return frozenset(out)

    def known_target(self, word: str) -> bool:
        """Whether ``word`` is one piece of the target vocabulary (a word the model knows)."""
        return any(p in self._bwd.ids for p in ("▁" + word, "▁" + word.lower()))

    def known_source(self, word: str) -> bool:
        """Whether ``word`` is one piece of the source vocabulary (a word the model knows)."""
        return "▁" + word in self._fwd.ids
