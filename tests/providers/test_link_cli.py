"""Hostile and malformed links on the command line: exit 2 with a message that names the
accepted forms, no traceback, and no source added."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.cli.main import main

pytestmark = pytest.mark.timeout(60)

CLOSED = "http://127.0.0.1:9"  # whatever happens, nothing leaves the machine

REFUSED = [
    "https://space.bilibili.com/²",
    "https://space.bilibili.com/③",
    "https://space.bilibili.com/٣",
    "fav:" + "1" * 4301,
    "javascript://space.bilibili.com/10001/favlist?fid=3000101",
    "file:///10001/favlist?fid=3000101",
    "ftp://space.bilibili.com/10001/favlist?fid=3000101",
    "https://evil.example/10001/favlist?fid=3000101",
    "https://space.bilibili.com.evil.com/1/favlist?fid=2",
    "bilibili://space/20004",
    "up:../20004",
    "https://space.bilibili.com\x00.evil.com/1/favlist?fid=2",
    "https://space.bili\x00bili.com/1/favlist?fid=2",
    "fav:" + "1" * 23,
    "https://space.bilibili.com/1/favlist?fid=" + "9" * 23,
    "fav:0",
    "https://space.bilibili.com/0",
    "season:0:5",
]


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    hosts = [f"--set=bilibili.{name}_host={CLOSED}" for name in ("api", "passport", "www", "comment", "b23")]
    code = main(["--data-dir", str(tmp_path / "data"), "--config", str(tmp_path / "config.toml"),
                 f"--set=library.root={tmp_path / 'lib'}", *hosts, *args])  # fmt: skip
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.mark.parametrize("link", REFUSED, ids=[repr(link[:50]) for link in REFUSED])
def test_a_link_outside_the_accepted_forms_is_refused_and_adds_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, link: str
) -> None:
    monkeypatch.delenv("SYNCDECK_BILIBILI_COOKIE", raising=False)
    for command in ("add", "preview"):
        code, _, err = run(tmp_path, capsys, "source", command, link)
        assert code == 2, (command, err)
        assert "fav:ID" in err and "up:MID" in err, "the message lists what is accepted"
        assert len(err) < 3000, "a pasted megabyte is not echoed back"
    code, out, _ = run(tmp_path, capsys, "source", "list", "--json")
    assert code == 0 and json.loads(out) == []
    assert not (tmp_path / "lib").exists()
