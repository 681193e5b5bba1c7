"""Issue 8, item 2: an emptied database, one from a newer SyncDeck and one missing a table are
refused by name instead of being recreated empty, ending in a traceback or half working."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.db.conftest import Deck, assert_plain_failure

pytestmark = pytest.mark.timeout(60)


def test_a_zero_byte_database_is_damaged_not_silently_recreated(deck: Deck) -> None:
    deck.db.write_bytes(b"")
    for command in (["status"], ["sync"], ["source", "list"]):
        assert_plain_failure(deck.run(*command), str(deck.db), "empty (0 bytes)", "syncdeck db restore")
    assert deck.db.stat().st_size == 0, "left as it was for the user to look at"
    assert deck.run("db", "restore").code == 0
    assert [s["name"] for s in json.loads(deck.run("source", "list", "--json").out)] == ["Favourites"]


def test_a_database_from_a_newer_syncdeck_says_so_and_is_left_alone(deck: Deck) -> None:
    conn = sqlite3.connect(deck.db)
    conn.execute("UPDATE alembic_version SET version_num = '0042'")
    conn.commit()
    conn.close()
    before = deck.db.read_bytes()
    for command in (["status"], ["sync"], ["task", "list"]):
        assert_plain_failure(deck.run(*command), "newer SyncDeck", "revision 0042", "this SyncDeck is older")
    assert deck.db.read_bytes() == before
    backups = list((deck.data / "backups").iterdir())
    assert [b.name.endswith("-daily.db") for b in backups] == [True], "no copy taken of a file it cannot read"
    check = json.loads(deck.run("db", "check", "--json").out)
    assert (check["ok"], check["revision"]) == (False, "0042")


@pytest.mark.parametrize("table", ["task", "source", "alembic_version"])
def test_a_missing_table_is_damage_found_at_open(deck: Deck, table: str) -> None:
    conn = sqlite3.connect(deck.db)
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute(f"DROP TABLE {table}")
    conn.commit()
    conn.close()
    for command in (["status"], ["sync"], ["task", "list"]):
        assert_plain_failure(deck.run(*command), "is damaged", f"the table {table} is missing", "db restore")
    assert deck.run("db", "restore").code == 0
    assert deck.run("task", "list").code == 0
