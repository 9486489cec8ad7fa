"""Cross-request batching: the sentences of concurrent requests share engine batches.

Each request submits its sentences as a ``Ticket`` for one language pair. One worker thread takes
the queued sentences in batches — after a short wait (``max_wait``, e.g. 5 ms) once the first
sentence is queued, or as soon as the sentence/character budget is full — and calls
``engine.translate_texts(batch)`` (``engine.translate_nbest(batch, n)`` for the tickets that ask for
an n-best list: they queue apart). A batch takes sentences round-robin across the waiting tickets
of the pair queued longest, so a long article never holds a one-sentence request back by more
than one batch. The engine guarantees that a text's translation does not depend on its batch mates,
so a request's results are the same whatever else was in its batch.

The queue is bounded in sentences (``QueueFull`` -> HTTP 503 with Retry-After). A ticket that is
cancelled (timeout, client gone) is skipped. A batch whose engine call fails is retried one ticket
at a time, so one bad request cannot fail the others; a worker that died makes ``submit`` refuse.

Models are loaded and closed on ``translate.backend.ModelThread``, the one thread of the process
that never ends, one at a time.
"""
from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Pair = tuple[str, str]
Key = tuple[Pair, int]  # a queue: the pair and the n-best size asked for (0: one translation)


class QueueFull(Exception):
    """The sentence queue has no room for this request."""

    def __init__(self, queued: int, limit: int, retry_after: int) -> None:
        super().__init__(f"the translation queue is full ({queued} of {limit} sentences waiting); retry in {retry_after} s")
        self.retry_after = retry_after


class Closed(Exception):
    """The batcher is shutting down or its worker has stopped."""


class Cancelled(Exception):
    """The ticket was cancelled (its request timed out or went away)."""


@dataclass(eq=False)
class Ticket:
    pair: Pair
    texts: list[str]
    nbest: int = 0  # 0: translate_texts; n: translate_nbest(texts, n)
    results: list[Any] = field(default_factory=list)
    created: float = field(default_factory=time.monotonic)
    next: int = 0  # index of the next text to hand to a batch
    remaining: int = 0  # texts not yet translated
    error: BaseException | None = None
    cancelled: bool = False
    done: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.results = [None] * len(self.texts)
        self.remaining = len(self.texts)

    @property
    def key(self) -> Key:
        return self.pair, self.nbest

    def wait(self, timeout: float | None = None) -> list[Any]:
        """Block until done (for threads); raises the batch error, Cancelled or TimeoutError."""
        if not self.done.wait(timeout):
            self.cancelled = True
            raise TimeoutError("translation timed out")
        if self.error is not None:
            raise self.error
        return self.results

    def _finish(self, error: BaseException | None = None) -> None:
        if self.done.is_set():
            return
        self.error = error
        self.done.set()


