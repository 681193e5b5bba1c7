"""The app's `torrent.*` settings (and its proxy) as a libtorrent settings_pack dict."""

from __future__ import annotations

import urllib.parse
from datetime import datetime
from typing import Any

from core.config.weekly import WeekSchedule
from core.torrent.lt import load

USER_AGENT = "SyncDeck/1.0"
FINGERPRINT = "-SD0100-"


def alternative_active(config: Any, now: datetime | None = None) -> bool:
    """The alternative limits apply: switched on, or inside their weekly schedule."""
    if config["torrent.alt_enabled"]:
        return True
    text = config["torrent.alt_schedule"]
    return bool(text) and WeekSchedule.parse(text).active(now or datetime.now())


def rate_limits(config: Any, now: datetime | None = None) -> tuple[int, int]:
    """(download, upload) in bytes/s for the session, 0 = unlimited."""
    if alternative_active(config, now):
        return config["torrent.alt_down_kib"] * 1024, config["torrent.alt_up_kib"] * 1024
    return config["torrent.down_kib"] * 1024, config["torrent.up_kib"] * 1024


def _listen(config: Any) -> str:
    host = config["torrent.interface"]
    host = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"{host}:{config['torrent.listen_port']}"


def session_settings(config: Any) -> dict[str, Any]:
    lt = load()
    down, up = rate_limits(config)
    policy = {"prefer": lt.enc_policy.enabled, "require": lt.enc_policy.forced, "off": lt.enc_policy.disabled}
    enc = policy[config["torrent.encryption"]]
    cat = lt.alert_category
    pack: dict[str, Any] = {
        "listen_interfaces": _listen(config),
        "enable_dht": config["torrent.dht"],
        "enable_lsd": config["torrent.lsd"],
        "enable_upnp": config["torrent.interface"] in ("0.0.0.0", "::"),
        "enable_natpmp": config["torrent.interface"] in ("0.0.0.0", "::"),
        "enable_outgoing_utp": config["torrent.utp"],
        "enable_incoming_utp": config["torrent.utp"],
        "in_enc_policy": int(enc),
        "out_enc_policy": int(enc),
        "allowed_enc_level": int(lt.enc_level.both),
        "connections_limit": config["torrent.max_connections"],
        "allow_multiple_connections_per_ip": config["torrent.multiple_per_ip"],
        "download_rate_limit": down,
        "upload_rate_limit": up,
        "active_downloads": config["torrent.max_active_downloads"],
        "active_seeds": config["torrent.max_active_uploads"],
        # "max active downloads" counts every torrent, slow or not, as a person reads it
        "dont_count_slow_torrents": False,
        "active_limit": max(500, config["torrent.max_active_downloads"] + config["torrent.max_active_uploads"]),
        # seeding limits are the app's own (per-torrent checks), so libtorrent's are off
        "share_ratio_limit": 0,
        "seed_time_limit": 0,
        "alert_mask": int(
            cat.error
            | cat.status
            | cat.storage
            | cat.ip_block
            | cat.performance_warning
            | cat.tracker
            | cat.file_progress
        ),
        "user_agent": USER_AGENT,
        "peer_fingerprint": FINGERPRINT,
        "stop_tracker_timeout": 1,  # closing waits this long for trackers (pitfall 13)
        "tick_interval": 100,  # first payload byte 0.1 s after a connect, not 0.5 s
        "auto_manage_interval": 5,
    }
    pack.update(proxy_settings(config))
    return pack


def proxy_settings(config: Any) -> dict[str, Any]:
    """Peer (and tracker) connections through the app's `net.proxy`, when asked to."""
    lt = load()
    url = config["net.proxy"] if config["torrent.use_proxy"] else ""
    if not url:
        return {"proxy_type": int(lt.proxy_type_t.none)}
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    kinds = {
        "socks5": lt.proxy_type_t.socks5_pw if parts.username else lt.proxy_type_t.socks5,
        "socks5h": lt.proxy_type_t.socks5_pw if parts.username else lt.proxy_type_t.socks5,
        "socks4": lt.proxy_type_t.socks4,
        "http": lt.proxy_type_t.http_pw if parts.username else lt.proxy_type_t.http,
        "https": lt.proxy_type_t.http_pw if parts.username else lt.proxy_type_t.http,
    }
    if scheme not in kinds:
        return {"proxy_type": int(lt.proxy_type_t.none)}
    return {
        "proxy_type": int(kinds[scheme]),
        "proxy_hostname": parts.hostname or "",
        "proxy_port": parts.port or (1080 if scheme.startswith("socks") else 8080),
        "proxy_username": urllib.parse.unquote(parts.username or ""),
        "proxy_password": urllib.parse.unquote(parts.password or ""),
        "proxy_peer_connections": True,
        "proxy_tracker_connections": True,
        "proxy_hostnames": True,
    }
