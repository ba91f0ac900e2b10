"""Blocks a call ends early: a document cancelled by a hang-up or a live redirect, a fetch whose
time budget runs out; only that ends them (a cancellation from outside still goes through), on
asyncio and on trio."""

from __future__ import annotations

import anyio
import pytest

from callbox.interpreter.cancellable import CancellableBlock, TimeBudget

BACKENDS = ["asyncio", "trio"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_block_longer_than_its_budget_ends_early_without_raising(backend: str) -> None:
    async def main() -> tuple[bool, bool, float]:
        started = anyio.current_time()
        finished = False
        with TimeBudget(0.05) as budget:
            await anyio.sleep(5)
            finished = True
        return budget.expired, finished, anyio.current_time() - started

    expired, finished, took = anyio.run(main, backend=backend)
    assert expired and not finished
    assert took < 2


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_block_within_its_budget_is_never_cancelled_afterwards(backend: str) -> None:
    async def main() -> tuple[bool, str]:
        with TimeBudget(0.05) as budget:
            await anyio.sleep(0)
        await anyio.sleep(0.15)  # past the budget: the task must not be cancelled now
        return budget.expired, "went on"

    assert anyio.run(main, backend=backend) == (False, "went on")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_cancellation_from_outside_goes_through_the_budget(backend: str) -> None:
    async def main() -> tuple[bool, bool, bool]:
        reached_after = False
        with anyio.CancelScope() as outer:
            with TimeBudget(5) as budget:
                outer.cancel()  # as a hang-up cancels the document's scope
                await anyio.sleep(1)
            reached_after = True  # the budget must not swallow the outer cancellation
        return outer.cancelled_caught, budget.expired, reached_after

    assert anyio.run(main, backend=backend) == (True, False, False)


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_outer_deadline_as_short_as_the_budget_still_ends_the_outer_block(
    backend: str,
) -> None:
    async def main() -> tuple[bool, bool]:
        reached_after = False
        with anyio.CancelScope(deadline=anyio.current_time() + 0.05) as outer:
            with TimeBudget(0.05):
                await anyio.sleep(1)
            await anyio.sleep(1)  # the outer scope is cancelled: this cannot finish
            reached_after = True
        return outer.cancelled_caught, reached_after

    assert anyio.run(main, backend=backend) == (True, False)


def test_budgets_in_a_row_each_keep_their_own_time() -> None:
    async def main() -> list[bool]:
        expired = []
        for seconds in (0.02, 1.0, 0.02):
            with TimeBudget(seconds) as budget:
                await anyio.sleep(0.1)
            expired.append(budget.expired)
        await anyio.sleep(0.05)  # none cancels the task later
        return expired

    assert anyio.run(main) == [True, False, True]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_block_cancelled_from_another_task_ends_there_and_the_task_goes_on(
    backend: str,
) -> None:
    async def main() -> tuple[bool, bool, str]:
        block = CancellableBlock()
        finished = False

        async def hang_up() -> None:
            await anyio.sleep(0.01)
            block.cancel()  # as a hang-up or a live redirect cancels the document

        async with anyio.create_task_group() as group:
            group.start_soon(hang_up)
            with block:
                await anyio.sleep(5)
                finished = True
            await anyio.sleep(0.01)  # the task is not cancelled any more
        return block.cancelled_caught, finished, "went on"

    assert anyio.run(main, backend=backend) == (True, False, "went on")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_block_that_cancels_itself_and_ends_without_waiting_leaves_nothing_pending(
    backend: str,
) -> None:
    async def main() -> tuple[bool, str]:
        with CancellableBlock() as block:
            block.cancel()  # a verb that returns at the caller's hang-up, with nothing to wait for
        await anyio.sleep(0.01)  # the next document's fetch must not be cancelled
        return block.cancelled_caught, "went on"

    assert anyio.run(main, backend=backend) == (False, "went on")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_block_that_cancels_itself_ends_at_its_next_wait(backend: str) -> None:
    async def main() -> tuple[bool, list[str]]:
        steps = []
        with CancellableBlock() as block:
            block.cancel()
            steps.append("before the wait")
            await anyio.sleep(1)
            steps.append("after the wait")
        return block.cancelled_caught, steps

    assert anyio.run(main, backend=backend) == (True, ["before the wait"])


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_block_cancelled_before_it_began_ends_at_its_first_wait_and_after_it_ended_nothing(
    backend: str,
) -> None:
    async def main() -> tuple[bool, bool, str]:
        early = CancellableBlock()
        early.cancel()
        with early:
            await anyio.sleep(1)
        late = CancellableBlock()
        with late:
            await anyio.sleep(0)
        late.cancel()
        await anyio.sleep(0.01)
        return early.cancelled_caught, late.cancelled_caught, "went on"

    assert anyio.run(main, backend=backend) == (True, False, "went on")


@pytest.mark.parametrize("backend", BACKENDS)
def test_cancelling_a_block_cancels_the_task_group_inside_it(backend: str) -> None:
    async def main() -> tuple[bool, list[str]]:
        ended: list[str] = []

        async def leg(name: str) -> None:
            try:
                await anyio.sleep(5)
            finally:
                ended.append(name)  # a dialed leg is hung up with the call

        with CancellableBlock() as block:
            async with anyio.create_task_group() as group:
                group.start_soon(leg, "first")
                group.start_soon(leg, "second")
                await anyio.sleep(0.01)
                block.cancel()
        return block.cancelled_caught, sorted(ended)

    assert anyio.run(main, backend=backend) == (True, ["first", "second"])
