"""Errors a first-time user meets name their thing (a favorites folder, a collection, an UP,
a cookie), never the API path behind it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import Deck
from tests.fakes.bilibili import FakeBilibili, world

pytestmark = pytest.mark.timeout(120)

REPO = Path(__file__).resolve().parents[2]


class SourceDeck(Deck):
    """The command of this tree (`python -m desktop.launcher`), whatever .venv installed."""

    def run(
        self, *args: str, input: str | None = None, timeout: float = 120, check: int | None = 0
    ) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [sys.executable, "-m", "desktop.launcher", *args], cwd=REPO, env=self.env, input=input,
            capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
        if check is not None and proc.returncode != check:
            raise AssertionError(f"syncdeck {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
        return proc


@pytest.fixture
def deck(fake_bili: FakeBilibili, tmp_path: Path) -> Iterator[SourceDeck]:
    yield SourceDeck(fake_bili, tmp_path)


@pytest.mark.parametrize(
    ("link", "words"),
    [
        ("fav:999999", "this favorites folder does not exist or is private"),
        (f"season:{world.UP_A_MID}:99999", "this collection does not exist or is private"),
        (f"series:{world.UP_A_MID}:99999", "this series does not exist or is private"),
        ("up:999999", "this UP does not exist"),
    ],
)
def test_a_source_that_is_not_there_is_named(deck: SourceDeck, link: str, words: str) -> None:
    proc = deck.run("source", "add", link, check=None)
    assert proc.returncode != 0
    assert words in proc.stderr, proc.stderr
    assert "/x/" not in proc.stderr and "/pgc/" not in proc.stderr, "no API paths"


def test_a_private_favorites_folder_of_someone_else(deck: SourceDeck) -> None:
    del deck.env["SYNCDECK_BILIBILI_COOKIE"]  # not its owner
    proc = deck.run("source", "preview", f"fav:{world.PRIVATE_FAV_ID}", check=None)
    assert "this favorites folder does not exist or is private" in proc.stderr, proc.stderr


def test_a_bad_cookie_on_the_first_login_is_not_accepted(deck: SourceDeck) -> None:
    del deck.env["SYNCDECK_BILIBILI_COOKIE"]
    proc = deck.run("login", "bilibili", "--cookie", "SESSDATA=nonsense; bili_jct=x; DedeUserID=1", check=None)
    assert proc.returncode != 0
    assert "Bilibili did not accept this cookie" in proc.stderr, proc.stderr
    assert "log in again" not in proc.stderr, "nobody was logged in before"