class Batcher:
    """One queue and one worker thread over the engines of a ``get_engine(src, tgt)`` function."""

    def __init__(self, get_engine: Callable[[str, str], Any], *, max_queue: int = 2000, max_wait: float = 0.005,
                 max_sentences: int = 64, max_chars: int = 12_000, on_batch: Callable[[Pair, int, float], None] | None = None,
                 log: Callable[..., None] | None = None, on_exit: Callable[[], None] | None = None,
                 on_queue: Callable[[int], None] | None = None) -> None:
        self.get_engine = get_engine
        self.max_queue, self.max_wait = max_queue, max_wait
        self.max_sentences, self.max_chars = max(1, max_sentences), max(1, max_chars)
        self.on_batch, self.on_exit, self.on_queue = on_batch, on_exit, on_queue or (lambda n: None)
        self.log = log or (lambda *a, **k: None)
        self._cond = threading.Condition()
        self._tickets: dict[Key, deque[Ticket]] = {}
        self._queued = 0  # sentences waiting (not yet in a batch)
        self._busy = 0  # sentences in the batch being translated
        self._closing = False
        self._rate = 20.0  # sentences per second, smoothed: for Retry-After
        self._thread = threading.Thread(target=self._loop, name="newsmt-batcher", daemon=True)
        self._thread.start()

    # ---- submitting ----------------------------------------------------------------------------
    @property
    def queued(self) -> int:
        return self._queued

    @property
    def alive(self) -> bool:
        return self._thread.is_alive() and not self._closing

    def retry_after(self) -> int:
        return max(1, min(60, round((self._queued + self._busy) / max(self._rate, 1.0))))

    def submit(self, pair: Pair, texts: list[str], nbest: int = 0) -> Ticket:
        """Queue ``texts`` for ``pair`` (``nbest``: their n-best lists of that size); raises QueueFull
        or Closed. An empty list is done at once."""
        ticket = Ticket(pair, list(texts), nbest)
        if not texts:
            ticket._finish()
            return ticket
        with self._cond:
            if not self.alive:
                raise Closed("the server is shutting down" if self._closing else "the translation worker has stopped")
            if self._queued and self._queued + len(texts) > self.max_queue:
                raise QueueFull(self._queued, self.max_queue, self.retry_after())
            self._tickets.setdefault(ticket.key, deque()).append(ticket)
            self._queued += len(texts)
            self.on_queue(self._queued)
            self._cond.notify()
        return ticket

    def cancel(self, ticket: Ticket) -> None:
        """Drop what of ``ticket`` is still queued; it finishes with Cancelled."""
        with self._cond:
            if ticket.done.is_set():
                return
            ticket.cancelled = True
            self._queued -= len(ticket.texts) - ticket.next
            self.on_queue(self._queued)
            ticket.next = len(ticket.texts)
            q = self._tickets.get(ticket.key)
            if q is not None and ticket in q:
                q.remove(ticket)
        ticket._finish(Cancelled("cancelled"))

    # ---- the worker ----------------------------------------------------------------------------
    def _take(self) -> tuple[Key, list[tuple[Ticket, int]]] | None:
        """Wait for work, then the next batch: (queue key, [(ticket, index)]); None when closed and empty."""
        with self._cond:
            while not self._queued:
                if self._closing:
                    return None
                self._cond.wait()
            key = min((q[0].created, k) for k, q in self._tickets.items() if q)[1]
            deadline = self._tickets[key][0].created + self.max_wait
            while not self._closing:
                left = deadline - time.monotonic()
                if left <= 0 or sum(len(t.texts) - t.next for t in self._tickets[key]) >= self.max_sentences:
                    break
                self._cond.wait(left)
            q = self._tickets[key]
            batch: list[tuple[Ticket, int]] = []
            chars = 0
            while q and len(batch) < self.max_sentences:
                for ticket in list(q):  # one sentence from each ticket per round
                    if len(batch) >= self.max_sentences:
                        break
                    n = len(ticket.texts[ticket.next])
                    if batch and chars + n > self.max_chars:
                        break
                    batch.append((ticket, ticket.next))
                    chars += n
                    ticket.next += 1
                    if ticket.next >= len(ticket.texts):
                        q.remove(ticket)
                else:
                    continue
                break
            self._queued -= len(batch)
            self.on_queue(self._queued)
            self._busy = len(batch)
            return key, batch

    def _loop(self) -> None:
        try:
            while True:
                try:
                    taken = self._take()
                except Exception as e:  # noqa: BLE001 - never let the worker die silently
                    self.log("batcher_error", error=f"{type(e).__name__}: {e}")
                    time.sleep(0.01)
                    continue
                if taken is None:
                    return
                self._batch(*taken)
        finally:
            if self.on_exit is not None:
                try:
                    self.on_exit()
                except Exception as e:  # noqa: BLE001
                    self.log("close_failed", error=f"{type(e).__name__}: {e}")

    def _batch(self, key: Key, batch: list[tuple[Ticket, int]]) -> None:
        live = [(t, i) for t, i in batch if not t.cancelled]
        if live:
            self._run(key, live)
        with self._cond:
            self._busy = 0

    def _run(self, key: Key, batch: list[tuple[Ticket, int]]) -> None:
        t0 = time.perf_counter()
        pair, nbest = key
        try:
            engine = self.get_engine(*pair)
            texts = [t.texts[i] for t, i in batch]
            outs = engine.translate_nbest(texts, nbest) if nbest else engine.translate_texts(texts)
            if len(outs) != len(batch):
                raise RuntimeError(f"engine returned {len(outs)} results for {len(batch)} texts")
        except Exception as e:  # noqa: BLE001 - isolate the failing request
            tickets = list(dict.fromkeys(t for t, _ in batch))
            if len(tickets) == 1:
                self.log("batch_failed", pair=f"{pair[0]}-{pair[1]}", error=f"{type(e).__name__}: {e}")
                self.cancel_with(tickets[0], e)
                return
            for ticket in tickets:  # retry one ticket at a time: only the culprit fails
                self._run(key, [(t, i) for t, i in batch if t is ticket])
            return
        dt = time.perf_counter() - t0
        self._rate = 0.8 * self._rate + 0.2 * (len(batch) / max(dt, 1e-6))
        if self.on_batch is not None:
            self.on_batch(pair, len(batch), dt)
        finished = []
        with self._cond:
            for (ticket, i), out in zip(batch, outs):
                ticket.results[i] = out
                ticket.remaining -= 1
                if ticket.remaining == 0:
                    finished.append(ticket)
        for ticket in finished:
            ticket._finish()

    def cancel_with(self, ticket: Ticket, error: BaseException) -> None:
        with self._cond:
            if ticket.done.is_set():
                return
            self._queued -= len(ticket.texts) - ticket.next
            self.on_queue(self._queued)
            ticket.next = len(ticket.texts)
            q = self._tickets.get(ticket.key)
            if q is not None and ticket in q:
                q.remove(ticket)
        ticket._finish(error)

    def close(self, drain: bool = True, timeout: float | None = 30.0) -> None:
        """Stop taking new work; finish (``drain``) or cancel what is queued; join the worker."""
        with self._cond:
            self._closing = True
            if not drain:
                pending = [t for q in self._tickets.values() for t in q]
            else:
                pending = []
            self._cond.notify_all()
        for t in pending:
            self.cancel_with(t, Closed("the server is shutting down"))
        self._thread.join(timeout)


