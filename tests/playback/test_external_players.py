"""External player command lines: what mpv, VLC and a configured command are given."""

from __future__ import annotations

from core.engine.playback.views import PlaybackInfo, SubtitleChoice
from core.playback.external import Player, find_player, needs_proxy, player_argv

INFO = PlaybackInfo(
    title="春日散步", url="https://cdn.example/v.m4s", mode="direct", audio_url="https://cdn.example/a.m4s",
    headers={"Referer": "https://www.bilibili.com/", "User-Agent": "UA, with comma", "Cookie": "a=1"},
    start_at=12.5, subtitles=(SubtitleChoice("zh-CN", "中文", "/tmp/zh.ass"),), danmaku_url="/tmp/dm.ass",
)  # fmt: skip


def test_mpv_gets_headers_audio_subtitles_danmaku_and_start() -> None:
    argv = player_argv(Player("mpv", ("mpv",)), INFO)
    assert argv[0] == "mpv" and argv[-1] == INFO.url
    assert "--http-header-fields=Referer: https://www.bilibili.com/,User-Agent: UA\\, with comma,Cookie: a=1" in argv
    assert f"--audio-file={INFO.audio_url}" in argv and "--start=12.5" in argv
    assert "--sub-file=/tmp/zh.ass" in argv and "--sub-file=/tmp/dm.ass" in argv
    assert not needs_proxy(Player("mpv", ("mpv",)), INFO)


def test_vlc_gets_what_it_can_take_and_needs_the_proxy_for_cookies() -> None:
    vlc = Player("vlc", ("vlc",))
    argv = player_argv(vlc, INFO)
    assert "--http-referrer=https://www.bilibili.com/" in argv and f"--input-slave={INFO.audio_url}" in argv
    assert needs_proxy(vlc, INFO)  # a Cookie VLC cannot send
    proxied = PlaybackInfo(title="x", url="http://127.0.0.1:1/s/t/0/v", mode="proxied")
    assert not needs_proxy(vlc, proxied)


def test_a_configured_command_with_placeholders() -> None:
    player = find_player("myplayer --title {title} --audio {audio} {url}")
    assert player.kind == "custom"
    argv = player_argv(player, INFO)
    assert argv == ["myplayer", "--title", "春日散步", "--audio", INFO.audio_url, INFO.url]
    assert needs_proxy(player, INFO)  # it cannot send headers
    assert find_player("/opt/mpv/mpv --fs").kind == "mpv"
