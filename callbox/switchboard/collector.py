"""The garbage collector's settings for a process that holds thousands of live calls.

A live call keeps its records (timeline, requests, prompts) and its coroutines for as long as it
runs: ~60 objects the collector tracks while it waits at a ``<Gather>``, ~85 once it ended. With
10,000 calls in progress the collector's oldest generation holds ~800,000 of them that only the
calls' ends free. CPython 3.11 walks all of them in a full collection, which it runs after every
10 collections of the middle generation once a quarter more objects have been promoted: twice
for 10,000 five-step calls at 100 (400 ms each, half the collector's time), 3-4 times for 1,000
at the default (~50 ms each; ``bench/bench_calls.py`` prints the collector's share).

``settled_for_live_calls`` moves what start-up made out of the collector's way (``gc.freeze``)
and runs a full collection only after 1,000 middle-generation collections instead of 10 (at 500
calls a second, about one every 80 s). Young garbage (most of it: the reference cycles a request
or a library leaves) is still collected as before, by the young and middle generations; only
cycles that survived both wait longer, and a call's own objects make none (a finished call is
freed by reference counting).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

FULL_COLLECTION_EVERY = 1000
"""Middle-generation collections between two full ones (CPython's default is 10)."""


@contextmanager
def settled_for_live_calls() -> Iterator[None]:
    """Within this block the collector is set for many live calls (see the module's docstring);
    its settings are restored, and start-up's objects unfrozen, at the end."""
    young, middle, full = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(young, middle, max(full, FULL_COLLECTION_EVERY))
    try:
        yield
    finally:
        gc.set_threshold(young, middle, full)
        gc.unfreeze()
