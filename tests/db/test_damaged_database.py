"""Issue 8, item 1: a damaged database file is refused with a message at every command, sync
never runs on it, and `db check` / `db restore` bring back the newest backup."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.db.conftest import Deck, assert_plain_failure

pytestmark = pytest.mark.timeout(60)


def truncate(db: Path) -> None:
    db.write_bytes(db.read_bytes()[:-1000])


def zero(db: Path) -> None:
    db.write_bytes(b"\x00" * db.stat().st_size)


def random_bytes(db: Path) -> None:
    db.write_bytes(random.Random(8).randbytes(db.stat().st_size))


def flip(db: Path) -> None:
    """50 flipped bytes in the page after the header page: where the schema's first table lives."""
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for i in range(page, page + 50):
        data[i] ^= 0xFF
    db.write_bytes(bytes(data))


def folder(db: Path) -> None:
    db.unlink()
    db.mkdir()


DAMAGE: dict[str, Callable[[Path], None]] = {
    "truncated by 1000 bytes": truncate, "zeroed": zero, "random bytes": random_bytes,
    "50 flipped bytes": flip, "a folder in its place": folder,
}  # fmt: skip


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_database_stops_every_command_and_sync_never_runs(deck: Deck, damage: Callable[[Path], None]) -> None:
    before = deck.library_state()
    damage(deck.db)
    for command in (["sync"], ["status"], ["task", "list"], ["source", "list"]):
        assert_plain_failure(deck.run(*command), str(deck.db), "is damaged", "syncdeck db restore")
    assert deck.library_state() == before, "the library must not be touched"
    assert not list(deck.data.glob("syncdeck.db.set-aside-*")), "nothing is moved until asked"


@pytest.mark.parametrize("damage", [truncate, flip], ids=["truncated", "flipped"])
def test_db_check_names_the_damage_and_restore_brings_the_sources_back(
    deck: Deck, damage: Callable[[Path], None]
) -> None:
    damage(deck.db)
    damaged_bytes = deck.db.read_bytes()
    check = deck.run("db", "check", "--json")
    assert check.code == 1
    report = json.loads(check.out)
    assert report["ok"] is False and "is damaged" in report["problem"]
    assert [b["reason"] for b in report["backups"]] == ["daily"]
    assert deck.run("db", "check").code == 1

    restored = deck.run("db", "restore")
    assert restored.code == 0, restored.err
    assert "Restored syncdeck-" in restored.out
    (aside,) = deck.data.glob("syncdeck.db.set-aside-*")
    assert aside.read_bytes() == damaged_bytes, "the damaged file is kept aside, unchanged"

    listed = deck.run("source", "list", "--json")
    assert listed.code == 0, listed.err
    assert [s["name"] for s in json.loads(listed.out)] == ["Favourites"]
    assert deck.run("db", "check").code == 0


def test_restore_refuses_a_missing_or_damaged_backup(deck: Deck) -> None:
    truncate(deck.db)
    assert_plain_failure(deck.run("db", "restore", "no-such-backup.db"), "No backup named no-such-backup.db")
    (backup,) = (deck.data / "backups").iterdir()
    zero(backup)
    assert_plain_failure(deck.run("db", "restore"), str(backup), "Pick another one")
    assert not list(deck.data.glob("syncdeck.db.set-aside-*")), "a failed restore moves nothing"


def test_restore_without_any_backup_says_where_it_looked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = Deck(tmp_path, capsys)
    deck.data.mkdir()
    deck.db.write_bytes(b"not a database at all, just text that was saved here by mistake" * 100)
    failed = deck.run("status")
    assert_plain_failure(failed, "There is no backup in", "Move the file out of the way")
    assert_plain_failure(deck.run("db", "restore"), "No backup in", str(deck.data / "backups"))


def test_garbled_text_inside_a_row_is_reported_as_damage_when_read(deck: Deck) -> None:
    """SQLite's checks look at structure, not at what a text holds: such damage shows only
    when the row is read, and is then named the same way."""
    data = deck.db.read_bytes()
    assert b"Favourites" in data
    deck.db.write_bytes(data.replace(b"Favourites", b"Fav\xff\xferites"))
    for command in (["status"], ["source", "list"]):
        assert_plain_failure(deck.run(*command), str(deck.db), "is damaged", "Could not decode", "db restore")
