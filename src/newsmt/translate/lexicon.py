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
    """One direction's shortlist: piece -> candidate target pieces."""

    def __init__(self, model_dir: Path) -> None:
        import sentencepiece

        lex = next(model_dir.glob("lex.*.s2t.bin"))
        raw = lex.read_bytes()
        magic, _, _, _, words, entries = struct.unpack_from("<6Q", raw, 0)
        if magic != _MAGIC:
            raise ValueError(f"{lex} is not a binary shortlist")
        self.offsets = np.frombuffer(raw, dtype=np.uint64, count=words, offset=48).astype(np.int64)
        self.lists = np.frombuffer(raw, dtype=np.uint32, count=entries, offset=48 + 8 * words)
        spm = sentencepiece.SentencePieceProcessor(model_file=str(next(model_dir.glob("vocab.*.spm"))))
        self.pieces = [spm.id_to_piece(i) for i in range(spm.get_piece_size())]
        self.ids = {p: i for i, p in enumerate(self.pieces)}
        self.candidates = lru_cache(maxsize=131072)(self._candidates)

    def _candidates(self, piece: str) -> frozenset[str]:
        i = self.ids.get(piece)
        if i is None or i + 1 >= len(self.offsets):
            return frozenset()
        pieces = self.pieces
        return frozenset(pieces[t] for t in self.lists[self.offsets[i]:self.offsets[i + 1]].tolist())


class Lexicon:
    """Word translations ``src`` -> ``tgt`` kept by both directions' shortlists (whole words only)."""

    def __init__(self, forward_dir: Path, backward_dir: Path, target: str = "") -> None:
        self._fwd, self._bwd = _Shortlist(forward_dir), _Shortlist(backward_dir)
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
        return self._symmetric(word, self._fwd, self._bwd)

    def _reverse(self, word: str) -> frozenset[str]:
        """Folded source words that ``word`` (a target word) translates, itself excluded."""
        return self._symmetric(word, self._bwd, self._fwd)

    @staticmethod
    def _symmetric(word: str, there: _Shortlist, back: _Shortlist) -> frozenset[str]:
        out = set()
        for piece in ("▁" + word, "▁" + word.lower(), "▁" + word.capitalize()):
            for cand in there.candidates(piece):
                if len(cand) > 3 and cand.startswith("▁") and piece in back.candidates(cand):
                    out.add(fold(cand[1:]))
        out.discard(fold(word))
        return frozenset(out)

    def known_target(self, word: str) -> bool:
        """Whether ``word`` is one piece of the target vocabulary (a word the model knows)."""
        return any(p in self._bwd.ids for p in ("▁" + word, "▁" + word.lower()))

    def known_source(self, word: str) -> bool:
        """Whether ``word`` is one piece of the source vocabulary (a word the model knows)."""
        return "▁" + word in self._fwd.ids
