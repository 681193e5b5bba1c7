"""New parts (分P) of old videos are found too: older videos take turns, about once a month."""

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


async def test_an_old_video_gains_parts_and_is_checked_again_a_month_later(
    fake_bili: FakeBilibili, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SYNCDECK_BILIBILI_COOKIE", world.COOKIE)
    environ = {f"SYNCDECK_BILIBILI_{name.upper()}_HOST": url for name, url in fake_bili.hosts().items()}
    environ.update(
        SYNCDECK_LIBRARY_ROOT=str(tmp_path / "lib"),
        SYNCDECK_LIMITS_CHUNK_MIN_MIB="0.02",
        SYNCDECK_RISK_REMOVAL_CHECK_H="0",  # the slow checks run every round
    )
    engine = Engine(
        load_config(tmp_path / "none.toml", data_dir=tmp_path / "data", environ=environ),
        secrets=SecretStore(NullKeyring()),
    )
    try:
        await engine.add_source(world.FAV_KEY)
        assert (await engine.sync()).outcome == "done"
        [row] = await engine.tasks(search=world.BVID_MULTIPAGE)
        await engine.db.run(repo.update_video, row.id, pubtime=utcnow() - timedelta(days=400))
        season = next((tmp_path / "lib").rglob("Season 1"))

        def episode(number: int) -> Path:
            return season / f"{world.BVID_MULTIPAGE} - S01E{number:02d}.mp4"

        fake_bili.add_page(world.BVID_MULTIPAGE, "第四集：一年后的加更")
        assert (await engine.sync()).outcome == "done"
        assert episode(4).is_file(), "a video published a year ago was checked (never checked before)"

        fake_bili.add_page(world.BVID_MULTIPAGE, "第五集：再次加更")
        assert (await engine.sync()).outcome == "done"
        assert not episode(5).exists(), "an old video checked today is not asked again tomorrow"

        await engine.db.run(repo.update_video, row.id, parts_checked_at=utcnow() - timedelta(days=31))
        assert (await engine.sync()).outcome == "done"
        assert episode(5).is_file(), "a month later it is its turn again"
        assert [p.pid for p in await engine.video_pages(row.id)] == [1, 2, 3, 4, 5]
    finally:
        await engine.close()
