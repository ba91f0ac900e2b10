"""The collector settings for many live calls hold inside the block and are undone after it."""

from __future__ import annotations

import gc

from callbox.switchboard.collector import FULL_COLLECTION_EVERY, settled_for_live_calls


def test_full_collections_are_rarer_and_start_up_frozen_only_inside_the_block() -> None:
    before = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    kept = [object() for _ in range(10)]  # start-up's objects, as far as the block knows
    with settled_for_live_calls():
        assert gc.get_threshold() == (before[0], before[1], FULL_COLLECTION_EVERY)
        assert gc.get_freeze_count() >= len(kept)
        gc.collect()  # an explicit full collection still runs, and frees what it should
        cycle: list[object] = []
        cycle.append(cycle)
        del cycle
        assert gc.collect() >= 1
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
