"""Long work in chunks driven from Python.

A Numba kernel cannot be interrupted: Ctrl-C (and a timeout signal) is only acted upon when
control returns to the interpreter, and an exception raised from a signal handler while a kernel
runs can crash the process. So every long computation (big batches, searches, sweeps) is cut
into chunks of items; between chunks the interpreter runs, which lets a progress bar advance,
``KeyboardInterrupt`` stop the work cleanly, and ``time_limit`` be honoured.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from ._config import CHUNK_ITEMS
from .errors import TimeLimitError, ValidationError

__all__ = ["chunk_bounds", "run_chunked", "progress_bar"]


def chunk_bounds(n: int, chunk: int = CHUNK_ITEMS) -> Iterator[tuple[int, int]]:
    """``(start, stop)`` pairs covering ``range(n)`` in steps of ``chunk``."""
    chunk = max(1, int(chunk))
    for start in range(0, n, chunk):
        yield start, min(n, start + chunk)


def progress_bar(total: int, *, progress: Any, desc: str):
    """A tqdm bar when ``progress`` asks for one, else ``None``.

    ``progress``: ``True`` shows a bar, ``False``/``None`` shows none, a callable
    ``progress(done, total)`` is called after each chunk instead.
    """
    if progress is True:
        from tqdm.auto import tqdm

        return tqdm(total=total, desc=desc, leave=False)
    return None


def run_chunked(work: Callable[[int, int], Any], n: int, *, chunk: int = CHUNK_ITEMS,
                progress: Any = None, time_limit: float | None = None,
                desc: str = "items") -> list[Any]:
    """Call ``work(start, stop)`` for consecutive chunks of ``range(n)``; return the results.

    Parameters
    ----------
    work : callable
        Does the items ``start:stop`` (typically one batched kernel call) and returns anything.
    n : int
        Number of items.
    chunk : int
        Items per call.
    progress : bool, callable or None
        ``True`` for a tqdm bar; a callable ``progress(done, total)``; ``None``/``False`` for none.
    time_limit : float, optional
        Seconds; when exceeded between two chunks, :class:`~socialchoice.errors.TimeLimitError`.

    Examples
    --------
    >>> run_chunked(lambda a, b: b - a, 10, chunk=4)
    [4, 4, 2]
    """
    if time_limit is not None and not time_limit > 0:
        raise ValidationError(f"`time_limit`={time_limit!r}; pass a positive number of seconds or None")
    if progress is not None and not isinstance(progress, bool) and not callable(progress):
        raise ValidationError("`progress` must be True, False, None or a callable progress(done, total)")
    t0 = time.perf_counter()
    bar = progress_bar(n, progress=progress, desc=desc)
    out = []
    try:
        for start, stop in chunk_bounds(n, chunk):
            out.append(work(start, stop))
            if bar is not None:
                bar.update(stop - start)
            elif callable(progress) and progress is not True:
                progress(stop, n)
            if time_limit is not None and time.perf_counter() - t0 > time_limit and stop < n:
                raise TimeLimitError(
                    f"stopped after {stop} of {n} {desc} at time_limit={time_limit} s; "
                    "raise `time_limit` or pass a smaller input"
                )
    finally:
        if bar is not None:
            bar.close()
    return out
