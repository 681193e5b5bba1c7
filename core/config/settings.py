"""The one declarative list of settings: defaults, types, validation, docs and the Settings
window follow from it.

A setting's TOML location is its dotted key (`limits.videos` → `[limits] videos = 3`), its
environment variable is `SYNCDECK_` + the key in upper case with dots as underscores
(`SYNCDECK_LIMITS_VIDEOS`), and on the command line it is `--set limits.videos=3`.

The window shows each setting on the page (`section`) and in the box (`group`) its key's prefix
gives (see PREFIXES), with its `label` in front and its `doc` below, in a control chosen by
kind, choices and `widget`. Labels, docs, groups and choice labels are English here; the
window translates them (Qt catalog context "Setting", texts listed by `translatable_texts`).
"""

from __future__ import annotations

import ipaddress
import math
import os
import re
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, NamedTuple

from core.config.paths import user_path
from core.config.schedule import Schedule
from core.errors import ConfigError
from core.library import naming

QUALITY_NAMES = {
    "360p": 16, "480p": 32, "720p": 64, "720p60": 74, "1080p": 80, "1080p+": 112,
    "1080p60": 116, "4k": 120, "hdr": 125, "dolby": 126, "8k": 127,
}  # fmt: skip
AUDIO_NAMES = {"64k": 30216, "132k": 30232, "192k": 30280, "dolby": 30250, "hires": 30251}  # worst to best
CODECS = ("avc", "hevc", "av1")

# What each name template may use: exactly the values the library fills in for that name.
VIDEO_FOLDER_VARIABLES = naming.VIDEO_VARIABLES
PAGE_FILE_VARIABLES = naming.PAGE_VARIABLES
BANGUMI_FOLDER_VARIABLES = frozenset({"series_title"})
EPISODE_FILE_VARIABLES = naming.BANGUMI_VARIABLES - {"ptitle", "pid", "pid_pad"}

WIDGETS = ("", "folder", "file", "template", "schedule")
UNITS = {"_s": "s", "_ms": "ms", "_h": "h", "_mib": "MiB"}  # key suffix → unit shown after the number


@dataclass(frozen=True)
class Section:
    """A page of the Settings window."""

    key: str
    title: str
    icon: str  # a name in resources/icons


SECTIONS: tuple[Section, ...] = (
    Section("general", "General", "general"),
    Section("library", "Library", "folder"),
    Section("quality", "Quality", "quality"),
    Section("downloads", "Downloads", "tasks"),
    Section("network", "Network", "network"),
    Section("playback", "Playback", "play"),
    Section("torrents", "BitTorrent", "torrent"),
    Section("notes", "Notes", "notes"),
    Section("notify", "Notifications", "notify"),
    Section("advanced", "Advanced", "settings"),  # every setting marked advanced, in its own group
)

# Key prefix → (section, group) for settings that do not say otherwise.
PREFIXES: dict[str, tuple[str, str]] = {
    "ui": ("general", "Appearance"),
    "library": ("library", "Folders and names"),
    "quality": ("quality", "Video and audio quality"),
    "limits": ("downloads", "Limits"),
    "schedule": ("downloads", "Schedule"),
    "risk": ("downloads", "Risk control"),
    "net": ("network", "Connection"),
    "ffmpeg": ("network", "External programs"),
    "bilibili": ("network", "Bilibili hosts"),
    "notify": ("notify", "Messages"),
    "playback": ("playback", "Player"),
    "player": ("playback", "Player"),
    "proxy": ("playback", "Stream proxy"),
    "danmaku": ("playback", "Danmaku"),
    "servers": ("playback", "Media servers"),
    "torrent": ("torrents", "Connection"),
    "llm": ("notes", "LLM providers"),
    "notes": ("notes", "Notes"),
}


def section_title(key: str) -> str:
    return next((s.title for s in SECTIONS if s.key == key), key.replace("_", " ").capitalize())


