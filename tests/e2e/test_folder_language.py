"""A new source's folder is named in the interface language at the time it is added."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.conftest import Deck
from tests.fakes.bilibili import world

pytestmark = pytest.mark.timeout(120)


@pytest.mark.parametrize(("language", "kind"), [("en", "Favorites"), ("zh_CN", "收藏夹")])
def test_the_default_folder_speaks_the_interface_language(deck: Deck, language: str, kind: str) -> None:
    deck.run("config", "set", f"ui.language={language}")
    preview = json.loads(deck.run("source", "preview", world.FAV_KEY, "--json").stdout)
    assert preview["kind_label"] == kind
    deck.add(world.FAV_KEY)
    [source] = deck.json("source", "list")
    assert Path(source["path"]) == (deck.library / kind / "同步测试收藏夹").resolve()


def test_a_source_keeps_its_folder_when_the_language_changes(deck: Deck) -> None:
    deck.run("config", "set", "ui.language=en")
    deck.add(world.FAV_KEY)
    deck.run("config", "set", "ui.language=zh_CN")
    deck.add(f"ss:{world.BANGUMI_SEASON_2}")
    paths = sorted(Path(s["path"]).relative_to(deck.library.resolve()).parts[0] for s in deck.json("source", "list"))
    assert paths == ["Favorites", "番剧"], "each named in the language of its day; the first one not moved"