class BatchedEngine:
    """A TranslationEngine whose ``translate_texts`` goes through the batcher (blocking; for threads).

    Everything else (``src``, ``tgt``, ``provenance``, ``model`` ...) is the real engine's, and
    ``translate_document`` is the engine's own method running over this object, so documents get
    exactly the layers the engine gives them.
    """

    def __init__(self, engine: Any, batcher: Batcher, deadline: float | None = None) -> None:
        self._engine, self._batcher, self._deadline = engine, batcher, deadline
        self._tickets: list[Ticket] = []
        self.cancelled = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)

    def translate_texts(self, texts: list[str], progress: Any = None) -> list[Any]:
        """The engine's translations of ``texts``, through the batcher."""
        return self._through_batcher(texts, 0, progress)

    def translate_nbest(self, texts: list[str], n: int) -> list[Any]:
        """The engine's ``translate_nbest`` of ``texts``, through the batcher."""
        return self._through_batcher(texts, n)

    def _through_batcher(self, texts: list[str], nbest: int, progress: Any = None) -> list[Any]:
        if self.cancelled:
            raise Cancelled("cancelled")
        ticket = self._batcher.submit((self._engine.src, self._engine.tgt), list(texts), nbest)
        self._tickets.append(ticket)
        timeout = None if self._deadline is None else max(0.0, self._deadline - time.monotonic())
        try:
            out = ticket.wait(timeout)
        except TimeoutError:
            self._batcher.cancel(ticket)
            raise
        if progress is not None:
            progress(len(texts))
        return out

    def translate_document(self, doc: Any, progress: Any = None) -> Any:
        return type(self._engine).translate_document(self, doc, progress)

    def cancel(self) -> None:
        self.cancelled = True
        for t in self._tickets:
            self._batcher.cancel(t)


class BatchedResources:
    """What ``pipeline.process`` needs of ``Resources``, with engines going through the batcher."""

    def __init__(self, resources: Any, get_engine: Callable[[str, str], Any], batcher: Batcher,
                 deadline: float | None = None) -> None:
        self._resources, self._get_engine, self._batcher, self._deadline = resources, get_engine, batcher, deadline
        self._engines: list[BatchedEngine] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._resources, name)

    def engine(self, src: str, tgt: str) -> BatchedEngine:
        e = BatchedEngine(self._get_engine(src, tgt), self._batcher, self._deadline)
        self._engines.append(e)
        return e

    def cancel(self) -> None:
        for e in self._engines:
            e.cancel()
