"""The one declarative list of settings: defaults, types, validation and docs follow from it.

A setting's TOML location is its dotted key (`limits.videos` → `[limits] videos = 3`), its
environment variable is `SYNCDECK_` + the key in upper case with dots as underscores
(`SYNCDECK_LIMITS_VIDEOS`), and on the command line it is `--set limits.videos=3`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import ConfigError

QUALITY_NAMES = {
    "360p": 16, "480p": 32, "720p": 64, "720p60": 74, "1080p": 80, "1080p+": 112,
    "1080p60": 116, "4k": 120, "hdr": 125, "dolby": 126, "8k": 127,
}  # fmt: skip
AUDIO_NAMES = {"64k": 30216, "132k": 30232, "192k": 30280, "dolby": 30250, "hires": 30251}
CODECS = ("avc", "hevc", "av1")


@dataclass(frozen=True)
class Setting:
    key: str
    kind: type  # str, int, float, bool or list (of str)
    default: Any
    doc: str
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    check: Callable[[Any], None] | None = None

    @property
    def env(self) -> str:
        return "SYNCDECK_" + self.key.upper().replace(".", "_")

    def coerce(self, raw: Any, origin: str) -> Any:
        """Turn a TOML/env/CLI value into this setting's type, or explain what is wrong."""
        try:
            value = _coerce(self.kind, raw)
        except (TypeError, ValueError):
            raise ConfigError(f"{origin}: {self.key} must be {_kind_name(self.kind)}, got {raw!r}") from None
        if self.choices:
            items = value if isinstance(value, list) else [value]
            bad = [v for v in items if v not in self.choices]
            if bad:
                raise ConfigError(f"{origin}: {self.key} must be one of {', '.join(self.choices)}, got {bad[0]!r}")
        if self.minimum is not None and value < self.minimum:
            raise ConfigError(f"{origin}: {self.key} must be at least {self.minimum:g}, got {value!r}")
        if self.check is not None:
            try:
                self.check(value)
            except ConfigError as exc:
                raise ConfigError(f"{origin}: {self.key}: {exc}") from None
        return value


def _kind_name(kind: type) -> str:
    return {str: "text", int: "a whole number", float: "a number", bool: "true or false", list: "a list"}[kind]


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
        if isinstance(raw, bool):
            raise TypeError(raw)
        return int(str(raw).strip()) if not isinstance(raw, int) else raw
    if kind is float:
        if isinstance(raw, bool):
            raise TypeError(raw)
        return float(raw)
    if not isinstance(raw, str | int | float):
        raise TypeError(raw)
    return str(raw)


def _check_quality(value: str) -> None:
    if value not in QUALITY_NAMES:
        raise ConfigError(f"unknown quality {value!r} (one of {', '.join(QUALITY_NAMES)})")


def _check_audio(value: str) -> None:
    if value not in AUDIO_NAMES:
        raise ConfigError(f"unknown audio quality {value!r} (one of {', '.join(AUDIO_NAMES)})")


def _check_url(value: str) -> None:
    if not value.startswith(("http://", "https://")):
        raise ConfigError(f"{value!r} is not an http(s) URL")


def _check_proxy(value: str) -> None:
    if value and not value.startswith(("http://", "https://", "socks5://", "socks5h://")):
        raise ConfigError(f"{value!r} is not a proxy URL (http://, https:// or socks5://)")


def _check_file(value: str) -> None:
    if value and not Path(value).expanduser().is_file():
        raise ConfigError(f"file not found: {value}")


NOTIFY_EVENTS = ("round", "new", "failed", "risk", "login")


def _check_optional_url(value: str) -> None:
    if value:
        _check_url(value)


def _check_port(value: int) -> None:
    if value > 65535:
        raise ConfigError(f"{value} is not a port number (1-65535, or 0 for the usual one)")


def _check_addresses(value: str | list[str]) -> None:
    for address in value if isinstance(value, list) else [value] if value else []:
        if "@" not in address or any(c.isspace() for c in address):
            raise ConfigError(f"{address!r} is not an email address")


