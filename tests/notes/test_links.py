"""`syncdeck notes run LINK` for Bilibili videos that are not in the library: the CC subtitles
the player uses when there are some, else the DASH audio stream downloaded and transcribed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from keyring.backends.null import Keyring as NullKeyring

from core.cli.main import build_parser, dispatch
from core.config import load_config
from core.engine.engine import Engine
from core.notes.outputs import parse_play_link
from core.secrets import SecretStore
from tests.fakes.bilibili import FakeBilibili, world
from tests.notes.fake_client import ScriptedClient


async def test_links_not_in_the_library_are_read_through_the_bilibili_provider(
    fake_bili: FakeBilibili, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SYNCDECK_BILIBILI_COOKIE", world.COOKIE)
    environ = {f"SYNCDECK_BILIBILI_{name.upper()}_HOST": url for name, url in fake_bili.hosts().items()}
    environ.update(SYNCDECK_LIBRARY_ROOT=str(tmp_path / "lib"), SYNCDECK_UI_LANGUAGE="en")
    engine = Engine(load_config(tmp_path / "none.toml", data_dir=tmp_path / "data", environ=environ),
                    secrets=SecretStore(NullKeyring()))  # fmt: skip
    client = ScriptedClient()
    engine.notes.client_factory = lambda name, model: client
    with_cc = f"https://www.bilibili.com/video/{world.BVID_SPRING}/"
    without = f"https://www.bilibili.com/video/{world.BVID_HOSTILE}"
    try:
        argv = ["notes", "run", with_cc, without, "--format", "md,json", "--json"]
        assert await dispatch(engine, build_parser().parse_args(argv)) == 0
    finally:
        await engine.close()
    said = capsys.readouterr()
    batch = json.loads(said.out)
    assert "fetching 春日散步 Vlog" in said.err, "each video says when it is fetched from its site"
    spring, hostile = sorted(batch["tasks"], key=lambda t: t["position"])
    assert (spring["state"], spring["transcript_source"], spring["title"]) == ("done", "subtitles", "春日散步 Vlog")
    assert (hostile["state"], hostile["transcript_source"]) == ("done", "transcription")
    prompts = [what for kind, what in client.calls if kind == "complete"]
    assert any("[00:01] 这是一条测试字幕" in p for p in prompts), "the CC track was the transcript"
    transcribed = [what for kind, what in client.calls if kind == "transcribe"]
    assert len(transcribed) == 1, "only the video without subtitles was listened to"

    md = Path(next(p for p in spring["outputs"] if p.endswith(".md")))
    assert md.is_relative_to(tmp_path / "lib" / "Notes"), "notes of a link go to the library's Notes folder"
    note = json.loads(Path(next(p for p in spring["outputs"] if p.endswith(".json"))).read_text(encoding="utf-8"))
    assert note["source"] == with_cc and note["transcript_source"] == "subtitles"
    assert parse_play_link(note["timestamps"][0]["link"]) == {"path": with_cc, "t": "1"}, "timestamps open the video"
    left = [p for p in (tmp_path / "data" / "cache" / "notes").rglob("*") if p.is_file()]
    assert left == [], "what was fetched for the notes is removed once they are written"
