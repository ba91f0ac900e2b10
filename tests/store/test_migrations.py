"""Schema migrations apply in order, once, atomically, on SQLite and PostgreSQL, and refuse a
database that is newer than the code or was migrated by a different history."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

from callbox.store import migrations
from callbox.store.migrations import POSTGRES, SQLITE, Dialect, Migration, SchemaError


@dataclass
class Database:
    """A fresh database: a connection in autocommit mode, and a way to open another."""

    dialect: Dialect
    connect: Callable[[], Any]
    connection: Any = None

    def __post_init__(self) -> None:
        self.connection = self.connect()


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        path = tmp_path / "store.db"
        opened = Database(
            SQLITE, lambda: sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        )
    else:
        url = request.getfixturevalue("postgres_url")
        opened = Database(POSTGRES, lambda: psycopg.connect(url, autocommit=True))
    try:
        yield opened
    finally:
        opened.connection.close()


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, sql in files.items():
        (folder / name).write_text(sql)
    return folder


def steps(folder: Path, dialect: Dialect) -> list[Migration]:
    return migrations.load(dialect.name, folder)


def rows(connection: Any, sql: str) -> list[tuple[Any, ...]]:
    cursor = connection.cursor()
    cursor.execute(sql)
    return [tuple(row) for row in cursor.fetchall()]


TWO_STEPS = {
    "0001_people.sql": "CREATE TABLE people (sid TEXT PRIMARY KEY);\n",
    "0002_names.sql": "-- a second step\nALTER TABLE people ADD COLUMN name TEXT;\n"
    "INSERT INTO people (sid, name) VALUES ('PE1', 'semi;colon');\n",
}


def test_a_new_database_gets_every_step_in_order(database: Database, tmp_path: Path) -> None:
    connection, dialect = database.connection, database.dialect
    folder = write(tmp_path / "m", TWO_STEPS)
    assert migrations.migrate(connection, dialect, steps(folder, dialect)) == 2
    assert rows(connection, "SELECT version, name FROM schema_version ORDER BY version") == [
        (1, "people"),
        (2, "names"),
    ]
    assert rows(connection, "SELECT sid, name FROM people") == [("PE1", "semi;colon")]


def test_opening_again_applies_nothing_and_keeps_the_data(
    database: Database, tmp_path: Path
) -> None:
    connection, dialect = database.connection, database.dialect
    folder = write(tmp_path / "m", TWO_STEPS)
    migrations.migrate(connection, dialect, steps(folder, dialect))
    connection.cursor().execute("INSERT INTO people (sid, name) VALUES ('PE2', 'Ada')")
    again = database.connect()
    try:
        assert migrations.migrate(again, dialect, steps(folder, dialect)) == 2
        assert rows(again, "SELECT sid FROM people ORDER BY sid") == [("PE1",), ("PE2",)]
        assert len(rows(again, "SELECT version FROM schema_version")) == 2
    finally:
        again.close()


def test_a_later_step_applies_to_a_database_made_by_an_older_callbox(
    database: Database, tmp_path: Path
) -> None:
    connection, dialect = database.connection, database.dialect
    folder = write(tmp_path / "m", {"0001_people.sql": TWO_STEPS["0001_people.sql"]})
    assert migrations.migrate(connection, dialect, steps(folder, dialect)) == 1
    write(folder, TWO_STEPS)
    assert migrations.migrate(connection, dialect, steps(folder, dialect)) == 2
    assert rows(connection, "SELECT name FROM people") == [("semi;colon",)]


def test_a_database_newer_than_the_code_is_refused(database: Database, tmp_path: Path) -> None:
    connection, dialect = database.connection, database.dialect
    migrations.migrate(connection, dialect, steps(write(tmp_path / "new", TWO_STEPS), dialect))
    old = write(tmp_path / "old", {"0001_people.sql": TWO_STEPS["0001_people.sql"]})
    with pytest.raises(
        SchemaError, match=r"schema version 2, newer than this callbox knows \(up to 1\)"
    ):
        migrations.migrate(connection, dialect, steps(old, dialect), database="store.db")


def test_a_database_migrated_by_a_different_history_is_refused(
    database: Database, tmp_path: Path
) -> None:
    connection, dialect = database.connection, database.dialect
    migrations.migrate(connection, dialect, steps(write(tmp_path / "a", TWO_STEPS), dialect))
    renamed = {"0001_people.sql": TWO_STEPS["0001_people.sql"], "0002_titles.sql": ""}
    other = write(tmp_path / "b", renamed)
    with pytest.raises(SchemaError, match=r"recorded migration 0002 as 'names'.*'titles'"):
        migrations.migrate(connection, dialect, steps(other, dialect))


def test_a_failing_step_leaves_the_database_at_the_version_before_it(
    database: Database, tmp_path: Path
) -> None:
    connection, dialect = database.connection, database.dialect
    folder = write(
        tmp_path / "m",
        {
            "0001_people.sql": TWO_STEPS["0001_people.sql"],
            "0002_broken.sql": "CREATE TABLE pets (sid TEXT);\nINSERT INTO nowhere VALUES (1);\n",
        },
    )
    with pytest.raises(SchemaError, match="migration 0002_broken failed"):
        migrations.migrate(connection, dialect, steps(folder, dialect))
    assert rows(connection, "SELECT version FROM schema_version") == [(1,)]
    (folder / "0002_broken.sql").write_text("CREATE TABLE pets (sid TEXT);\n")
    assert (
        migrations.migrate(connection, dialect, steps(folder, dialect)) == 2
    )  # pets was rolled back


def test_processes_opening_one_database_at_once_apply_each_step_once(
    database: Database, tmp_path: Path
) -> None:
    connection, dialect = database.connection, database.dialect
    folder = write(tmp_path / "m", TWO_STEPS)
    errors: list[BaseException] = []

    def open_and_migrate() -> None:
        other = database.connect()
        if dialect is SQLITE:
            other.execute("PRAGMA busy_timeout = 10000")
        try:
            migrations.migrate(other, dialect, steps(folder, dialect))
        except BaseException as error:
            errors.append(error)
        finally:
            other.close()

    threads = [threading.Thread(target=open_and_migrate) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert rows(connection, "SELECT version FROM schema_version ORDER BY version") == [(1,), (2,)]
    assert rows(connection, "SELECT count(*) FROM people") == [(1,)]


def test_the_shipped_migrations_apply_and_reapply(database: Database) -> None:
    connection, dialect = database.connection, database.dialect
    shipped = migrations.load(dialect.name)
    assert shipped, "callbox ships at least the initial schema"
    assert migrations.migrate(connection, dialect) == shipped[-1].version
    assert migrations.migrate(connection, dialect) == shipped[-1].version


def test_a_dialect_file_replaces_the_portable_one_for_its_dialect(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "m",
        {
            "0001_people.sql": "CREATE TABLE people (sid TEXT);\n",
            "0002_blob.sqlite.sql": "ALTER TABLE people ADD COLUMN photo BLOB;\n",
            "0002_blob.postgres.sql": "ALTER TABLE people ADD COLUMN photo BYTEA;\n",
        },
    )
    assert "BLOB" in migrations.load("sqlite", folder)[1].sql
    assert "BYTEA" in migrations.load("postgres", folder)[1].sql


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"0001_a.sql": "", "0003_c.sql": ""}, "no gap"),
        ({"0001_a.sql": "", "0002_b.postgres.sql": ""}, r"\[2\] have no file for dialect 'sqlite'"),
        ({"1_a.sql": ""}, "is not named NNNN_name"),
        ({"0001_a.oracle.sql": ""}, "unknown dialect"),
        ({"0001_a.sql": "", "0001_b.sqlite.sql": ""}, "several names"),
    ],
)
def test_a_malformed_migrations_folder_is_reported(
    tmp_path: Path, files: dict[str, str], message: str
) -> None:
    with pytest.raises(SchemaError, match=message):
        migrations.load("sqlite", write(tmp_path / "m", files))


def test_statements_split_where_sql_ends_them_not_at_every_semicolon() -> None:
    sql = (
        "-- leading comment\n"
        "CREATE TABLE t (a TEXT DEFAULT 'x;y');\n"
        "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n"
        "  UPDATE t SET a = 'z';\n"
        "END;\n"
        "-- trailing comment\n"
    )
    assert [s.splitlines()[-1] for s in migrations.split_statements(sql)] == [
        "CREATE TABLE t (a TEXT DEFAULT 'x;y');",
        "END;",
    ]
    with pytest.raises(SchemaError, match="incomplete statement"):
        migrations.split_statements("CREATE TABLE t (a TEXT)\n")