def _template_check(variables: str) -> Callable[[str], None]:
    """Each name template may use only the variables its place in the library provides."""

    def check(value: str) -> None:
        from core.library import naming

        sets = {
            "video": naming.VIDEO_VARIABLES,
            "page": naming.PAGE_VARIABLES,
            "bangumi": frozenset({"series_title"}),
            "episode": naming.BANGUMI_VARIABLES - {"ptitle", "pid", "pid_pad"},
        }
        naming.check_template(value, sets[variables])

    return check


def _check_schedule(value: str) -> None:
    from core.engine.schedule import Schedule

    Schedule.parse(value)


SETTINGS: tuple[Setting, ...] = (
    # library output
    Setting("library.root", str, "", "Folder that holds the library; empty = the system Videos folder/SyncDeck."),
    Setting("library.video_name", str, "{{title}}", "Folder name of a video.", check=_template_check("video")),
    Setting(
        "library.page_name", str, "{{bvid}}", "File name of a page (movie) or episode.", check=_template_check("page")
    ),
    Setting(
        "library.bangumi_name", str, "{{series_title}}", "Folder name of a bangumi.", check=_template_check("bangumi")
    ),
    Setting(
        "library.episode_name",
        str,
        "{{series_title}}",
        "File name of a bangumi episode (SxxEyy is appended).",
        check=_template_check("episode"),
    ),  # fmt: skip
    Setting("library.time_format", str, "%Y-%m-%d", "strftime format for time variables in names."),
    Setting("library.nfo_time", str, "favtime", "Date written to NFO files.", choices=("favtime", "pubtime")),
    Setting("library.people_dir", str, "", "Folder for UP avatars and person.nfo; empty = <library root>/people."),
    Setting("library.delete_removed", bool, False, "Delete local files of videos removed upstream."),
    Setting("library.danmaku", bool, True, "Write danmaku as ASS subtitles."),
    Setting("library.subtitles", bool, True, "Write CC subtitles as SRT."),
    Setting("library.ai_subtitles", bool, False, "Also write AI-generated subtitles."),
    Setting("library.upper", bool, True, "Write UP avatars and person.nfo."),
    # streams
    Setting("quality.video_max", str, "8k", "Best video quality to take.", check=_check_quality),
    Setting("quality.video_min", str, "360p", "Worst video quality to accept.", check=_check_quality),
    Setting("quality.audio_max", str, "hires", "Best audio quality to take.", check=_check_audio),
    Setting("quality.audio_min", str, "64k", "Worst audio quality to accept.", check=_check_audio),
    Setting("quality.codecs", list, list(CODECS), "Codec preference, best first.", choices=CODECS),
    Setting("quality.no_dolby_video", bool, False, "Skip Dolby Vision video."),
    Setting("quality.no_dolby_audio", bool, False, "Skip Dolby Atmos audio."),
    Setting("quality.no_hdr", bool, False, "Skip HDR video."),
    Setting("quality.no_hires", bool, False, "Skip Hi-Res lossless audio."),
    # limits
    Setting("limits.videos", int, 3, "Videos downloaded at once.", minimum=1),
    Setting("limits.pages", int, 2, "Pages of one video downloaded at once.", minimum=1),
    Setting("limits.connections", int, 4, "Connections per file.", minimum=1),
    Setting(
        "limits.chunk_min_mib",
        float,
        20.0,
        "Split a file only if each part gets at least this many MiB.",
        minimum=0.01,
    ),  # fmt: skip
    Setting("limits.api_calls", int, 4, "API calls allowed per window.", minimum=1),
    Setting("limits.api_window_ms", int, 250, "Length of the API rate-limit window in ms.", minimum=1),
    Setting("limits.attempts", int, 4, "Attempts per sub-task before giving up (1-4).", minimum=1),
    # schedule and risk control
    Setting("schedule.every", str, "1200", "Seconds between rounds, or a cron expression.", check=_check_schedule),
    Setting("risk.cooldown_s", int, 600, "First cool-down after risk control, in seconds.", minimum=1),
    Setting("risk.cooldown_max_s", int, 6 * 3600, "Longest cool-down, in seconds.", minimum=1),
    Setting("risk.removal_check_h", float, 24.0, "Hours between checks for videos removed upstream.", minimum=0),
    # network
    Setting(
        "net.proxy",
        str,
        "",
        "Proxy URL; empty = HTTP(S)_PROXY/ALL_PROXY from the environment.",
        check=_check_proxy,
    ),  # fmt: skip
    Setting(
        "net.ca_bundle",
        str,
        "",
        "CA bundle (PEM) to trust instead of the system store; empty = SSL_CERT_FILE or the system store.",
        check=_check_file,
    ),  # fmt: skip
    Setting("net.timeout_s", float, 10.0, "Network timeout in seconds.", minimum=0.1),
    Setting("ffmpeg.path", str, "", "ffmpeg binary; empty = the bundled one."),
    # Bilibili hosts (for mirrors, reverse proxies and tests)
    Setting("bilibili.api_host", str, "https://api.bilibili.com", "API host.", check=_check_url),
    Setting("bilibili.passport_host", str, "https://passport.bilibili.com", "Login host.", check=_check_url),
    Setting("bilibili.www_host", str, "https://www.bilibili.com", "Web host.", check=_check_url),
    Setting("bilibili.comment_host", str, "https://comment.bilibili.com", "Danmaku host.", check=_check_url),
    Setting("bilibili.b23_host", str, "https://b23.tv", "Short-link host.", check=_check_url),
    # desktop
    Setting("ui.language", str, "system", "Interface language.", choices=("system", "zh_CN", "en")),
    Setting("ui.theme", str, "system", "Colour scheme.", choices=("system", "light", "dark")),
    Setting("ui.close_to_tray", bool, True, "Closing the window keeps syncing in the tray."),
    Setting("ui.start_minimized", bool, False, "Start hidden in the tray."),
    # notifications; the Telegram bot token and the SMTP password live in the keyring (`syncdeck notify secret`)
    Setting(
        "notify.events",
        list,
        ["new", "failed", "risk", "login"],
        "What sends a message: round (every round, even one that found nothing), new (new videos), "
        "failed (downloads that gave up), risk (risk control), login (a login expired).",
        choices=NOTIFY_EVENTS,
    ),
    Setting("notify.batch_s", float, 10.0, "Seconds to gather events outside a round into one message.", minimum=0),
    Setting("notify.timeout_s", float, 15.0, "Seconds a channel gets to take a message, per attempt.", minimum=0.1),
    Setting("notify.retries", int, 2, "Further attempts when a channel cannot be reached.", minimum=0),
    Setting(
        "notify.webhook.url",
        str,
        "",
        "Webhook that gets each message as a JSON POST; empty = off.",
        check=_check_optional_url,
    ),
    Setting("notify.telegram.chat_id", str, "", "Telegram chat id (or @channel) to message; empty = off."),
    Setting("notify.telegram.api_base", str, "https://api.telegram.org", "Telegram Bot API address.", check=_check_url),
    Setting("notify.email.host", str, "", "SMTP server for email messages; empty = off."),
    Setting(
        "notify.email.port",
        int,
        0,
        "SMTP port; 0 = the usual one (25, 587 or 465 by security).",
        minimum=0,
        check=_check_port,
    ),
    Setting("notify.email.security", str, "starttls", "SMTP connection security.", choices=("none", "starttls", "ssl")),
    Setting("notify.email.user", str, "", "SMTP login name; empty = send without logging in."),
    Setting("notify.email.from", str, "", "Sender address; empty = the login name.", check=_check_addresses),
    Setting("notify.email.to", list, [], "Recipient addresses.", check=_check_addresses),
)

_BY_KEY = {s.key: s for s in SETTINGS}


def setting(key: str) -> Setting:
    try:
        return _BY_KEY[key]
    except KeyError:
        raise ConfigError(f"unknown setting {key!r}") from None
