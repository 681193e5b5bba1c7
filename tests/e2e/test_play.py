"""`syncdeck parse` and `syncdeck play` through the real command against the fake Bilibili:
playback info as JSON in direct and proxied mode (served by the command itself, or by a
running daemon), an external player given a URL it can play, and clear refusals."""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Deck
from tests.fakes.bilibili import world

pytestmark = pytest.mark.timeout(180)
FAKE_PLAYER = Path(__file__).with_name("fake_player.py")


def read_json_document(stream: Any) -> dict[str, Any]:
    """The first JSON document a still-running command printed (indented, ends with "}")."""
    lines = []
    for line in stream:
        lines.append(line)
        if line.rstrip() == "}":
            break
    return json.loads("".join(lines))


def fetch(url: str, headers: dict[str, str] | None = None) -> httpx.Response:
    with httpx.Client(trust_env=False, timeout=20) as http:
        return http.get(url, headers=headers or {})


def test_parse_previews_a_video(deck: Deck) -> None:
    out = deck.json("parse", f"https://www.bilibili.com/video/{world.BVID_MULTIPAGE}/")
    assert out["provider"] == "bilibili" and out["title"] == "【三集连播】多P测试视频"
    assert [p["number"] for p in out["parts"]] == [1, 2, 3] and out["item"]["key"] == world.BVID_MULTIPAGE
    text = deck.run("parse", world.BVID_MULTIPAGE).stdout
    assert text.startswith("Bilibili: 【三集连播】多P测试视频") and "3 parts" in text


def test_print_url_in_direct_mode(deck: Deck) -> None:
    info = json.loads(deck.run("play", world.BVID_SPRING, "--print-url", "--mode", "direct").stdout)
    assert info["mode"] == "direct" and info["format"] == "dash" and info["url"].startswith(deck.fake.base_url)
    assert info["headers"]["Referer"].startswith("https://www.bilibili.com") and info["audio_url"]
    assert fetch(info["url"]).status_code == 403
    assert fetch(info["url"], {**info["headers"], "Range": "bytes=0-99"}).status_code == 206
    assert {s["lang"] for s in info["subtitles"]} == {"zh-CN", "en"} and info["danmaku_url"].endswith(".ass")


def test_print_url_in_proxied_mode_serves_until_interrupted(deck: Deck) -> None:
    direct = json.loads(deck.run("play", world.BVID_SPRING, "--print-url", "--mode", "direct").stdout)
    proc = deck.popen("play", world.BVID_SPRING, "--print-url", "--mode", "proxied")
    try:
        assert proc.stdout is not None
        info = read_json_document(proc.stdout)
        assert info["mode"] == "proxied" and info["headers"] == {} and info["url"].startswith("http://127.0.0.1:")
        through = fetch(info["url"], {"Range": "bytes=100-4099"})
        origin = fetch(direct["url"], {**direct["headers"], "Range": "bytes=100-4099"})
        assert through.status_code == 206 and through.content == origin.content
        assert fetch(info["audio_url"]).content == fetch(direct["audio_url"], direct["headers"]).content
        assert proc.poll() is None, "the command keeps serving"
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(30)
    assert code == 130 and "Traceback" not in (proc.stderr.read() if proc.stderr else "")


@pytest.fixture
def daemon(deck: Deck) -> Iterator[Deck]:
    proc = deck.popen("daemon")
    try:
        assert proc.stdout is not None and "syncdeck daemon" in proc.stdout.readline()
        yield deck
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)


def test_a_running_daemon_serves_the_proxied_url(daemon: Deck) -> None:
    info = json.loads(daemon.run("play", world.BVID_SPRING, "--print-url", "--mode", "proxied", timeout=60).stdout)
    # the command returned; the daemon's proxy serves the stream
    answer = fetch(info["url"], {"Range": "bytes=0-999"})
    assert answer.status_code == 206 and len(answer.content) == 1000


def test_an_external_player_gets_a_url_it_can_play(deck: Deck, tmp_path: Path) -> None:
    record = tmp_path / "player.json"
    command = f"{sys.executable} {FAKE_PLAYER} {record} {{url}} {{audio}}"
    out = deck.run("play", world.BVID_SPRING, "--external", command).stdout
    assert "playing 春日散步 Vlog in custom (proxied" in out
    played = json.loads(record.read_text())
    # a custom command cannot send headers: it got proxied URLs, and read them whole while the
    # command served them
    assert len(played["bytes"]) == 2 and all(count > 1000 for count in played["bytes"].values())  # video, audio
    assert all(url.startswith("http://127.0.0.1:") for url in played["bytes"])


def test_bad_input_gets_a_clear_message(deck: Deck) -> None:
    unknown = deck.run("play", "no such thing", "--print-url", check=2)
    assert "No provider can play" in unknown.stderr and "Traceback" not in unknown.stderr
    entry = deck.run("play", "42", "--print-url", check=2)
    assert "no playlist entry 42" in entry.stderr and "Traceback" not in entry.stderr
    gone = deck.run("play", "http://127.0.0.1:1/video.mp4", "--print-url", check=1)
    assert "cannot reach" in gone.stderr and "Traceback" not in gone.stderr
    deleted = deck.run("parse", world.BVID_DELETED, check=None)
    assert deleted.returncode in (1, 2) and "Traceback" not in deleted.stderr


@pytest.fixture(scope="module")
def hls_origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An encrypted HLS (master, media playlist, key, segments) on a plain static server."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from tests.playback.upstream import make_hls

    root = tmp_path_factory.mktemp("hls-origin")
    make_hls(root / "hls")

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_direct_hls_link_plays_through_the_proxy_in_ffmpeg(deck: Deck, hls_origin: str, tmp_path: Path) -> None:
    link = f"{hls_origin}/hls/master.m3u8"
    parsed = deck.json("parse", link)
    assert parsed["provider"] == "direct" and parsed["duration"] == 2
    info = json.loads(deck.run("play", link, "--print-url", "--mode", "direct").stdout)
    assert info["mode"] == "direct" and info["url"] == link and info["format"] == "hls" and not info["live"]
    rc, err = tmp_path / "rc", tmp_path / "err"
    player = f'sh -c "ffmpeg -v error -i {{url}} -f null - 2> {err}; echo $? > {rc}"'
    out = deck.run("play", link, "--mode", "proxied", "--external", player).stdout
    assert "(proxied" in out
    assert rc.read_text().strip() == "0", err.read_text()
