"""Map a function over chunks of work in forked worker processes that share the caller's state.

The state (a screening index, a geolocation database, the records themselves) is put in a
module global before the pool starts, and the workers inherit it by fork: it is never pickled,
only the chunks going out and the results coming back are. Where fork is not available, or one
worker is asked for, the caller runs the function in its own process instead (`can_fork`).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from cloudkyc.errors import CloudKycError

S = TypeVar("S")
C = TypeVar("C")
R = TypeVar("R")

_STATE: tuple[Callable[[Any, Any], Any], Any] | None = None


def can_fork(workers: int) -> bool:
    """Whether `fork_map` with this many workers runs in worker processes."""
    return workers > 1 and "fork" in multiprocessing.get_all_start_methods()


def fork_map(
    fn: Callable[[S, C], R], state: S, chunks: Iterable[C], workers: int, what: str
) -> Iterator[R]:
    """`fn(state, chunk)` for every chunk, in `workers` forked processes, results in the order
    of the chunks as they come. `fn` must be a module-level function; `what` names the work in
    the error raised when a worker dies."""
    global _STATE
    _STATE = (fn, state)
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            yield from pool.map(_call, chunks)
    except BrokenProcessPool as exc:
        raise CloudKycError(
            f"a {what} worker process died (out of memory?); no result was written"
        ) from exc
    finally:
        _STATE = None


def _call(chunk: Any) -> Any:
    assert _STATE is not None, "fork_map sets the worker state before forking"
    fn, state = _STATE
    return fn(state, chunk)
