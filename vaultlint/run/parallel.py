"""Spreading the reading and checking of notes over processes.

Workers are forked, so they start with the parent's state (the rules, the config, the vault
known so far) without pickling it; only plain results travel back (sending a parsed note back
costs as much as parsing it). ``map_chunks`` forks workers for one step; a ``Team`` keeps its
workers, and what they parsed, from one step to the next. Where ``fork`` is not available
(Windows, macOS' default) or the vault is small, everything runs in one process.
"""

from __future__ import annotations

import contextlib
import os
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # multiprocessing is imported when workers start (a few notes need none)
    from multiprocessing.connection import Connection

MIN_NOTES = 300  # below this, starting processes costs more than it saves
T = TypeVar("T")
R = TypeVar("R")

_JOB: tuple[Callable[[Any, Any], Any], Any] | None = None


def workers() -> int:
    wanted = os.environ.get("VAULTLINT_JOBS")
    if wanted is not None and wanted.isdigit():
        return max(1, int(wanted))
    return max(1, min(os.cpu_count() or 1, 8))


def can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _run_chunk(chunk: Sequence[Any]) -> list[Any]:
    assert _JOB is not None
    function, context = _JOB
    return [function(context, item) for item in chunk]


Progress = Callable[[Iterable[Any]], Iterable[Any]]  # e.g. a progress bar over the items


def map_chunks(
    function: Callable[[Any, T], R],
    context: Any,
    items: Sequence[T],
    progress: Progress | None = None,
) -> list[R]:
    """``[function(context, item) for item in items]``, over forked workers when it pays.

    ``context`` reaches the workers by inheritance (fork), not by pickling; ``progress`` is
    walked over the items as their results come back.
    """
    jobs = workers()
    if jobs <= 1 or len(items) < MIN_NOTES or not can_fork():
        return [function(context, item) for item in follow(items, progress)]
    import multiprocessing

    global _JOB
    _JOB = (function, context)
    try:
        size = max(1, len(items) // (jobs * 4))
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
        results: list[list[R]] = []
        with multiprocessing.get_context("fork").Pool(jobs) as pool:

            def arrivals() -> Iterator[T]:
                for chunk, done in zip(chunks, pool.imap(_run_chunk, chunks), strict=True):
                    results.append(done)
                    yield from chunk

            for _ in follow(Counted(len(items), arrivals()), progress):
                pass
    finally:
        _JOB = None
    return [item for chunk in results for item in chunk]


def follow(items: Iterable[T], progress: Progress | None) -> Iterable[T]:
    return progress(items) if progress is not None else items


class Counted(Iterable[T]):
    """Items as they come, with their number known in advance (for a progress bar)."""

    def __init__(self, total: int, items: Iterator[T]) -> None:
        self.total, self.items = total, items

    def __len__(self) -> int:
        return self.total

    def __iter__(self) -> Iterator[T]:
        return self.items


class TeamError(RuntimeError):
    """A worker of a team died or failed: the step must be done another way."""


Job = Callable[[Any, dict[str, Any], Any], Any]


class Team:
    """Forked workers that live for several steps and keep what they learn (``state``).

    ``context`` (say, the session) reaches them by inheritance; each job is a module-level
    function called as ``function(context, state, payload)`` in one worker, where ``state`` is
    that worker's own dictionary, kept between jobs (the notes it parsed in one step, for the
    next). Jobs go to whichever worker is free, or to a chosen one.
    """

    def __init__(self, size: int, context: Any) -> None:
        import multiprocessing

        fork = multiprocessing.get_context("fork")
        self.size = size
        self._pipes: list[Connection] = []
        self._processes: list[Any] = []
        try:
            for _ in range(size):
                parent_end, child_end = fork.Pipe()
                process = fork.Process(target=_serve, args=(child_end, context), daemon=True)
                process.start()
                child_end.close()
                self._pipes.append(parent_end)
                self._processes.append(process)
        except OSError as exc:
            self.close()
            raise TeamError(f"cannot start workers: {exc}") from exc

    def dispatch(
        self, function: Job, queues: Sequence[list[Any]], shared: list[Any] | None = None
    ) -> list[list[tuple[Any, Any]]]:
        """Run ``function`` on every payload (see ``run``). Returns, per worker, the
        (payload, result) pairs it did, in order."""
        done: list[list[tuple[Any, Any]]] = [[] for _ in range(self.size)]
        for worker, payload, result in self.run(function, queues, shared):
            done[worker].append((payload, result))
        return done

    def run(
        self, function: Job, queues: Sequence[list[Any]], shared: list[Any] | None = None
    ) -> Iterator[tuple[int, Any, Any]]:
        """Run ``function`` on every payload: worker i takes from ``queues[i]`` first, then
        from ``shared``, then from the end of the longest other queue if two or more jobs
        wait there (so none idles long while work is left). Yields (worker, payload, result)
        as each job ends (what a progress bar follows)."""
        own = [list(reversed(queue)) for queue in queues]
        common = list(reversed(shared or []))
        busy: dict[int, Any] = {}

        def next_for(worker: int) -> tuple[bool, Any]:
            if own[worker]:
                return True, own[worker].pop()
            if common:
                return True, common.pop()
            longest = max(range(self.size), key=lambda i: len(own[i]))
            if len(own[longest]) >= 2:  # worth doing again what the owner has ready
                return True, own[longest].pop(0)  # its last one: the owner reaches it last
            return False, None

        def give(worker: int) -> None:
            found, payload = next_for(worker)
            if found:
                self._send(worker, (function, payload))
                busy[worker] = payload

        for worker in range(self.size):
            give(worker)
        from multiprocessing.connection import wait

        while busy:
            ready = wait([self._pipes[w] for w in busy])
            for pipe in ready:
                worker = self._pipes.index(pipe)  # type: ignore[arg-type]
                payload, result = busy.pop(worker), self._receive(worker)
                give(worker)  # before yielding: the worker starts while the caller looks
                yield worker, payload, result

    def each(self, function: Job, payload: Any) -> list[Any]:
        """``function(context, state, payload)`` once in every worker."""
        for worker in range(self.size):
            self._send(worker, (function, payload))
        return [self._receive(worker) for worker in range(self.size)]

    def _send(self, worker: int, job: Any) -> None:
        try:
            self._pipes[worker].send(job)
        except (OSError, EOFError) as exc:
            self.close()
            raise TeamError(f"worker {worker} is gone: {exc}") from exc

    def _receive(self, worker: int) -> Any:
        try:
            status, value = self._pipes[worker].recv()
        except (OSError, EOFError) as exc:
            self.close()
            raise TeamError(f"worker {worker} died") from exc
        if status != "ok":
            self.close()
            raise TeamError(f"worker {worker} failed:\n{value}")
        return value

    def close(self) -> None:
        for pipe in self._pipes:
            with contextlib.suppress(OSError, EOFError):
                pipe.send(None)
            pipe.close()
        for process in self._processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()
        self._pipes, self._processes = [], []

    def __enter__(self) -> Team:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve(pipe: Connection, context: Any) -> None:
    state: dict[str, Any] = {}
    while True:
        try:
            job = pipe.recv()
        except (EOFError, OSError):
            break
        if job is None:
            break
        function, payload = job
        try:
            reply: tuple[str, Any] = ("ok", function(context, state, payload))
        except BaseException:  # the parent decides what to do; this worker goes on
            reply = ("error", traceback.format_exc())
        try:
            pipe.send(reply)
        except (OSError, EOFError):
            break  # the parent is gone
        except Exception:  # a result that cannot be pickled
            pipe.send(("error", traceback.format_exc()))
    pipe.close()
