"""A real libtorrent peer in its own process, for tests and benchmarks over loopback TCP.

    python -m tests.fakes.seeder TORRENT|FOLDER_OF_TORRENTS DATA_DIR [--upload-kib N] [--leech]

Prints `PORT <n>` once it listens on 127.0.0.1, then seeds (or, with --leech, downloads into
DATA_DIR) until its stdin closes. uTP is off (slow on loopback), so is every discovery
but the .torrent's trackers.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

import libtorrent as lt


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("torrent")
    p.add_argument("data")
    p.add_argument("--upload-kib", type=int, default=0)
    p.add_argument("--leech", action="store_true")
    p.add_argument("--connect", default="", help="HOST:PORT of a peer to connect to")
    args = p.parse_args()
    ses = lt.session({
        "listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False, "enable_upnp": False,
        "enable_natpmp": False, "enable_outgoing_utp": False, "enable_incoming_utp": False,
        "allow_multiple_connections_per_ip": True, "alert_mask": lt.alert_category.error | lt.alert_category.status,
        "tick_interval": 100, "stop_tracker_timeout": 1, "upload_rate_limit": args.upload_kib * 1024,
        "unchoke_slots_limit": 500, "connections_limit": 2000, "active_seeds": 1000, "active_limit": 2000,
    })  # fmt: skip
    ses.set_peer_class_filter(_everyone_global())  # so --upload-kib holds for loopback peers too
    source = Path(args.torrent)
    for path in sorted(source.glob("*.torrent")) if source.is_dir() else [source]:
        atp = lt.load_torrent_file(str(path))
        atp.save_path = args.data
        if not args.leech:
            atp.flags |= lt.torrent_flags.seed_mode
        atp.flags &= ~(lt.torrent_flags.auto_managed | lt.torrent_flags.paused)
        h = ses.add_torrent(atp)
    if args.connect:
        host, port = args.connect.rsplit(":", 1)
        h.connect_peer((host, int(port)))
    deadline = time.monotonic() + 10
    while not ses.is_listening() and time.monotonic() < deadline:
        time.sleep(0.02)
    print(f"PORT {ses.listen_port()}", flush=True)
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    while not stop.wait(0.5):
        ses.pop_alerts()
        if args.leech and h.status().is_seeding:
            print("DONE", flush=True)
            args.leech = False


def _everyone_global() -> lt.ip_filter:
    f = lt.ip_filter()
    f.add_rule("0.0.0.0", "255.255.255.255", 1 << lt.session.global_peer_class_id)
    return f


if __name__ == "__main__":
    main()
