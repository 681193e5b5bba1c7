"""libtorrent's status, files, trackers and peers as the service's view types and words."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path
from typing import Any

from core.engine.torrents import records
from core.engine.torrents.views import PeerView, TorrentFileView, TrackerView


def status_hash(st: Any) -> str:
    from core.torrent.parse import hash_of

    return hash_of(st.info_hashes)


def default_peer_classes(lt: Any) -> Any:
    """libtorrent's own default: local networks in the local (unthrottled) class."""
    f = lt.ip_filter()
    g, local = 1 << lt.session.global_peer_class_id, 1 << lt.session.local_peer_class_id
    f.add_rule("0.0.0.0", "255.255.255.255", g)
    for first, last in (("10.0.0.0", "10.255.255.255"), ("172.16.0.0", "172.31.255.255"),
                        ("192.168.0.0", "192.168.255.255"), ("169.254.0.0", "169.254.255.255"),
                        ("127.0.0.0", "127.255.255.255")):  # fmt: skip
        f.add_rule(first, last, local)
    f.add_rule("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", g)
    return f


def ratio(st: Any) -> float:
    down = max(int(st.all_time_download), int(st.total_wanted_done), 1)
    return float(st.all_time_upload) / down


def seconds(value: Any) -> float:
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)


def error_text(alert: Any) -> str:
    error = getattr(alert, "error", None)
    text = error.message() if error is not None and hasattr(error, "message") else alert.message()
    code = getattr(error, "value", lambda: 0)() if error is not None else 0
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "the disk is full; free some space, then resume it: nothing downloaded so far is lost"
    if code == errno.EFBIG:  # FAT32's 4 GiB, a file-size limit
        return (
            "the disk or its file system cannot hold a file this large; move the torrent to another disk "
            "(or raise the file-size limit), then resume it: nothing downloaded so far is lost"
        )
    return str(text)


def checking_states(session: Any) -> set[Any]:
    if session is None:
        return set()
    s = session.lt.torrent_status.states
    return {s.checking_files, s.checking_resume_data, s.queued_for_checking, s.allocating}


def stall_reason(st: Any, stall: float) -> str:
    if not st.has_metadata:
        why = "its metadata never arrived"
    elif st.num_peers == 0:
        why = "no peers"
    elif st.num_seeds == 0 and st.distributed_copies < 1 and st.distributed_copies >= 0:
        why = f"{st.num_peers} peers but no complete copy"
    else:
        why = f"{st.num_peers} peers sent nothing"
    return f"no progress for {stall:.0f} s ({why}) at {st.progress * 100:.1f}%"


def file_entries(ti: Any) -> list[tuple[str, int]]:
    """(path, size) by file index; pad files (hybrid torrents align files to pieces) as ("", size)."""
    import warnings

    from core.torrent.lt import load

    pad = load().file_storage.flag_pad_file
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        fs = ti.files()
        return [("" if fs.file_flags(i) & pad else fs.file_path(i), fs.file_size(i)) for i in range(fs.num_files())]


def files_of(ti: Any, progress: list[int] | None, priorities: list[int] | None) -> list[TorrentFileView]:
    return [
        TorrentFileView(i, path, size, progress[i] if progress else 0, priorities[i] if priorities else 4)
        for i, (path, size) in enumerate(file_entries(ti))
        if path
    ]


def stored_files(stored: records.Stored) -> list[TorrentFileView]:
    """Files from the stored metadata when the session is not running (`torrent show`)."""
    from core.torrent.lt import load

    lt = load()
    try:
        if stored.record.resume:
            params = lt.read_resume_data(stored.record.resume)
        elif stored.record.torrent:
            params = lt.load_torrent_buffer(stored.record.torrent)
        else:
            return []
    except (RuntimeError, ValueError):
        return []
    if params.ti is None:
        return []
    prios = list(params.file_priorities) or None
    files = files_of(params.ti, None, None)
    if prios:
        files = [TorrentFileView(f.index, f.path, f.size, f.done, prios[f.index] if f.index < len(prios) else 4)
                 for f in files]  # fmt: skip
    return files


def tracker_view(t: dict[str, Any]) -> TrackerView:
    """A tracker entry (a dict in the bindings): the best state any of its endpoints reached."""
    infos = [info for ep in t.get("endpoints") or [] for info in ep.get("info_hashes") or [ep]]
    status, message = "not contacted", t.get("message") or ""
    for info in infos:
        error = info.get("last_error") or {}
        if info.get("updating"):
            status = "updating"
        elif info.get("start_sent") or info.get("complete_sent"):
            status = "working" if status != "updating" else status
        elif error.get("value") and status == "not contacted":
            status = "error"
            message = message or _strerror(error)
        message = message or info.get("message") or ""
    return TrackerView(str(t["url"]), int(t.get("tier", 0)), status, message)


def _strerror(error: dict[str, Any]) -> str:
    import os

    value = int(error.get("value", 0))
    return os.strerror(value) if error.get("category") == "system" else f"{error.get('category')} error {value}"


def peer_view(p: Any) -> PeerView:
    ip = p.ip
    address = f"{ip[0]}:{ip[1]}" if isinstance(ip, tuple) else str(ip)
    flags = []
    if p.flags & p.seed:
        flags.append("seed")
    if p.flags & (p.rc4_encrypted | p.plaintext_encrypted):
        flags.append("encrypted")
    client = p.client.decode("utf-8", "replace") if isinstance(p.client, bytes) else str(p.client)
    speeds = float(p.payload_down_speed), float(p.payload_up_speed)
    return PeerView(address, client, *speeds, float(p.progress), " ".join(flags))


def deletefiles_of(stored: records.Stored) -> None:
    """Files of a torrent that is not loaded: its own folder or single file under its save path."""
    name = stored.task.title
    if not name or "/" in name or name in (".", ".."):
        return
    target = Path(stored.record.save_path) / name
    if target.is_dir():
        shutil.rmtree(target, ignore_errors=True)
    elif target.exists():
        target.unlink(missing_ok=True)
