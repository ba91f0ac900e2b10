"""A fetch's time budget ends a block that runs too long, and only that: a cancellation from
outside (a hang-up cancelling the document's scope) still goes through, on asyncio and on trio."""

from __future__ import annotations

import anyio
import pytest

from callbox.interpreter.time_budget import TimeBudget

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
