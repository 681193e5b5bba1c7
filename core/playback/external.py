"""External players: finding mpv, VLC, IINA or PotPlayer, and the command line each needs.

mpv takes headers (`--http-header-fields`), a separate audio stream (`--audio-file`, for
DASH video + audio), subtitle files and a start position; VLC takes only a Referer and a
User-Agent, so a stream that needs more must come through the proxy. A configured command
may hold `{url}` (and `{audio}`, `{title}`, `{subtitle}`, `{danmaku}`); otherwise the URL is
appended.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from core.engine.playback.views import PlaybackInfo
from core.errors import PlaybackError

# Where players live when they are not on PATH.
_USUAL_PLACES = {
    "mpv": ["/Applications/mpv.app/Contents/MacOS/mpv", r"C:\Program Files\mpv\mpv.exe"],
    "vlc": ["/Applications/VLC.app/Contents/MacOS/VLC", r"C:\Program Files\VideoLAN\VLC\vlc.exe",
            r"C:\Program Files (x86)\VideoLAN\VLC\vlc.exe"],
    "iina": ["/Applications/IINA.app/Contents/MacOS/iina-cli"],
    "potplayer": [r"C:\Program Files\DAUM\PotPlayer\PotPlayerMini64.exe",
                  r"C:\Program Files (x86)\DAUM\PotPlayer\PotPlayerMini.exe"],
}  # fmt: skip
_NAMES = {"mpv": ["mpv"], "vlc": ["vlc", "cvlc"], "iina": ["iina-cli", "iina"], "potplayer": ["PotPlayerMini64",
          "PotPlayerMini"]}  # fmt: skip
ORDER = ("mpv", "iina", "vlc", "potplayer")
# What a player can be told besides the URL.
TAKES_HEADERS = frozenset({"mpv", "iina"})
TAKES_AUDIO_FILE = frozenset({"mpv", "iina", "vlc"})


@dataclass(frozen=True)
class Player:
    kind: str  # one of ORDER, or "custom"
    command: tuple[str, ...]  # the program and its own arguments

    @property
    def takes_headers(self) -> bool:
        return self.kind in TAKES_HEADERS

    @property
    def takes_audio_file(self) -> bool:
        return self.kind in TAKES_AUDIO_FILE


def _kind_of(program: str) -> str:
    name = Path(program).name.lower()
    for kind, names in _NAMES.items():
        if any(name == n.lower() or name == n.lower() + ".exe" or name.startswith(n.lower()) for n in names):
            return kind
    return "custom"


def find_player(command: str = "") -> Player:
    """The configured command, else the first player found; PlaybackError naming what to install."""
    if command.strip():
        try:
            parts = tuple(shlex.split(command, posix=sys.platform != "win32"))
        except ValueError as exc:
            raise PlaybackError(f"the player command {command!r} cannot be read: {exc}") from None
        if not parts:
            raise PlaybackError("the player command is empty")
        return Player(_kind_of(parts[0]), parts)
    for kind in ORDER:
        for name in _NAMES[kind]:
            found = shutil.which(name)
            if found:
                return Player(kind, (found,))
        for place in _USUAL_PLACES[kind]:
            if os.path.isfile(place):
                return Player(kind, (place,))
    raise PlaybackError(
        "no external player was found: install mpv (recommended) or VLC, or set "
        'player.external_command (`syncdeck config set player.external_command "CMD {url}"`)'
    )


def player_argv(player: Player, info: PlaybackInfo) -> list[str]:
    """The full command line that plays `info` in `player`."""
    url = info.url
    options: list[str] = []
    if player.kind in ("mpv", "iina"):
        prefix = "--" if player.kind == "mpv" else "--mpv-"
        if info.headers:
            fields = ",".join(f"{name}: {value}".replace(",", r"\,") for name, value in info.headers.items())
            options.append(f"{prefix}http-header-fields={fields}")
        if info.audio_url:
            options.append(f"{prefix}audio-file={info.audio_url}")
        options += [f"{prefix}sub-file={choice.url}" for choice in info.subtitles]
        if info.danmaku_url:
            options.append(f"{prefix}sub-file={info.danmaku_url}")
        if info.start_at > 0:
            options.append(f"{prefix}start={info.start_at:.1f}")
        if info.title:
            options.append(f"{prefix}force-media-title={info.title}")
    elif player.kind == "vlc":
        for name, value in info.headers.items():
            if name.lower() == "referer":
                options.append(f"--http-referrer={value}")
            elif name.lower() == "user-agent":
                options.append(f"--http-user-agent={value}")
        if info.audio_url:
            options.append(f"--input-slave={info.audio_url}")
        if info.subtitles:
            options.append(f"--sub-file={info.subtitles[0].url}")
        if info.start_at > 0:
            options.append(f"--start-time={info.start_at:.1f}")
        options.append(f"--meta-title={info.title}")
    elif player.kind == "potplayer":
        if info.subtitles:
            options.append(f"/sub={info.subtitles[0].url}")
        if info.start_at > 0:
            options.append(f"/seek={int(info.start_at)}")
    command = list(player.command)
    fields = {"{url}": url, "{audio}": info.audio_url, "{title}": info.title,
              "{subtitle}": info.subtitles[0].url if info.subtitles else "", "{danmaku}": info.danmaku_url}  # fmt: skip

    def filled(part: str) -> str:
        for name, value in fields.items():
            part = part.replace(name, value)
        return part

    if any("{url}" in part for part in command):
        return [filled(part) for part in command] + options
    return command + options + [url]


def needs_proxy(player: Player, info: PlaybackInfo) -> bool:
    """True when `player` cannot play `info` as it is (headers it cannot send, a separate
    audio stream it cannot take)."""
    if info.mode != "direct":
        return False
    extra = {name.lower() for name in info.headers} - ({"referer", "user-agent"} if player.kind == "vlc" else set())
    audio_lost = (
        bool(info.audio_url) and not player.takes_audio_file and not any("{audio}" in part for part in player.command)
    )
    return (bool(extra) and not player.takes_headers) or audio_lost


def launch(player: Player, info: PlaybackInfo) -> subprocess.Popen[bytes]:
    argv = player_argv(player, info)
    try:
        return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)  # fmt: skip
    except OSError as exc:
        raise PlaybackError(f"could not start {argv[0]}: {exc.strerror or exc}") from None