@dataclass(frozen=True)
class Setting:
    key: str
    kind: type  # str, int, float, bool or list (of str)
    default: Any
    doc: str
    choices: tuple[str, ...] = ()  # in the order the window offers them
    minimum: float | None = None
    check: Callable[[Any], None] | None = None
    maximum: float | None = None
    # How the Settings window shows it; empty values are derived from the key.
    label: str = ""  # short name in front of the control
    section: str = ""  # a Section key; from the key's prefix (PREFIXES), else the prefix itself
    group: str = ""  # the box on the page; from the key's prefix, else the section's title
    order: int = 0  # within its group; equal orders keep the order of SETTINGS
    widget: str = ""  # one of WIDGETS: "" = chosen by kind and choices
    variables: frozenset[str] = frozenset()  # what a "template" may use
    choice_labels: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)
    advanced: bool = False  # shown on the Advanced page (hosts, rate-limit windows, …)

    def __post_init__(self) -> None:
        if self.widget not in WIDGETS:
            raise ValueError(f"{self.key}: unknown widget {self.widget!r}")
        if (self.widget == "template") != bool(self.variables):
            raise ValueError(f"{self.key}: a template, and only a template, lists its variables")
        if self.kind in (int, float) and (self.minimum is None or self.maximum is None):
            raise ValueError(f"{self.key}: a number declares its minimum and maximum")
        prefix, _, name = self.key.partition(".")
        section, group = PREFIXES.get(prefix, (prefix, ""))
        if not self.section:
            object.__setattr__(self, "section", section)
        if not self.group:
            object.__setattr__(self, "group", group or section_title(self.section))
        if not self.label:
            object.__setattr__(self, "label", name.replace("_", " ").capitalize())

    @property
    def env(self) -> str:
        return "SYNCDECK_" + self.key.upper().replace(".", "_")

    @property
    def unit(self) -> str:
        return next((unit for suffix, unit in UNITS.items() if self.key.endswith(suffix)), "")

    def allowed_range(self) -> str:
        """The allowed span in words, e.g. "between 1 and 32 s" ("" when unbounded)."""
        unit = f" {self.unit}" if self.unit else ""
        if self.minimum is not None and self.maximum is not None:
            return f"between {self.minimum:g} and {self.maximum:g}{unit}"
        if self.minimum is not None:
            return f"at least {self.minimum:g}{unit}"
        return f"at most {self.maximum:g}{unit}" if self.maximum is not None else ""

    def coerce(self, raw: Any, origin: str) -> Any:
        """Turn a TOML/env/CLI/window value into this setting's type, or explain what is wrong."""
        where = f"{origin}: {self.key}" if origin else self.key
        try:
            value = _coerce(self.kind, raw)
        except (TypeError, ValueError, OverflowError):
            allowed = f" {self.allowed_range()}" if self.allowed_range() else ""
            raise ConfigError(f"{where} must be {_kind_name(self.kind)}{allowed}, got {_shown(raw)}") from None
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and _CONTROL.search(text):
                raise ConfigError(f"{where} must not hold control characters (such as NUL or a line break), "
                                  f"got {_shown(text)}")  # fmt: skip
        if self.choices:
            items = value if isinstance(value, list) else [value]
            bad = [v for v in items if v not in self.choices]
            if bad:
                raise ConfigError(f"{where} must be one of {', '.join(self.choices)}, got {_shown(bad[0])}")
        if (self.minimum is not None and value < self.minimum) or (self.maximum is not None and value > self.maximum):
            raise ConfigError(f"{where} must be {self.allowed_range()}, got {_shown(value)}")
        try:
            if self.widget == "template":
                naming.check_template(value, self.variables)
            if self.check is not None:
                self.check(value)
        except ConfigError as exc:
            raise ConfigError(f"{where}: {_cut(str(exc), 400)}") from None
        return value


class SettingAction(NamedTuple):
    """A button shown with a setting's group that runs `await engine.<method>(arg)` and shows
    the result (or the error) under it, e.g. ("Send test", "test_notification", "webhook")."""

    label: str
    method: str
    arg: Any = None


def _kind_name(kind: type) -> str:
    return {str: "text", int: "a whole number", float: "a number", bool: "true or false", list: "a list"}[kind]


# C0 and C1 controls and DEL: a NUL breaks every path and URL, a line break splits a log line or a header.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _shown(value: Any) -> str:
    """A value as a message quotes it: repr, cut short (a pasted megabyte stays out of the terminal)."""
    return _cut(repr(value))


PATH_SHOWN = 4096  # a file's name is shown whole (a cut one hides which file is meant) up to PATH_MAX


