"""Per-sentence translation flows over one backend, with model calls overlapping the guards.

A flow is a generator for one sentence: it yields the texts it needs translated and, once they are
in ``hyps``, goes on. The engine's flow assembles, checks and repairs its sentence, and may ask for
more on the way (the parts of a split sentence cut again, the clauses holding lost numbers, quoted
text to put back). ``run_flows`` translates every requested text once, in batches of about
``limit`` padded tokens in token-length order, on feeder threads kept one batch ahead (the
backend's ``concurrent_calls`` run at once, and one more waits): while
the model translates a batch, the flows whose texts are done run their guards, and what they ask
for joins the next batch, so a repair seldom costs a model round of its own.

Results do not depend on timing: batches are formed and flows advanced on the calling thread in a
fixed order, and a text's translation does not depend on its batch mates (the ``Backend`` contract).
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator
from concurrent.futures import Future, ThreadPoolExecutor

from ..errors import ModelError
from .backend import Backend, Hypothesis

Flow = Generator[list[str], None, None]


class _Runner:
    def __init__(self, backend: Backend, flows: list[Flow], hyps: dict[str, Hypothesis], limit: int,
                 lengths: dict[str, int]) -> None:
        self.backend, self.flows, self.hyps, self.limit, self.lengths = backend, flows, hyps, limit, lengths
        self.waiting: dict[str, list[int]] = {}  # requested text -> flows waiting for it
        self.need: list[set[str]] = [set() for _ in flows]
        self.pending: list[str] = []  # requested, not yet sent

    def advance(self, k: int) -> bool:
        """Run flow ``k`` until it needs an untranslated text (False) or ends (True)."""
        for texts in self.flows[k]:
            missing = [t for t in dict.fromkeys(texts) if t not in self.hyps]
            if missing:
                self.need[k] = set(missing)
                for t in missing:
                    if t not in self.waiting:  # not requested yet: send it
                        self.pending.append(t)
                        self.waiting[t] = []
                    self.waiting[t].append(k)
                return False
        return True

    def next_batch(self) -> list[str]:
        """The next model call: the shortest pending texts that fit ``limit`` (at least one)."""
        unknown = [t for t in self.pending if t not in self.lengths]
        self.lengths.update(zip(unknown, self.backend.count_tokens(unknown)))
        order = sorted(self.pending, key=lambda t: self.lengths[t])  # stable: request order breaks ties
        batch: list[str] = []
        for t in order:
            if batch and (self.lengths[t] + 1) * (len(batch) + 1) > self.limit:
                break
            batch.append(t)
        taken = set(batch)
        self.pending = [t for t in self.pending if t not in taken]
        return batch

    def done(self, batch: list[str], hyps: list[Hypothesis]) -> int:
        """Store a batch's results and advance the flows they complete; returns the flows ended."""
        if len(hyps) != len(batch):
            raise ModelError(f"{self.backend.model_id or type(self.backend).__name__}: {len(hyps)} translations "
                             f"for {len(batch)} inputs")
        ended = 0
        for t, h in zip(batch, hyps):
            self.hyps[t] = h
        for t in batch:
            for k in self.waiting.pop(t):
                self.need[k].discard(t)
                if not self.need[k]:
                    ended += self.advance(k)
        return ended


def run_flows(backend: Backend, flows: list[Flow], hyps: dict[str, Hypothesis], limit: int,
              lengths: dict[str, int], progress: Callable[[int], None] | None = None) -> None:
    """Run ``flows`` to their end, filling ``hyps`` (text -> translation, which the flows read);
    ``lengths`` holds known token counts (extended here); ``progress(n)`` is told as flows end."""
    run = _Runner(backend, flows, hyps, limit, lengths)
    ended = sum(run.advance(k) for k in range(len(flows)))
    if ended and progress:
        progress(ended)
    if not run.pending:
        return
    inflight: deque[tuple[list[str], Future[list[Hypothesis]]]] = deque()
    calls = max(1, backend.concurrent_calls)
    with ThreadPoolExecutor(calls, thread_name_prefix="newsmt-feed") as feeder:
        try:
            while True:
                while len(inflight) <= calls and run.pending:
                    batch = run.next_batch()
                    inflight.append((batch, feeder.submit(backend.translate, batch)))
                if not inflight:
                    return
                batch, future = inflight.popleft()
                ended = run.done(batch, future.result())
                if ended and progress:
                    progress(ended)
        finally:
            for _, future in inflight:
                future.cancel()
