"""What a listing already tells is used in the same round (new parts, removed items), and
the periodic check covers lists that do not tell it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from keyring.backends.null import Keyring as NullKeyring

from core.config import load_config
from core.engine.engine import Engine
from core.secrets import SecretStore
from core.store import repo
from core.store.models import utcnow
from tests.fakes.bilibili import FakeBilibili, world

pytestmark = pytest.mark.timeout(120)


def make_engine(fake: FakeBilibili, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **settings: str) -> Engine:
    monkeypatch.setenv("SYNCDECK_BILIBILI_COOKIE", world.COOKIE)
    environ = {f"SYNCDECK_BILIBILI_{name.upper()}_HOST": url for name, url in fake.hosts().items()}
    environ.update(SYNCDECK_LIBRARY_ROOT=str(tmp_path / "lib"), SYNCDECK_LIMITS_CHUNK_MIN_MIB="0.02")
    environ.update({f"SYNCDECK_{key.upper()}": value for key, value in settings.items()})
    config = load_config(tmp_path / "none.toml", data_dir=tmp_path / "data", environ=environ)
    return Engine(config, secrets=SecretStore(NullKeyring()))


def episodes(root: Path, bvid: str) -> list[str]:
    return sorted(p.name for p in root.rglob(f"{bvid} - S01E*.mp4"))


async def test_a_part_added_upstream_is_fetched_by_the_next_round_from_the_listing(
    fake_bili: FakeBilibili, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(fake_bili, tmp_path, monkeypatch)  # the periodic check is a day away
    try:
        await engine.add_source(world.FAV_KEY)
        assert (await engine.sync()).outcome == "done"
        quiet = await engine.sync()  # nothing changed: what a round costs
        fake_bili.add_page(world.BVID_MULTIPAGE, "第四集：加更")
        details_before = fake_bili.calls("/x/web-interface/wbi/view")
        grown = await engine.sync()
        assert grown.outcome == "done" and grown.downloaded == 1
        assert fake_bili.calls("/x/web-interface/wbi/view") == details_before + 1, "one detail request, for it alone"
        assert episodes(tmp_path / "lib", world.BVID_MULTIPAGE)[-1].endswith("S01E04.mp4")
        [row] = await engine.tasks(search=world.BVID_MULTIPAGE)
        assert [p.number for p in await engine.task_children(row.id)] == [1, 2, 3, 4]
        assert quiet.api_calls < grown.api_calls
    finally:
        await engine.close()


async def test_an_item_gone_from_the_pages_a_round_read_is_marked_removed_in_that_round(
    fake_bili: FakeBilibili, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(fake_bili, tmp_path, monkeypatch)  # no periodic check in these rounds
    try:
        await engine.add_source(world.FAV_KEY)
        assert (await engine.sync()).outcome == "done"
        fake_bili.remove_item(world.FAV_KEY, world.BVID_HOSTILE)
        result = await engine.sync()
        assert (result.outcome, result.removed) == ("done", 1)
        [removed] = await engine.tasks(state="removed")
        assert removed.key == world.BVID_HOSTILE
        assert Path(removed.path).is_dir(), "files of removed items are kept"
    finally:
        await engine.close()


async def test_an_old_upload_gains_parts_and_is_checked_again_a_month_later(
    fake_bili: FakeBilibili, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an UP's upload list does not count parts: only the periodic check finds new ones
    engine = make_engine(fake_bili, tmp_path, monkeypatch, risk_removal_check_h="0")
    try:
        await engine.add_source(f"up:{world.UP_A_MID}", rules="title contains 三集连播")
        assert (await engine.sync()).outcome == "done"
        [row] = await engine.tasks(search=world.BVID_MULTIPAGE)
        await engine.db.run(repo.update_task, row.id, published_at=utcnow() - timedelta(days=400))

        fake_bili.add_page(world.BVID_MULTIPAGE, "第四集：一年后的加更")
        assert (await engine.sync()).outcome == "done"
        assert len(episodes(tmp_path / "lib", world.BVID_MULTIPAGE)) == 4, "checked: never checked before"

        fake_bili.add_page(world.BVID_MULTIPAGE, "第五集：再次加更")
        assert (await engine.sync()).outcome == "done"
        assert len(episodes(tmp_path / "lib", world.BVID_MULTIPAGE)) == 4, "checked today: not asked again tomorrow"

        await engine.db.run(repo.update_task, row.id, parts_checked_at=utcnow() - timedelta(days=31))
        assert (await engine.sync()).outcome == "done"
        assert len(episodes(tmp_path / "lib", world.BVID_MULTIPAGE)) == 5, "a month later it is its turn again"
        assert [p.number for p in await engine.task_children(row.id)] == [1, 2, 3, 4, 5]
    finally:
        await engine.close()


async def test_a_sync_asked_for_during_a_cool_down_tries_again_and_completes_the_source(
    fake_bili: FakeBilibili, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(fake_bili, tmp_path, monkeypatch)
    try:
        source = await engine.add_source(world.SEASON_KEY)
        blocked = {"endpoint": "/x/polymer/web-space/seasons_archives_list", "kind": "-412", "count": 2}
        fake_bili.scenario(risk=blocked)  # the next two listings are refused
        first = await engine.sync()
        assert (first.outcome, first.exit_code, first.downloaded) == ("risk_control", 3, 0)
        assert (await engine.source(source.id)).cooldown_until is not None
        due, upcoming = await engine.rounds.due_sources()
        assert due == [] and upcoming is not None, "scheduled rounds wait for the cool-down to end"

        again = await engine.sync()  # still blocked: said so, never "done"
        assert (again.outcome, again.exit_code) == ("risk_control", 3)

        fake_bili.scenario(risk=[])
        after = await engine.sync()
        assert (after.outcome, after.exit_code) == ("done", 0)
        view = await engine.source(source.id)
        assert view.done == view.total > 0 and view.cooldown_until is None, "the whole source, in one round"
    finally:
        await engine.close()