def _cut(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _coerce(kind: type, raw: Any) -> Any:
    if kind is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise ValueError(raw)
    if kind is list:
        if isinstance(raw, list):
            return [str(v).strip() for v in raw]
        return [part.strip() for part in str(raw).split(",") if part.strip()]
    if kind is int:
        if isinstance(raw, bool | float):
            raise TypeError(raw)
        if isinstance(raw, int):
            return raw
        text = str(raw).strip()
        # ASCII digits and not thousands of them: int() takes "٣" and refuses 4,301 digits slowly.
        if not re.fullmatch(r"[+-]?[0-9]{1,30}", text):
            raise ValueError(raw)
        return int(text)
    if kind is float:
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            raise TypeError(raw)
        if isinstance(raw, str) and not raw.strip().isascii():
            raise ValueError(raw)
        value = float(raw)  # an int too large for a float raises OverflowError
        if not math.isfinite(value):  # nan compares false with every bound, inf passes a minimum
            raise ValueError(raw)
        return value
    if not isinstance(raw, str | int | float):
        raise TypeError(raw)
    return str(raw)


_HOST_NAME = re.compile(r"[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?")


def _parsed_url(value: str, schemes: tuple[str, ...], what: str) -> None:
    """Refuse what the HTTP client would refuse only when the first request goes out."""
    example = f"e.g. {schemes[0]}://host:port"
    try:
        url = urllib.parse.urlsplit(value)
        host, port = url.hostname or "", url.port  # .port raises on a port that is not 0-65535
    except ValueError as exc:  # an unclosed "[" or a bad port
        raise ConfigError(f"{_shown(value)} is not {what} ({exc}); {example}") from None
    if url.scheme.lower() not in schemes:
        raise ConfigError(
            f"{_shown(value)} is not {what}: it must start with {' or '.join(s + '://' for s in schemes)}"
        )
    if not host:
        raise ConfigError(f"{_shown(value)} names no host; {example}")
    if ":" in host:
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise ConfigError(f"{_shown(value)}: {_shown(host)} is not an IPv6 address") from None
    elif not _HOST_NAME.fullmatch(host) or len(host) > 253:
        raise ConfigError(
            f"{_shown(value)}: {_shown(host)} is not a host name (letters, digits, '-' and '.'; "
            "write international names in their xn-- form)"
        )
    if port == 0:
        raise ConfigError(f"{_shown(value)}: port 0 cannot be reached; leave the port out or give 1-65535")


def _check_url(value: str) -> None:
    _parsed_url(value, ("https", "http"), "an http(s) URL")


def _check_proxy(value: str) -> None:
    if value:
        _parsed_url(value, ("http", "https", "socks5", "socks5h"), "a proxy URL")


def _check_ca_bundle(value: str) -> None:
    if not value:
        return
    path = user_path(value)
    try:
        found = path.is_file()
    except (OSError, ValueError):  # a name too long for the file system, a NUL byte
        found = False
    if not found:
        raise ConfigError(f"file not found: {_cut(value, PATH_SHOWN)}")
    import ssl  # loaded only for a configured bundle

    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cafile=str(path))
    except (ssl.SSLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or exc
        raise ConfigError(
            f"{_cut(value, PATH_SHOWN)} holds no usable certificate ({reason}); give a PEM file of CA certificates"
        ) from None


def _check_full_path(value: str) -> None:
    if value and not user_path(value).is_absolute():
        raise ConfigError(f"give a full path (from the drive or /), not {_shown(value)}")


def _check_inside_library(value: str) -> None:
    """A full path, or a folder inside the library folder given relative to it."""
    if not value or user_path(value).is_absolute():
        return
    parts = PurePath(os.path.normpath(value)).parts
    if PurePath(value).drive or PurePath(value).root or (parts and parts[0] == ".."):
        raise ConfigError(
            f"{_shown(value)} leads outside the library folder; "
            "give a folder inside it (such as 'people') or a full path"
        )


def _check_time_format(value: str) -> None:
    if "%" not in value:
        raise ConfigError(f"{_shown(value)} has no date code; use strftime codes such as %Y-%m-%d")


def _check_codecs(value: list[str]) -> None:
    if not value:
        raise ConfigError("choose at least one codec")


NOTIFY_EVENTS = ("round", "new", "failed", "risk", "login", "notes")


def _check_optional_url(value: str) -> None:
    if value:
        _check_url(value)


def _check_addresses(value: str | list[str]) -> None:
    for address in value if isinstance(value, list) else [value] if value else []:
        if "@" not in address or any(c.isspace() for c in address):
            raise ConfigError(f"{_shown(address)} is not an email address")


def _check_provider_policies(value: list[str]) -> None:
    policies = ("auto", "prefer_proxy", "proxy_only", "direct_only")
    for entry in value:
        provider, _, policy = entry.partition("=")
        if not provider.strip() or policy.strip() not in policies:
            raise ConfigError(f"{entry!r} is not PROVIDER=POLICY with a policy of {', '.join(policies)}")


def _check_address_text(value: str) -> None:
    try:
        ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        raise ConfigError(f"{_shown(value)} is not an IP address") from None


def _check_week_schedule(value: str) -> None:
    from core.config.weekly import WeekSchedule

    WeekSchedule.parse(value)


def _check_schedule(value: str) -> None:
    Schedule.parse(value)


_VIDEO_QUALITIES = tuple(reversed(QUALITY_NAMES))  # best first, as the window offers them
_AUDIO_QUALITIES = tuple(reversed(AUDIO_NAMES))
_VIDEO_LABELS = {
    "360p": "360P", "480p": "480P", "720p": "720P", "720p60": "720P 60 fps", "1080p": "1080P",
    "1080p+": "1080P high bitrate", "1080p60": "1080P 60 fps", "4k": "4K", "hdr": "HDR",
    "dolby": "Dolby Vision", "8k": "8K",
}  # fmt: skip
_AUDIO_LABELS = {"64k": "64K", "132k": "132K", "192k": "192K", "dolby": "Dolby Atmos", "hires": "Hi-Res lossless"}
_FOLLOW_SYSTEM = "Follow the system"

# fmt: off
SETTINGS: tuple[Setting, ...] = (
    # desktop
    Setting("ui.language", str, "system", "Interface language.", choices=("system", "zh_CN", "en"),
            label="Language", choice_labels={"system": _FOLLOW_SYSTEM, "zh_CN": "简体中文", "en": "English"}),
    Setting("ui.theme", str, "system", "Colour scheme.", choices=("system", "light", "dark"),
            label="Theme", choice_labels={"system": _FOLLOW_SYSTEM, "light": "Light", "dark": "Dark"}),
    Setting("ui.close_to_tray", bool, True, "Closing the window keeps syncing in the tray.",
            label="Closing the window", group="Window and tray"),
    Setting("ui.start_minimized", bool, False, "Start hidden in the tray.",
            label="On start", group="Window and tray"),
    # library output
    Setting("library.root", str, "", "Folder that holds the library; empty = the system Videos folder/SyncDeck.",
            check=_check_full_path, label="Library folder", widget="folder"),
    Setting("library.video_name", str, "{{title}}", "Folder name of a video.",
            label="Video folder", widget="template", variables=VIDEO_FOLDER_VARIABLES),
    Setting("library.page_name", str, "{{bvid}}", "File name of a page (movie) or episode.",
            label="Video file", widget="template", variables=PAGE_FILE_VARIABLES),
    Setting("library.bangumi_name", str, "{{series_title}}", "Folder name of a bangumi.",
            label="Bangumi folder", widget="template", variables=BANGUMI_FOLDER_VARIABLES),
    Setting("library.episode_name", str, "{{series_title}}", "File name of a bangumi episode (SxxEyy is appended).",
            label="Episode file", widget="template", variables=EPISODE_FILE_VARIABLES),
    Setting("library.time_format", str, "%Y-%m-%d", "How dates in names are written (strftime codes).",
            check=_check_time_format, label="Dates in names"),
    Setting("library.split_movies_shows", bool, False,
            "Put single-part videos under Movies/ and multi-part ones under Shows/ in each source's folder, "
            "for media centers that set the content type per folder.",
            label="Movies and shows apart"),
    Setting("library.people_dir", str, "", "Folder for UP avatars and person.nfo; empty = <library root>/people.",
            check=_check_inside_library, label="People folder", widget="folder", advanced=True),
    Setting("library.danmaku", bool, True, "Write danmaku as ASS subtitles.",
            label="Danmaku", group="Extra files"),
    Setting("library.subtitles", bool, True, "Write CC subtitles as SRT.",
            label="Subtitles", group="Extra files"),
    Setting("library.ai_subtitles", bool, False, "Also write AI-generated subtitles.",
            label="AI subtitles", group="Extra files"),
    Setting("library.upper", bool, True, "Write UP avatars and person.nfo.",
            label="Uploaders", group="Extra files"),
    Setting("library.nfo_time", str, "favtime", "Date written to NFO files.", choices=("favtime", "pubtime"),
            label="NFO date", group="Extra files",
            choice_labels={"favtime": "When it was added to the list", "pubtime": "When it was published"}),
    Setting("library.delete_removed", bool, False, "Delete local files of videos removed upstream.",
            label="Removed videos", group="Extra files"),
    # streams
    Setting("quality.video_max", str, "8k", "Best video quality to take.", choices=_VIDEO_QUALITIES,
            label="Best video", choice_labels=_VIDEO_LABELS),
    Setting("quality.video_min", str, "360p", "Worst video quality to accept.", choices=_VIDEO_QUALITIES,
            label="Lowest video", choice_labels=_VIDEO_LABELS),
    Setting("quality.audio_max", str, "hires", "Best audio quality to take.", choices=_AUDIO_QUALITIES,
            label="Best audio", choice_labels=_AUDIO_LABELS),
    Setting("quality.audio_min", str, "64k", "Worst audio quality to accept.", choices=_AUDIO_QUALITIES,
            label="Lowest audio", choice_labels=_AUDIO_LABELS),
    Setting("quality.codecs", list, list(CODECS), "Codec preference, best first; codecs left out are never downloaded.",
            choices=CODECS, check=_check_codecs, label="Preferred codecs", group="Codecs",
            choice_labels={"avc": "AVC (H.264) — plays everywhere", "hevc": "HEVC (H.265) — smaller files",
                           "av1": "AV1 — smallest files, needs a recent player"}),
    Setting("quality.no_dolby_video", bool, False, "Skip Dolby Vision video.",
            label="Dolby Vision", group="Special formats"),
    Setting("quality.no_hdr", bool, False, "Skip HDR video.",
            label="HDR", group="Special formats"),
    Setting("quality.no_dolby_audio", bool, False, "Skip Dolby Atmos audio.",
            label="Dolby Atmos", group="Special formats"),
    Setting("quality.no_hires", bool, False, "Skip Hi-Res lossless audio.",
            label="Hi-Res audio", group="Special formats"),
    # limits
    Setting("limits.videos", int, 3,
            "Videos downloaded at the same time; more is faster but meets risk control sooner.",
            minimum=1, maximum=32, label="Videos at once"),
    Setting("limits.pages", int, 2, "Pages of one multi-page video downloaded at the same time.",
            minimum=1, maximum=16, label="Pages at once"),
    Setting("limits.connections", int, 4, "Connections that fetch the parts of one file at the same time.",
            minimum=1, maximum=32, label="Connections per file"),
    Setting("limits.chunk_min_mib", float, 20.0, "Split a file only if each part gets at least this many MiB.",
            minimum=0.01, maximum=4096, label="Smallest part", advanced=True),
    Setting("limits.api_calls", int, 4, "API calls allowed per window.", minimum=1, maximum=1000,
            label="API calls", group="API rate limit", advanced=True),
    Setting("limits.api_window_ms", int, 250, "Length of the API rate-limit window in ms.", minimum=1,
            maximum=60_000,
            label="API window", group="API rate limit", advanced=True),
    Setting("limits.attempts", int, 4, "Attempts per sub-task before giving up (1-4).", minimum=1, maximum=4,
            label="Attempts", advanced=True),
    # schedule and risk control
    Setting("schedule.every", str, "1200", "Seconds between rounds (at least 60), or a cron expression.",
            check=_check_schedule, label="Sync every", widget="schedule"),
    Setting("risk.cooldown_s", int, 600, "First cool-down after risk control, in seconds.", minimum=1,
            maximum=7 * 86400,
            label="First cool-down", advanced=True),
    Setting("risk.cooldown_max_s", int, 6 * 3600, "Longest cool-down, in seconds.", minimum=1,
            maximum=7 * 86400,
            label="Longest cool-down", advanced=True),
    Setting("risk.removal_check_h", float, 24.0, "Hours between checks for videos removed upstream.", minimum=0,
            maximum=24 * 365,
            label="Removal checks", advanced=True),
    # playback (playlists, players, the stream proxy, media servers): add new settings below this line
    Setting("proxy.policy", str, "auto",
            "When players get the local proxy's URL: auto = when the stream needs headers (Referer, cookies, "
            "tokens), prefer_proxy = whenever it can, proxy_only = always, direct_only = never.",
            choices=("auto", "prefer_proxy", "proxy_only", "direct_only"), label="Stream proxy",
            choice_labels={"auto": "When the stream needs it", "prefer_proxy": "Prefer the proxy",
                           "proxy_only": "Always through the proxy", "direct_only": "Never"}),
    Setting("proxy.provider_policies", list, [],
            "Per-provider policy overriding proxy.policy, as PROVIDER=POLICY (e.g. bilibili=proxy_only).",
            check=_check_provider_policies, label="Per provider", advanced=True),
    Setting("proxy.port", int, 0, "Port of the local stream proxy on 127.0.0.1; 0 = any free port.",
            minimum=0, maximum=65535, label="Proxy port", advanced=True),
    Setting("player.external_command", str, "",
            "External player command ({url} is replaced by the stream; without it the URL is appended); "
            "empty = the first of mpv, VLC, IINA, PotPlayer found.", label="External player"),
    Setting("player.subtitle_format", str, "ass", "Subtitle format handed to players (ASS keeps styles).",
            choices=("ass", "srt", "vtt"), label="Subtitle format"),
    Setting("danmaku.enabled", bool, True, "Show danmaku as an overlay track while playing.",
            label="Danmaku overlay"),
    Setting("danmaku.density", float, 0.5, "Share of the picture height danmaku may cover (0.1-1).",
            minimum=0.1, maximum=1.0, label="Density"),
    Setting("danmaku.opacity", float, 0.8, "Opacity of danmaku text (0.1-1).", minimum=0.1, maximum=1.0,
            label="Opacity"),
    # network
    Setting("net.proxy", str, "", "Proxy URL; empty = HTTP(S)_PROXY/ALL_PROXY from the environment.",
            check=_check_proxy, label="Proxy"),
    Setting("net.ca_bundle", str, "",
            "CA bundle (PEM) to trust instead of the system store; empty = SSL_CERT_FILE or the system store.",
            check=_check_ca_bundle, label="CA certificates", widget="file"),
    Setting("net.timeout_s", float, 10.0, "How long to wait for a server to answer, in seconds.",
            minimum=0.1, maximum=600, label="Timeout"),
    Setting("ffmpeg.path", str, "", "ffmpeg binary (a path or a name on PATH); empty = the bundled one.",
            label="ffmpeg", widget="file", advanced=True),
    # BitTorrent: add new settings below this line
    Setting("torrent.path", str, "", "Folder new torrents download into; empty = <library root>/Torrents.",
            check=_check_full_path, label="Download folder", widget="folder", group="Downloads", order=-10),
    Setting("torrent.listen_port", int, 6881, "Port other peers connect to; 0 = any free port.",
            minimum=0, maximum=65535, label="Listening port"),
    Setting("torrent.interface", str, "0.0.0.0", "Address to listen on (0.0.0.0 = every network).",
            check=_check_address_text, label="Listen address", advanced=True),
    Setting("torrent.dht", bool, True, "Find peers through the DHT (torrents without trackers need it).",
            label="DHT"),
    Setting("torrent.pex", bool, True, "Exchange peer lists with connected peers (PEX).", label="Peer exchange"),
    Setting("torrent.lsd", bool, True, "Find peers on the local network (LSD).", label="Local discovery"),
    Setting("torrent.utp", bool, True, "Also connect over uTP, not only TCP.", label="uTP"),
    Setting("torrent.encryption", str, "prefer", "Peer connection encryption.", choices=("prefer", "require", "off"),
            label="Encryption",
            choice_labels={"prefer": "Prefer encrypted", "require": "Require encryption", "off": "Off"}),
    Setting("torrent.max_connections", int, 200, "Peer connections at most, over all torrents.",
            minimum=2, maximum=65535, label="Max connections"),
    Setting("torrent.multiple_per_ip", bool, False, "Allow several connections from one IP address.",
            label="Several peers per address", advanced=True),
    Setting("torrent.use_proxy", bool, True, "Connect to peers through the proxy of the Network page (SOCKS5 or HTTP).",
            label="Peers through the proxy"),
    Setting("torrent.ip_filter", str, "", "IP filter file (eMule .dat or P2P/PeerGuardian format); empty = none.",
            label="IP filter", widget="file"),
    Setting("torrent.down_kib", int, 0, "Download speed limit over all torrents, KiB/s; 0 = none.",
            minimum=0, maximum=10_000_000, label="Download limit", group="Speed"),
    Setting("torrent.up_kib", int, 0, "Upload speed limit over all torrents, KiB/s; 0 = none.",
            minimum=0, maximum=10_000_000, label="Upload limit", group="Speed"),
    Setting("torrent.alt_down_kib", int, 1024, "Alternative download limit, KiB/s; 0 = none.",
            minimum=0, maximum=10_000_000, label="Alternative download limit", group="Speed"),
    Setting("torrent.alt_up_kib", int, 256, "Alternative upload limit, KiB/s; 0 = none.",
            minimum=0, maximum=10_000_000, label="Alternative upload limit", group="Speed"),
    Setting("torrent.alt_enabled", bool, False, "Use the alternative limits now (the tray menu switches this).",
            label="Alternative limits on", group="Speed"),
    Setting("torrent.alt_schedule", str, "",
            "When the alternative limits apply by themselves, e.g. 'mon-fri 08:00-18:00; sat,sun 00:00-24:00'; "
            "empty = only when switched on.", check=_check_week_schedule, label="Alternative limits from",
            group="Speed"),
    Setting("torrent.lan_unlimited", bool, True, "Peers on the local network are not held to the limits.",
            label="LAN unlimited", group="Speed"),
    Setting("torrent.max_active_downloads", int, 3, "Torrents downloading at the same time; the rest wait queued.",
            minimum=1, maximum=1000, label="Active downloads", group="Queue"),
    Setting("torrent.max_active_uploads", int, 5, "Torrents seeding at the same time.",
            minimum=1, maximum=1000, label="Active uploads", group="Queue"),
    Setting("torrent.ratio_limit", float, 0.0, "Stop seeding at this upload/download ratio; 0 = no limit.",
            minimum=0, maximum=1000, label="Seed until ratio", group="Queue"),
    Setting("torrent.seed_time_h", float, 0.0, "Stop seeding after this many hours; 0 = no limit.",
            minimum=0, maximum=100_000, label="Seed for", group="Queue"),
    Setting("torrent.seed_limit_action", str, "pause", "What happens at a seeding limit.",
            choices=("pause", "remove"), label="At the limit", group="Queue",
            choice_labels={"pause": "Pause the torrent", "remove": "Remove it (files kept)"}),
    Setting("torrent.stall_s", int, 300,
            "`syncdeck sync` gives up on a torrent that made no progress for this long, in seconds.",
            minimum=5, maximum=7 * 86400, label="Stall time", group="Queue"),
    Setting("torrent.watch_after", str, "move", "What happens to a .torrent file a watched folder added.",
            choices=("move", "delete"), label="Added files", group="Downloads",
            choice_labels={"move": "Move into the .added folder", "delete": "Delete"}),
    # Bilibili hosts (for mirrors, reverse proxies and tests)
    Setting("bilibili.api_host", str, "https://api.bilibili.com",
            "Where the Bilibili API is reached; change only for a mirror, a reverse proxy or tests.",
            check=_check_url, label="API", advanced=True),
    Setting("bilibili.passport_host", str, "https://passport.bilibili.com",
            "Where logins (QR codes, cookie checks) go.", check=_check_url, label="Login", advanced=True),
    Setting("bilibili.www_host", str, "https://www.bilibili.com",
            "Where web pages behind links are read.", check=_check_url, label="Web", advanced=True),
    Setting("bilibili.comment_host", str, "https://comment.bilibili.com",
            "Where danmaku are fetched.", check=_check_url, label="Danmaku", advanced=True),
    Setting("bilibili.b23_host", str, "https://b23.tv",
            "Where b23.tv short links are resolved.", check=_check_url, label="Short links", advanced=True),
    # LLM providers and notes: add new settings below this line
    Setting("llm.models_refresh_h", float, 24.0,
            "Hours between fetches of each LLM account's model list while SyncDeck runs; 0 = only on request.",
            minimum=0, maximum=24 * 30, label="Refresh model lists"),
    Setting("llm.timeout_s", float, 120.0, "How long to wait for an LLM server to answer, in seconds.",
            minimum=1, maximum=3600, label="Answer timeout", advanced=True),
    Setting("llm.retries", int, 3, "Further attempts after a per-minute rate limit, a 5xx or a dropped connection.",
            minimum=0, maximum=10, label="Retries", advanced=True),
    Setting("llm.max_wait_s", float, 120.0,
            "Longest wait a per-minute rate limit may ask for (Retry-After, retryDelay) before the call fails.",
            minimum=0, maximum=3600, label="Longest rate-limit wait", advanced=True),
    Setting("llm.disable_errors", int, 5,
            "Errors of one model within the window below that set it aside until a health check passes; 0 = never.",
            minimum=0, maximum=1000, label="Set a model aside after"),
    Setting("llm.disable_window_s", int, 600, "The window those errors are counted in, in seconds.",
            minimum=1, maximum=7 * 86400, label="Error window", advanced=True),
    Setting("llm.health_history", int, 20, "Health checks kept per model.",
            minimum=1, maximum=1000, label="Health history", advanced=True),
    Setting("llm.gemini_poll_s", float, 5.0, "Seconds between reads of an uploaded video's state (Gemini).",
            minimum=0.01, maximum=60, label="Upload poll", advanced=True),
    Setting("llm.hooks", bool, True,
            "Load hooks from Python packages (entry points `syncdeck.hooks`) and from the plugins folder "
            "of the data folder.", label="Hooks", advanced=True),
    Setting("notes.template", str, "summary_report",
            "Note template: a name (`syncdeck notes templates`) or a template file.", label="Template"),
    Setting("notes.llm", str, "", "LLM account that writes notes; empty = the first account.", label="LLM account"),
    Setting("notes.model", str, "", "Model of that account; empty = the account's default model.", label="Model"),
    Setting("notes.formats", list, ["md"], "Files written for each note.", choices=("md", "json", "html"),
            label="Formats", choice_labels={"md": "Markdown", "json": "JSON", "html": "HTML"}),
    Setting("notes.out_dir", str, "", "Folder for notes; empty = next to each video.",
            label="Folder", widget="folder"),
    Setting("notes.language", str, "ui", "Language of the notes.", choices=("ui", "zh_CN", "en"),
            label="Language", choice_labels={"ui": "The interface language", "zh_CN": "简体中文", "en": "English"}),
    Setting("notes.workers", int, 2, "Videos turned into notes at the same time.", minimum=1, maximum=8,
            label="Workers"),
    Setting("notes.frames", int, 0, "Key frames added to each note as images (0 = none).", minimum=0, maximum=20,
            label="Key frames"),
    Setting("notes.piece_min", float, 20.0, "Long videos are read in pieces of this many minutes.",
            minimum=1, maximum=240, label="Piece length", advanced=True),
    Setting("notes.attempts", int, 4, "Tries per video when the network or the provider fails for a while.",
            minimum=1, maximum=10, label="Attempts", advanced=True),
    Setting("notes.retry_wait_s", float, 2.0, "Seconds before the first new try; doubled each time.",
            minimum=0, maximum=600, label="Retry wait", advanced=True),
    # notifications; the Telegram bot token and the SMTP password live in the keyring (`syncdeck notify secret`)
    Setting("notify.events", list, ["new", "failed", "risk", "login", "notes"],
            "What sends a message: round (every round, even one that found nothing), new (new videos), "
            "failed (downloads that gave up), risk (risk control), login (a login expired), "
            "notes (a note batch ended).",
            choices=NOTIFY_EVENTS, label="Tell me about",
            choice_labels={"round": "Every round", "new": "New videos", "failed": "Failed downloads",
                           "risk": "Risk control", "login": "Expired logins", "notes": "Note batches"}),
    Setting("notify.batch_s", float, 10.0, "Seconds to gather events outside a round into one message.",
            minimum=0, maximum=3600, label="Gather for", advanced=True),
    Setting("notify.timeout_s", float, 15.0, "Seconds a channel gets to take a message, per attempt.",
            minimum=0.1, maximum=600, label="Send timeout", advanced=True),
    Setting("notify.retries", int, 2, "Further attempts when a channel cannot be reached.",
            minimum=0, maximum=10, label="Retries", advanced=True),
    Setting("notify.webhook.url", str, "", "Webhook that gets each message as a JSON POST; empty = off.",
            check=_check_optional_url, label="URL", group="Webhook"),
    Setting("notify.telegram.chat_id", str, "", "Telegram chat id (or @channel) to message; empty = off.",
            label="Chat", group="Telegram"),
    Setting("notify.telegram.api_base", str, "https://api.telegram.org", "Telegram Bot API address.",
            check=_check_url, label="Bot API", group="Telegram", advanced=True),
    Setting("notify.email.host", str, "", "SMTP server for email messages; empty = off.",
            label="SMTP server", group="Email"),
    Setting("notify.email.port", int, 0, "SMTP port; 0 = the usual one (25, 587 or 465 by security).",
            minimum=0, maximum=65535, label="Port", group="Email"),
    Setting("notify.email.security", str, "starttls", "SMTP connection security.",
            choices=("none", "starttls", "ssl"), label="Security", group="Email",
            choice_labels={"none": "None", "starttls": "STARTTLS", "ssl": "SSL/TLS"}),
    Setting("notify.email.user", str, "", "SMTP login name; empty = send without logging in.",
            label="Login", group="Email"),
    Setting("notify.email.from", str, "", "Sender address; empty = the login name.",
            check=_check_addresses, label="From", group="Email"),
    Setting("notify.email.to", list, [], "Recipient addresses.", check=_check_addresses, label="To", group="Email"),
)
# fmt: on

# Buttons shown with a setting's group: setting key → action (see SettingAction).
ACTIONS: dict[str, SettingAction] = {
    "notify.webhook.url": SettingAction("Send a test message", "test_notification", "webhook"),
    "notify.telegram.chat_id": SettingAction("Send a test message", "test_notification", "telegram"),
    "notify.email.host": SettingAction("Send a test message", "test_notification", "email"),
}

_BY_KEY = {s.key: s for s in SETTINGS}


def setting(key: str) -> Setting:
    try:
        return _BY_KEY[key]
    except KeyError:
        raise ConfigError(f"unknown setting {_shown(key)}; `syncdeck config show` lists every setting") from None


def check_together(values: Mapping[str, Any]) -> dict[str, str]:
    """Rules that span settings: a problem per setting to change. Values not valid on their own
    are left to `Setting.coerce`."""
    problems: dict[str, str] = {}
    for kind, names in (("video", list(QUALITY_NAMES)), ("audio", list(AUDIO_NAMES))):
        low, high = values.get(f"quality.{kind}_min"), values.get(f"quality.{kind}_max")
        if low in names and high in names and names.index(low) > names.index(high):
            problems[f"quality.{kind}_min"] = f"quality.{kind}_min is better than quality.{kind}_max"
    return problems


def translatable_texts(settings: tuple[Setting, ...] = SETTINGS) -> list[str]:
    """Every text of these settings that the window shows, for the translation catalog."""
    texts = [s.title for s in SECTIONS]
    for spec in settings:
        texts += [spec.group, spec.label, spec.doc, *spec.choice_labels.values()]
    texts += [action.label for action in ACTIONS.values()]
    return list(dict.fromkeys(texts))
