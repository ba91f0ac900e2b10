"""Benchmark: store commits per second per backend, beside the bare driver in the same run.

For each backend (memory; SQLite with synchronous=FULL and NORMAL; PostgreSQL, a throwaway
server from the Debian package with fsync on): creates of Call records from one thread (one
commit each) and from ``--threads`` threads at once (the writer thread's group commit), fetches
by SID, and pages of 50 from a listing. The baseline is the same INSERT with the bare driver,
one commit per row, on the same settings. Usage:
``.venv/bin/python bench/bench_store.py [--creates 2000] [--threads 32] [--repeat 3]``.

Recorded on the 2-core development machine (shared, noisy), 2026-12-03:
see the figures printed at the end of a run; the note of issue 10 has the latest.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from callbox.records import Call
from callbox.store import Query, Store, migrations, open_store
from callbox.store.codec import to_dict
from callbox.testing.postgres import TemporaryPostgres
from callbox.testing.records import RecordMaker


@dataclass
class Figures:
    name: str
    serial: float
    concurrent: float
    gets: float
    pages: float
    baseline: float | None


def rate(count: int, work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return count / (time.perf_counter() - started)


def measure(name: str, store: Store, creates: int, threads: int, baseline: float | None) -> Figures:
    make = RecordMaker()
    calls = [make.call(at=index) for index in range(creates)]
    serial = rate(creates, lambda: [store.create(call) for call in calls])

    more = [make.call(at=index) for index in range(creates)]
    share = [more[index::threads] for index in range(threads)]

    def concurrently() -> None:
        workers = [
            threading.Thread(target=lambda part=part: [store.create(c) for c in part])
            for part in share
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

    concurrent = rate(creates, concurrently)
    gets = rate(creates, lambda: [store.get(Call, call.sid) for call in calls])
    query = Query(Call, make.account_sid)

    def paging() -> None:
        cursor: str | None = None
        for _ in range(200):
            page = store.list(query, page_size=50, cursor=cursor)
            cursor = page.next_cursor

    pages = rate(200, paging)
    return Figures(name, serial, concurrent, gets, pages, baseline)


INSERT = "INSERT INTO records (kind, sid, account_sid, unique_key, data) VALUES ({0}, {0}, {0}, NULL, {1})"


def bare_rows(creates: int) -> list[tuple[str, str, str, str]]:
    """The rows the store writes for ``creates`` Calls, encoded up front."""
    make = RecordMaker()
    return [
        ("Call", call.sid, call.account_sid, json.dumps(to_dict(call), separators=(",", ":")))
        for call in (make.call(at=index) for index in range(creates))
    ]


def sqlite_baseline(path: Path, synchronous: str, creates: int) -> float:
    """The store's own table and indexes, written with bare sqlite3: one INSERT and COMMIT per row."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute(f"PRAGMA synchronous = {synchronous}")
    migrations.migrate(connection, migrations.SQLITE)
    rows = bare_rows(creates)
    insert = INSERT.format("?", "?")

    def work() -> None:
        for row in rows:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(insert, row)
            connection.execute("COMMIT")

    try:
        return rate(creates, work)
    finally:
        connection.close()


def postgres_baseline(url: str, creates: int) -> float:
    """The same with bare psycopg on the store's PostgreSQL table."""
    import psycopg

    rows = bare_rows(creates)
    insert = INSERT.format("%s", "CAST(%s AS JSONB)")
    with psycopg.connect(url, autocommit=True) as connection:
        migrations.migrate(connection, migrations.POSTGRES)

        def work() -> None:
            for row in rows:
                with connection.transaction():
                    connection.execute(insert, row)

        return rate(creates, work)


@contextmanager
def opened(location: str) -> Iterator[Store]:
    store = open_store(location)
    try:
        yield store
    finally:
        store.close()


def best(runs: list[Figures]) -> Figures:
    """The best of each figure over the runs (the machine is shared and noisy)."""
    baselines = [run.baseline for run in runs if run.baseline is not None]
    return Figures(
        runs[0].name,
        max(run.serial for run in runs),
        max(run.concurrent for run in runs),
        max(run.gets for run in runs),
        max(run.pages for run in runs),
        max(baselines) if baselines else None,
    )


def main(creates: int, threads: int, repeat: int, postgres: bool) -> None:
    folder = Path(tempfile.mkdtemp(prefix="callbox-bench-store-"))
    results: list[Figures] = []
    runs: list[Figures] = []
    for _ in range(repeat):
        with opened("memory") as store:
            runs.append(measure("memory", store, creates, threads, None))
    results.append(best(runs))
    for synchronous in ("full", "normal"):
        runs = []
        for attempt in range(repeat):  # alternate the baseline and the store, fresh files each
            name = f"{synchronous}-{attempt}"
            baseline = sqlite_baseline(folder / f"bare-{name}.db", synchronous, creates)
            with opened(f"sqlite:{folder}/store-{name}.db?synchronous={synchronous}") as store:
                runs.append(measure(f"sqlite {synchronous}", store, creates, threads, baseline))
        results.append(best(runs))
    if postgres:
        runs = []
        with TemporaryPostgres(durable=True) as server:
            for _ in range(repeat):
                baseline = postgres_baseline(server.create_database(), creates)
                with opened(server.create_database()) as store:
                    runs.append(measure("postgres", store, creates, threads, baseline))
        results.append(best(runs))
    print(
        f"store: {creates} creates of a Call per run, best of {repeat};"
        f" concurrent = {threads} threads at once"
    )
    print(
        f"  {'backend':<14}{'serial/s':>10}{'bare/s':>10}{'ratio':>7}"
        f"{'concurrent/s':>14}{'gets/s':>10}{'pages/s':>9}"
    )
    for figures in results:
        bare = f"{figures.baseline:10.0f}" if figures.baseline else f"{'-':>10}"
        ratio = f"{figures.serial / figures.baseline:7.2f}" if figures.baseline else f"{'-':>7}"
        print(
            f"  {figures.name:<14}{figures.serial:10.0f}{bare}{ratio}"
            f"{figures.concurrent:14.0f}{figures.gets:10.0f}{figures.pages:9.0f}"
        )
    print("  serial: one thread, one commit per create; bare: the driver's own INSERT + COMMIT;")
    print("  concurrent: the writer thread commits the creates that arrive together at once.")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--creates", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-postgres", action="store_true", help="skip PostgreSQL")
    arguments = parser.parse_args()
    main(arguments.creates, arguments.threads, arguments.repeat, not arguments.no_postgres)
