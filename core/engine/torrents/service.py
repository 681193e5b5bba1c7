"""BitTorrent: one libtorrent session, torrents as tasks, resume data, seeding limits.

The service is built with every engine and stays idle (no libtorrent import) until a torrent
is touched or the engine runs torrents (`start`). Then it owns one session in this process
(core.torrent.session), restores every stored torrent from its resume data without a
recheck, and keeps the database in step with what libtorrent reports through alerts.

A torrent is a task (kind "torrent") so the Tasks panel and `syncdeck task …` see it; its
own state (the .torrent or magnet, resume data, options) is a TorrentRecord. A torrent
counts as complete only once its data is flushed to disk (libtorrent 2.1 keeps a write
buffer: `torrent_finished_alert` alone is not enough).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.config.paths import user_path
from core.engine.feature import FeatureService
from core.engine.torrents import convert, records
from core.engine.torrents.views import (
    RunOutcome,
    SessionRates,
    TorrentDetail,
    TorrentPreview,
    TorrentProgress,
    TorrentView,
)
from core.errors import ConfigError, TorrentError
from core.events import SourceScanned, StateChanged, TaskAdded, TaskFinished
from core.tasks import states
from core.torrent.lt import available as lt_available

if TYPE_CHECKING:
    from core.events import Event
    from core.torrent.parse import Parsed
    from core.torrent.session import TorrentSession
    from core.torrent.stream import TorrentFileSource

log = logging.getLogger(__name__)

RESUME_EVERY_S = 2.0  # how often changed resume data is saved: a kill -9 loses at most this much
PROGRESS_EVERY_S = 2.0  # bytes written to the task rows (the Tasks panel, `task list`)
MAX_TORRENT_BYTES = 20 * 2**20
MAX_FILES = 100_000  # files of a magnet chosen before its metadata: the list covers this many
ACTIVITY = {
    "queued_for_checking": "checking", "checking_files": "checking", "checking_resume_data": "checking",
    "downloading_metadata": "metadata", "downloading": "downloading", "finished": "finished",
    "seeding": "seeding", "allocating": "allocating",
}  # fmt: skip


class TorrentService(FeatureService):
    """Built with every engine, so it must be cheap: heavy imports and work start on first use."""

    def __init__(self, *parts: Any) -> None:
        super().__init__(*parts)
        self.session: TorrentSession | None = None
        # Set by the window and `syncdeck daemon`: this engine keeps running, so added torrents
        # download here in the background (a one-off command downloads in the foreground).
        self.keeps_running = False
        self._starting: asyncio.Lock | None = None
        self._handles: dict[int, Any] = {}  # task id → torrent_handle
        self._task_of: dict[str, int] = {}  # info hash → task id
        self._status: dict[int, Any] = {}  # task id → latest torrent_status
        self._complete: set[int] = set()  # flushed to disk and recorded
        self._finishing: set[int] = set()
        self._errors: dict[int, str] = {}
        self._row_stopped: dict[int, bool] = {}  # the task row's paused/cancelled flag as last seen
        self._hints: dict[int, list[tuple[str, int]]] = {}  # peer hints (x.pe) of magnets
        self._wanted_files: dict[int, list[int]] = {}  # magnets: files chosen before the metadata came
        self._paused: set[int] = set()  # stopped by the user (or a seeding limit)
        self._background: set[asyncio.Task[Any]] = set()
        self._adopting: set[asyncio.Task[Any]] = set()
        self._resume_at = 0.0
        self._progress_at = 0.0
        self._alt = False
        self._settings_mtime: Any = None
        self._unsubscribe = self.bus.subscribe(self._on_event)
        provider = next((p for p in self.registry.all() if p.name == "torrent"), None)
        if provider is not None and hasattr(provider, "bind_files"):
            provider.bind_files(self.describe_file)  # names what `torrent:TASK/FILE` points at

    # ------------------------------------------------------------ life cycle

    @property
    def started(self) -> bool:
        return self.session is not None

    async def start(self) -> None:
        """Open the session and restore every stored torrent (idempotent)."""
        if self.session is not None:
            return
        if self._starting is None:
            self._starting = asyncio.Lock()
        async with self._starting:
            if self.session is not None:
                return
            from core.torrent.session import TorrentSession
            from core.torrent.settings import alternative_active, session_settings

            settings = session_settings(self.config)
            self._alt = alternative_active(self.config)
            state_file = self.config.data_dir / "torrent-session.dat"
            state = await asyncio.to_thread(_read_or_empty, state_file)
            session = TorrentSession(settings, self._on_alert, state)
            self._apply_ip_filter(session)
            self._apply_peer_classes(session)
            session.start()
            self.session = session
            stored = await self.db.run(records.all_stored)
            began = time.monotonic()
            for item in stored:
                try:
                    self._restore(item)
                except TorrentError as exc:
                    log.warning("torrent #%s could not be restored: %s", item.task.id, exc)
                    self._errors[item.task.id or 0] = str(exc)
            if stored:
                log.info("%d torrents restored in %.2f s", len(stored), time.monotonic() - began)
            self._spawn(self._housekeeping())

    async def start_if_stored(self) -> None:
        """The window and the daemon: seed and download what is stored; no session without torrents."""
        self.keeps_running = True
        if await self.db.run(records.count) and lt_available():
            await self.start()

    async def close(self) -> None:
        self._unsubscribe()
        for task in list(self._background):
            task.cancel()
        session, self.session = self.session, None
        if session is None:
            return
        state = await session.close(lambda: self._save_all_resume(session))
        if state:
            path = self.config.data_dir / "torrent-session.dat"
            await asyncio.to_thread(_write_quietly, path, state)

    async def _save_all_resume(self, session: TorrentSession) -> None:
        """Shutdown: resume data of every torrent that changed, awaited (pitfall 13's order)."""
        lt = session.lt
        waits = []
        for task_id, h in self._handles.items():
            if h.is_valid() and h.need_save_resume_data():
                waits.append(self._request_resume(session, task_id, h))
        if waits:
            try:
                await asyncio.wait_for(asyncio.gather(*waits, return_exceptions=True), 10)
            except TimeoutError:
                log.warning("some torrents' resume data was not saved in time")
        del lt

    def _spawn(self, coro: Any) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        task.add_done_callback(_log_failure)
        return task

    async def _session(self) -> TorrentSession:
        await self.start()
        assert self.session is not None
        return self.session

    # ------------------------------------------------------------ settings

    def _apply_ip_filter(self, session: TorrentSession) -> None:
        path = self.config["torrent.ip_filter"]
        if not path:
            session.ses.set_ip_filter(session.lt.ip_filter())
            return
        from core.torrent.ipfilter import parse_file, to_libtorrent

        try:
            parsed = parse_file(user_path(path))
        except TorrentError as exc:
            log.warning("%s", exc)
            return
        session.ses.set_ip_filter(to_libtorrent(parsed.ranges))
        log.info("IP filter: %d ranges blocked (%d lines skipped)", len(parsed.ranges), parsed.skipped)

    def _apply_peer_classes(self, session: TorrentSession) -> None:
        """With "LAN unlimited" off, local and loopback peers count against the limits too
        (libtorrent exempts them by default: pitfall 4)."""
        lt = session.lt
        f = lt.ip_filter()
        if not self.config["torrent.lan_unlimited"]:
            f.add_rule("0.0.0.0", "255.255.255.255", 1 << lt.session.global_peer_class_id)
            f.add_rule("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1 << lt.session.global_peer_class_id)
            session.ses.set_peer_class_filter(f)
        else:
            session.ses.set_peer_class_filter(convert.default_peer_classes(lt))

    def reload_settings(self) -> None:
        """Settings changed (Settings window, `config set`): hand them to the session."""
        if self.session is None:
            return
        from core.torrent.settings import alternative_active, session_settings

        self._alt = alternative_active(self.config)
        self.session.apply(session_settings(self.config))
        self._apply_ip_filter(self.session)
        self._apply_peer_classes(self.session)

    @property
    def alternative_limits(self) -> bool:
        from core.torrent.settings import alternative_active

        return alternative_active(self.config)

    # ------------------------------------------------------------ adding

    def default_path(self) -> Path:
        folder = self.config["torrent.path"]
        return user_path(folder) if folder else self.config.library_root / "Torrents"

    async def parse(self, text: str) -> Parsed:
        """A magnet, a path to a .torrent, or an http(s) URL of one, parsed (no session needed)."""
        from core.torrent import parse

        text = text.strip()
        if not text:
            raise TorrentError("nothing was given: a .torrent file, a magnet link or a URL")
        if parse.is_magnet(text):
            return parse.parse_magnet(text)
        if parse.is_url(text):
            data, magnet = await self._fetch(text)
            if magnet:
                return parse.parse_magnet(magnet)
            return parse.parse_torrent_bytes(data, text)
        path = user_path(text)
        if not path.exists():
            raise TorrentError(f"{text!r} is neither a .torrent file, a magnet link nor an http(s) URL")
        if path.is_dir():
            raise TorrentError(f"{path} is a folder, not a .torrent file")
        return await asyncio.to_thread(parse.parse_torrent_file, path)

    async def _fetch(self, url: str) -> tuple[bytes, str]:
        """The .torrent behind a URL, or the magnet link it redirects to."""
        import httpx

        from core.net.client import make_client, net_options

        try:
            async with make_client(net_options(self.config), follow_redirects=False) as client:
                for _ in range(8):
                    response = await client.get(url)
                    if response.is_redirect:
                        location = response.headers.get("location", "")
                        if location.lower().startswith("magnet:"):
                            return b"", location
                        url = str(response.url.join(location))
                        continue
                    if response.status_code >= 400:
                        raise TorrentError(f"cannot download the .torrent from {url}: HTTP {response.status_code}")
                    if len(response.content) > MAX_TORRENT_BYTES:
                        raise TorrentError(f"{url} is too large to be a .torrent file")
                    return response.content, ""
        except httpx.HTTPError as exc:
            raise TorrentError(f"cannot download the .torrent from {url}: {exc or type(exc).__name__}") from None
        raise TorrentError(f"cannot download the .torrent from {url}: too many redirects")

    async def preview(self, text: str) -> TorrentPreview:
        """Name, size and files of a .torrent (or what a magnet already says), nothing added."""
        parsed = await self.parse(text)
        ti = parsed.params.ti
        if ti is None:
            return TorrentPreview(parsed.name, parsed.info_hash, 0, [], False)
        return TorrentPreview(parsed.name, parsed.info_hash, ti.total_size(), convert.files_of(ti, None, None), True)

    async def add(
        self, text: str, *, path: str | Path | None = None, files: Sequence[int] | None = None,
        sequential: bool = False, paused: bool = False, source_id: int | None = None,
        start: bool = True,
    ) -> TorrentView:  # fmt: skip
        """Add a torrent from a .torrent path, a magnet link or a URL. `files`: the indexes to
        download (all when None; for a magnet they apply once the metadata arrived).
        `start=False` only records it (the next `sync` or daemon downloads it)."""
        parsed = await self.parse(text)
        return await self.add_parsed(parsed, path=path, files=files, sequential=sequential, paused=paused,
                                     source_id=source_id, start=start)  # fmt: skip

    async def add_parsed(
        self, parsed: Parsed, *, path: str | Path | None = None, files: Sequence[int] | None = None,
        sequential: bool = False, paused: bool = False, source_id: int | None = None, start: bool = True,
    ) -> TorrentView:  # fmt: skip
        existing = await self.db.run(records.by_hash, parsed.info_hash)
        if existing is not None:
            raise TorrentError(f"this torrent is already added as #{existing.task_id} ({parsed.name})")
        ti = parsed.params.ti
        if files is not None and ti is not None:
            bad = [i for i in files if not 0 <= i < ti.num_files()]
            if bad:
                raise ConfigError(f"the torrent has files 0-{ti.num_files() - 1}; there is no file {bad[0]}")
        folder = user_path(str(path)) if path else self.default_path()
        try:
            await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
        except OSError as exc:
            raise TorrentError(f"cannot create the download folder {folder}: {exc.strerror or exc}") from None
        options = {"sequential": sequential, "files": list(files) if files is not None else None,
                   "peers": _peer_hints(parsed.magnet)}  # fmt: skip
        size = ti.total_size() if ti is not None else 0
        stored = await self.db.run(
            records.add, info_hash=parsed.info_hash, name=parsed.name, save_path=str(folder.resolve()),
            magnet=parsed.magnet, torrent=parsed.torrent, options=options, paused=paused, size=size,
            source_id=source_id,
        )  # fmt: skip
        task_id = stored.task.id or 0
        log.info("torrent #%s added: %s (%s) → %s", task_id, parsed.name, parsed.info_hash, folder)
        self.bus.publish(TaskAdded(task_id, source_id, records.KIND, parsed.name))
        self.bus.publish(StateChanged("tasks", (task_id,)))
        if start or self.session is not None:
            await self.start()
            if task_id not in self._handles:
                self._restore(stored)
        return await self.view(task_id)

    def _restore(self, item: records.Stored) -> None:
        """Hand a stored torrent to the session: from its resume data when it has one (no
        recheck), else from its .torrent or magnet."""
        assert self.session is not None
        lt = self.session.lt
        task, record = item.task, item.record
        task_id = task.id or 0
        options = item.options
        params = None
        if record.resume:
            try:
                params = lt.read_resume_data(record.resume)
            except (RuntimeError, ValueError) as exc:
                log.warning("torrent #%s: resume data unusable (%s); checking its files instead", task_id, exc)
        fresh = params is None
        if params is None:
            from core.torrent import parse

            parsed = parse.parse_torrent_bytes(record.torrent) if record.torrent else parse.parse_magnet(record.magnet)
            params = parsed.params
        params.save_path = record.save_path
        wanted = options.get("files")
        flags = params.flags
        if fresh:
            if options.get("sequential"):
                flags |= lt.torrent_flags.sequential_download
            if wanted is not None:
                ti = params.ti
                if ti is not None:
                    params.file_priorities = [4 if i in wanted else 0 for i in range(ti.num_files())]
                else:
                    # A magnet: libtorrent applies these once the metadata arrives, cut to the
                    # real number of files. Not default_dont_download (pitfall 10's way): with
                    # nothing wanted the torrent counts as finished and drops its peers, which
                    # it then does not call again for a minute.
                    params.file_priorities = [4 if i in wanted else 0 for i in range(MAX_FILES)]
                    self._wanted_files[task_id] = list(wanted)
            if options.get("down_limit"):
                params.download_limit = int(options["down_limit"])
            if options.get("up_limit"):
                params.upload_limit = int(options["up_limit"])
        # The task row decides paused or not; the resume blob may say otherwise (pitfall 3).
        self._row_stopped[task_id] = task.paused or task.cancelled
        stopped = task.paused or task.cancelled or bool(options.get("seed_limit_reached"))
        if stopped:
            flags = (flags | lt.torrent_flags.paused) & ~lt.torrent_flags.auto_managed
            self._paused.add(task_id)
        elif options.get("forced"):  # force started: outside the queue until resumed normally
            flags = flags & ~lt.torrent_flags.auto_managed & ~lt.torrent_flags.paused
        else:
            flags = (flags | lt.torrent_flags.auto_managed) & ~lt.torrent_flags.paused
        flags &= ~lt.torrent_flags.stop_when_ready
        if task.last_error:
            # Stopped by an error (a full disk) and not resumed since: it stays so, and a resume
            # clears what the error left in the resume data (upload mode), as before a restart.
            self._errors[task_id] = task.last_error
        else:
            # Resumed since (maybe with nothing running), or it never failed: it downloads.
            flags &= ~lt.torrent_flags.upload_mode
        params.flags = flags
        try:
            h = self.session.ses.add_torrent(params)
        except (RuntimeError, ValueError) as exc:
            raise TorrentError(f"libtorrent refused the torrent: {exc}") from None
        hints = [(str(p[0]), int(p[1])) for p in options.get("peers") or []]
        if hints:
            self._hints[task_id] = hints
        for host, port in hints:
            with contextlib.suppress(RuntimeError, ValueError):
                h.connect_peer((host, port))
        from core.torrent.parse import hash_of

        self._handles[task_id] = h
        self._task_of[hash_of(h.info_hashes())] = task_id
        self._task_of[record.info_hash] = task_id
        if record.completed_at is not None:
            self._complete.add(task_id)

    # ------------------------------------------------------------ alerts

    def _task_id(self, alert: Any) -> int | None:
        h = getattr(alert, "handle", None)
        if h is None or not h.is_valid():
            return None
        from core.torrent.parse import hash_of

        return self._task_of.get(hash_of(h.info_hashes()))

    def _on_alert(self, alert: Any) -> None:
        name = type(alert).__name__
        if name == "state_update_alert":
            self._on_status(alert.status)
            return
        task_id = self._task_id(alert)
        if name == "torrent_finished_alert" and task_id is not None:
            self._finish(task_id)
        elif name == "save_resume_data_alert" and task_id is not None:
            blob = bytes(self.session.lt.write_resume_data_buf(alert.params)) if self.session else b""
            if blob:
                self._spawn(self.db.run(records.save_resume, task_id, blob))
        elif name == "metadata_received_alert" and task_id is not None:
            self._choose_files(task_id)  # now, before a "finished" with nothing chosen can count
            self._spawn(self._metadata(task_id))
        elif name in ("torrent_error_alert", "file_error_alert") and task_id is not None:
            message = convert.error_text(alert)
            self._errors[task_id] = message
            log.warning("torrent #%s: %s", task_id, message)
            self._spawn(self._record_error(task_id, message))
        elif name == "peer_blocked_alert":
            log.info("peer blocked by the IP filter: %s", getattr(alert, "endpoint", "?"))
        elif name in ("tracker_error_alert", "listen_failed_alert", "fastresume_rejected_alert"):
            log.info("%s", alert.message())

    def _on_status(self, statuses: Sequence[Any]) -> None:
        for st in statuses:
            task_id = self._task_of.get(convert.status_hash(st))
            if task_id is None:
                continue
            self._status[task_id] = st
            rate = float(st.download_payload_rate)
            left = st.total_wanted - st.total_wanted_done
            eta = left / rate if rate > 0 else None
            self.bus.publish(TorrentProgress(
                task_id, None, int(st.total_wanted_done), int(st.total_wanted), rate, eta, peers=int(st.num_peers),
                seeds=int(st.num_seeds), ratio=convert.ratio(st), up_speed=float(st.upload_payload_rate),
                seeding=bool(st.is_seeding) and task_id not in self._paused,
            ))  # fmt: skip
            if (
                st.is_finished
                and st.has_metadata
                and st.total_wanted > 0
                and task_id not in self._complete
                and task_id not in self._finishing
            ):
                self._finish(task_id)  # a missed or earlier finished alert (restored while complete)

    def _finish(self, task_id: int) -> None:
        """Finished per libtorrent: flush its write buffer, then call it complete (pitfall 1)."""
        if task_id in self._finishing or task_id in self._complete:
            return
        self._finishing.add(task_id)
        self._spawn(self._flush_and_complete(task_id))

    async def _flush_and_complete(self, task_id: int) -> None:
        try:
            session, h = self.session, self._handles.get(task_id)
            if session is None or h is None or not h.is_valid():
                return
            from core.torrent.parse import hash_of

            key = hash_of(h.info_hashes())
            flushed = session.expect(
                lambda a: type(a).__name__ == "cache_flushed_alert" and a.handle.is_valid()
                and hash_of(a.handle.info_hashes()) == key
            )  # fmt: skip
            h.flush_cache()
            try:
                await asyncio.wait_for(flushed, 30)
            except TimeoutError:
                log.warning("torrent #%s: the disk cache did not report flushed in 30 s", task_id)
            st = h.status()
            if not st.is_finished or st.total_wanted == 0:  # more files wanted meanwhile, or none chosen yet
                return
            await self._request_resume(session, task_id, h, flush=False)  # just flushed
            await self.db.run(records.mark_complete, task_id, int(st.total_wanted_done))
            self._complete.add(task_id)
            self._errors.pop(task_id, None)
            log.info("torrent #%s complete: %s", task_id, st.name)
            await self._place(task_id)
            self.bus.publish(TaskFinished(task_id, True))
            self.bus.publish(StateChanged("tasks", (task_id,)))
        finally:
            self._finishing.discard(task_id)

    async def _request_resume(self, session: TorrentSession, task_id: int, h: Any, *, flush: bool = True) -> None:
        lt = session.lt
        from core.torrent.parse import hash_of

        key = hash_of(h.info_hashes())
        done = session.expect(
            lambda a: type(a).__name__ in ("save_resume_data_alert", "save_resume_data_failed_alert")
            and a.handle.is_valid() and hash_of(a.handle.info_hashes()) == key
        )  # fmt: skip
        flags = lt.save_resume_flags_t.save_info_dict
        h.save_resume_data(flags | lt.save_resume_flags_t.flush_disk_cache if flush else flags)
        try:
            kind = await asyncio.wait_for(done, 15)
        except TimeoutError:
            return
        if kind == "save_resume_data_alert":
            await asyncio.sleep(0)  # the listener already queued the write; let it start
        await self._settle()

    async def _settle(self) -> None:
        """Let queued database writes (resume data, progress) finish."""
        pending = [t for t in self._background if t is not asyncio.current_task() and not t.done()]
        writes = [t for t in pending if getattr(t.get_coro(), "__qualname__", "").startswith("Database.run")]
        if writes:
            await asyncio.gather(*writes, return_exceptions=True)

    def _choose_files(self, task_id: int) -> None:
        h = self._handles.get(task_id)
        wanted = self._wanted_files.get(task_id)
        if h is None or not h.is_valid() or wanted is None:
            return
        ti = h.torrent_file()
        if ti is not None:
            h.prioritize_files([4 if i in wanted else 0 for i in range(ti.num_files())])

    async def _metadata(self, task_id: int) -> None:
        h = self._handles.get(task_id)
        if h is None or not h.is_valid():
            return
        ti = h.torrent_file()
        stored = await self.db.run(records.get, task_id)
        if stored is None or ti is None:
            return
        await self.db.run(_update_task, task_id, title=ti.name(), bytes_total=ti.total_size())
        if self.session is not None:
            await self._request_resume(self.session, task_id, h)
        self.bus.publish(StateChanged("tasks", (task_id,)))

    async def _record_error(self, task_id: int, message: str) -> None:
        await self.db.run(_update_task, task_id, last_error=message[:500])
        self.bus.publish(StateChanged("tasks", (task_id,)))

    async def _housekeeping(self) -> None:
        """Save changed resume data and progress, keep the alternative limits' schedule."""
        from core.torrent.settings import alternative_active, session_settings

        while self.session is not None:
            await asyncio.sleep(RESUME_EVERY_S)
            session = self.session
            if session is None:
                return
            for task_id, h in list(self._handles.items()):
                if h.is_valid() and h.need_save_resume_data() and task_id not in self._finishing:
                    h.save_resume_data(session.lt.save_resume_flags_t.save_info_dict)
                if h.is_valid() and task_id in self._complete and task_id not in self._paused:
                    self._check_seed_limits(task_id, h.status())
                st = self._status.get(task_id)
                if st is not None and st.num_peers == 0 and not st.is_seeding and task_id in self._hints:
                    for host, port in self._hints[task_id]:  # a magnet's x.pe peers, tried again
                        with contextlib.suppress(RuntimeError, ValueError):
                            h.connect_peer((host, port))
            rows = [(tid, int(st.total_wanted_done), int(st.total_wanted)) for tid, st in self._status.items()]
            if rows:
                await self.db.run(records.progress, rows)
            alt = alternative_active(self.config)
            if alt != self._alt:
                self._alt = alt
                down_up = session_settings(self.config)
                session.apply({k: down_up[k] for k in ("download_rate_limit", "upload_rate_limit")})
                log.info("alternative speed limits %s", "on" if alt else "off")
                self.bus.publish(StateChanged("torrent-limits"))

    def _check_seed_limits(self, task_id: int, st: Any) -> None:
        if not st.is_seeding or task_id in self._paused:
            return
        ratio_limit = self.config["torrent.ratio_limit"]
        hours = self.config["torrent.seed_time_h"]
        ratio = convert.ratio(st)
        seeded = convert.seconds(st.seeding_duration)
        reached = (ratio_limit > 0 and ratio >= ratio_limit) or (hours > 0 and seeded >= hours * 3600)
        if not reached:
            return
        action = self.config["torrent.seed_limit_action"]
        log.info("torrent #%s reached its seeding limit (ratio %.2f, %d s): %s", task_id, ratio, seeded, action)
        if action == "remove":
            self._spawn(self.remove(task_id, delete_files=False))
        else:
            self._stop(task_id)
            self._spawn(self.db.run(records.set_options, task_id, seed_limit_reached=True))
            self.bus.publish(StateChanged("tasks", (task_id,)))

    def _on_event(self, event: Event) -> None:
        """`syncdeck task pause/resume/cancel` and the Tasks panel's verbs reach torrents too."""
        if isinstance(event, SourceScanned):
            task = self._spawn(self._adopt_found(event.source_id))
            self._adopting.add(task)
            task.add_done_callback(self._adopting.discard)
        elif isinstance(event, StateChanged) and event.what == "settings":
            self.reload_settings()
        elif isinstance(event, StateChanged) and event.what == "tasks" and event.ids and self.session is not None:
            ids = [i for i in event.ids if i in self._handles]
            if ids:
                self._spawn(self._follow_task_rows(ids))

    async def _adopt_found(self, source_id: int) -> None:
        """A watched folder or feed was scanned: add what it found (once each)."""
        from core.store import repo

        source = await self.db.run(repo.get_source, source_id)
        if source is None or source.provider != records.PROVIDER:
            return
        provider = self.registry.for_stored(records.PROVIDER)
        entries = provider.take_found(source.locator)  # type: ignore[attr-defined]
        if entries:
            await self.adopt_feed(source_id, entries, source.path)

    async def _follow_task_rows(self, ids: list[int]) -> None:
        """Follow the task rows' paused/cancelled flags when they changed (not a seeding limit's stop)."""
        from core.store import repo

        for task in await self.db.run(repo.tasks_by_ids, ids):
            task_id = task.id or 0
            stop = task.paused or task.cancelled
            if stop == self._row_stopped.get(task_id, False):
                continue
            self._row_stopped[task_id] = stop
            if stop:
                self._stop(task_id)
            else:
                self._go(task_id)

    # ------------------------------------------------------------ verbs

    async def _require(self, task_id: int) -> records.Stored:
        stored = await self.db.run(records.get, task_id)
        if stored is None:
            raise ConfigError(f"there is no torrent {task_id} (see `syncdeck torrent list`)")
        return stored

    async def _handle(self, task_id: int) -> Any:
        await self._require(task_id)
        await self.start()
        h = self._handles.get(task_id)
        if h is None or not h.is_valid():
            raise TorrentError(f"torrent {task_id} is not loaded: {self._errors.get(task_id, 'unknown reason')}")
        return h

    def _stop(self, task_id: int) -> None:
        h = self._handles.get(task_id)
        self._paused.add(task_id)
        self._status.pop(task_id, None)  # the next view asks libtorrent, not an old update
        if h is not None and h.is_valid() and self.session is not None:
            h.unset_flags(self.session.lt.torrent_flags.auto_managed)  # else the queue resumes it (pitfall 2)
            h.pause()
            h.save_resume_data(self.session.lt.save_resume_flags_t.save_info_dict)

    def _go(self, task_id: int, *, force: bool = False) -> None:
        h = self._handles.get(task_id)
        self._paused.discard(task_id)
        self._status.pop(task_id, None)
        if h is not None and h.is_valid() and self.session is not None:
            if self._errors.pop(task_id, None):  # a full disk, a missing folder: tried again
                h.clear_error()
                h.unset_flags(self.session.lt.torrent_flags.upload_mode)  # where a write error leaves it
            if force:
                h.unset_flags(self.session.lt.torrent_flags.auto_managed)
            else:
                h.set_flags(self.session.lt.torrent_flags.auto_managed)
            h.resume()

    async def pause(self, task_id: int) -> None:
        await self._require(task_id)
        await self.db.run(_update_task, task_id, paused=True)
        await self.db.run(records.set_options, task_id, forced=False)
        self._row_stopped[task_id] = True
        if self.session is not None:
            self._stop(task_id)
        self.bus.publish(StateChanged("tasks", (task_id,)))

    async def resume(self, task_id: int, *, force: bool = False) -> None:
        """Queued again (auto-managed), or `force`: downloading now, outside the queue."""
        await self._require(task_id)
        await self.db.run(_update_task, task_id, paused=False, cancelled=False, last_error="")
        self._row_stopped[task_id] = False
        await self.db.run(records.set_options, task_id, seed_limit_reached=False, forced=force)
        if self.session is not None:
            self._go(task_id, force=force)
        self.bus.publish(StateChanged("tasks", (task_id,)))

    async def recheck(self, task_id: int) -> None:
        h = await self._handle(task_id)
        self._complete.discard(task_id)
        await self.db.run(records.mark_incomplete, task_id)
        h.force_recheck()
        self.bus.publish(StateChanged("tasks", (task_id,)))

    async def remove(self, task_id: int, *, delete_files: bool = False) -> None:
        stored = await self._require(task_id)
        h = self._handles.pop(task_id, None)
        if h is not None and h.is_valid() and self.session is not None:
            lt = self.session.lt
            if delete_files:
                key = stored.record.info_hash
                from core.torrent.parse import hash_of

                gone = self.session.expect(
                    lambda a: type(a).__name__ in ("torrent_deleted_alert", "torrent_delete_failed_alert")
                    and hash_of(a.info_hashes) == key
                )  # fmt: skip
                self.session.ses.remove_torrent(h, lt.session.delete_files)
                try:
                    await asyncio.wait_for(gone, 30)
                except TimeoutError:
                    log.warning("torrent #%s: its files were not reported deleted", task_id)
            else:
                self.session.ses.remove_torrent(h)
        elif delete_files:
            await asyncio.to_thread(convert.delete_files_of, stored)
        for key in [k for k, v in self._task_of.items() if v == task_id]:
            del self._task_of[key]
        for collection in (self._complete, self._paused, self._finishing):
            collection.discard(task_id)
        self._status.pop(task_id, None)
        await self.db.run(records.remove, task_id)
        log.info("torrent #%s removed%s", task_id, " with its files" if delete_files else "")
        self.bus.publish(StateChanged("tasks", (task_id,)))

    async def set_file_priorities(self, task_id: int, priorities: dict[int, int]) -> None:
        """Priorities 0 (skip) … 7 (top) by file index; others keep theirs."""
        if any(not 0 <= p <= 7 for p in priorities.values()):
            raise ConfigError("file priorities go from 0 (skip) to 7 (top)")
        h = await self._handle(task_id)
        ti = h.torrent_file()
        if ti is None:
            raise TorrentError(f"torrent {task_id} has no metadata yet; choose its files once it has")
        current = list(h.get_file_priorities())
        for index, value in priorities.items():
            if not 0 <= index < len(current):
                raise ConfigError(f"the torrent has files 0-{len(current) - 1}; there is no file {index}")
            current[index] = value
        h.prioritize_files(current)
        wanted = [i for i, p in enumerate(current) if p > 0]
        await self.db.run(records.set_options, task_id, files=wanted)
        if task_id in self._complete and any(priorities.values()):
            self._complete.discard(task_id)
            await self.db.run(records.mark_incomplete, task_id)
        self.bus.publish(StateChanged("tasks", (task_id,)))

    async def set_sequential(self, task_id: int, on: bool) -> None:
        h = await self._handle(task_id)
        lt = self.session.lt if self.session else None
        assert lt is not None
        (h.set_flags if on else h.unset_flags)(lt.torrent_flags.sequential_download)
        self._status.pop(task_id, None)  # the next view asks libtorrent, not an older update
        await self.db.run(records.set_options, task_id, sequential=on)
        self.bus.publish(StateChanged("tasks", (task_id,)))

    async def set_limits(self, task_id: int | None, *, down_kib: int | None = None, up_kib: int | None = None) -> None:
        """One torrent's limits (KiB/s, 0 = none) or, with `task_id` None, the global ones."""
        if task_id is None:
            changes: dict[str, object] = {}
            if down_kib is not None:
                changes["torrent.down_kib"] = down_kib
            if up_kib is not None:
                changes["torrent.up_kib"] = up_kib
            if changes:
                await self._save_settings(changes)
            return
        h = await self._handle(task_id)
        opts: dict[str, int] = {}
        if down_kib is not None:
            h.set_download_limit(down_kib * 1024 if down_kib else -1)
            opts["down_limit"] = down_kib * 1024
        if up_kib is not None:
            h.set_upload_limit(up_kib * 1024 if up_kib else -1)
            opts["up_limit"] = up_kib * 1024
        await self.db.run(records.set_options, task_id, **opts)

    async def set_alternative(self, on: bool) -> None:
        """The tray's "Alternative speed limits" switch."""
        await self._save_settings({"torrent.alt_enabled": on})

    async def _save_settings(self, changes: dict[str, object]) -> None:
        from core.config import save_config

        await asyncio.to_thread(save_config, self.config.path, changes)
        fresh = await asyncio.to_thread(self.config.reloaded)
        self.config.values, self.config._mtime = fresh.values, fresh._mtime
        self.bus.publish(StateChanged("settings"))

    async def move_storage(self, task_id: int, folder: str) -> Path:
        """Move a torrent's files to `folder` (libtorrent moves them; awaited); returns the folder."""
        if not str(folder).strip():
            raise ConfigError("move needs a folder to move the torrent's files to")
        target = user_path(str(folder))
        if target.exists() and not target.is_dir():
            raise ConfigError(f"{target} is a file, not a folder")
        h = await self._handle(task_id)
        assert self.session is not None
        try:
            await asyncio.to_thread(target.mkdir, parents=True, exist_ok=True)
        except OSError as exc:
            raise TorrentError(f"cannot create the folder {target}: {exc.strerror or exc}") from None
        target = target.resolve()
        key = (await self._require(task_id)).record.info_hash
        from core.torrent.parse import hash_of

        moved = self.session.expect(
            lambda a: type(a).__name__ in ("storage_moved_alert", "storage_moved_failed_alert")
            and a.handle.is_valid() and hash_of(a.handle.info_hashes()) == key,
            lambda a: a.error.message() if type(a).__name__ == "storage_moved_failed_alert" else "",
        )  # fmt: skip
        h.move_storage(str(target))
        try:
            failure = await asyncio.wait_for(moved, 300)
        except TimeoutError:
            raise TorrentError(f"torrent {task_id}: moving its files to {target} did not finish in 5 minutes") from None
        if failure:
            raise TorrentError(f"torrent {task_id}: its files could not be moved to {target}: {failure}")
        await self.db.run(records.update_record, task_id, save_path=str(target))
        await self.db.run(_update_task, task_id, path=str(target))
        self.bus.publish(StateChanged("tasks", (task_id,)))
        return target

    async def set_trackers(self, task_id: int, urls: Sequence[str]) -> None:
        h = await self._handle(task_id)
        assert self.session is not None
        entries = []
        for tier, url in enumerate(urls):
            entry = self.session.lt.announce_entry(url)
            entry.tier = tier
            entries.append(entry)
        h.replace_trackers(entries)
        h.force_reannounce()

    async def trackers(self, task_id: int) -> list[str]:
        h = await self._handle(task_id)
        return [str(t["url"] if isinstance(t, dict) else t.url) for t in h.trackers()]

    async def edit_trackers(
        self, task_id: int, *, add: Sequence[str] = (), remove: Sequence[str] = ()
    ) -> list[str]:  # fmt: skip
        """Add and remove tracker URLs (http, https, udp, ws(s)); returns the trackers now used."""
        for url in add:
            scheme = url.partition("://")[0].lower()
            if "://" not in url or scheme not in ("http", "https", "udp", "ws", "wss") or any(c.isspace() for c in url):
                raise ConfigError(f"{url!r} is not a tracker URL (http://, https://, udp://…/announce)")
        current = await self.trackers(task_id)
        missing = [url for url in remove if url not in current]
        if missing:
            raise ConfigError(f"torrent {task_id} has no tracker {missing[0]}; its trackers: "
                              + (", ".join(current) or "none"))  # fmt: skip
        wanted = [u for u in current if u not in remove] + [u for u in dict.fromkeys(add) if u not in current]
        if wanted != current:
            await self.set_trackers(task_id, wanted)
            assert self.session is not None  # the trackers live in the resume data: saved now
            await self._request_resume(self.session, task_id, await self._handle(task_id), flush=False)
            self.bus.publish(StateChanged("tasks", (task_id,)))
        return wanted

    def connect_peer(self, task_id: int, host: str, port: int) -> None:
        """Tell a torrent about a peer (a peer hint the user has; tests)."""
        h = self._handles.get(task_id)
        if h is not None and h.is_valid():
            h.connect_peer((host, port))

    # ------------------------------------------------------------ views

    async def view(self, task_id: int) -> TorrentView:
        stored = await self._require(task_id)
        return self._view(stored)

    async def list(self) -> list[TorrentView]:
        return [self._view(s) for s in await self.db.run(records.all_stored)]

    def _view(self, stored: records.Stored) -> TorrentView:
        task, record = stored.task, stored.record
        task_id = task.id or 0
        h = self._handles.get(task_id)
        st = None
        if h is not None and h.is_valid():
            st = self._status.get(task_id) or h.status()
        error = self._errors.get(task_id, "") or task.last_error
        complete = task_id in self._complete or record.completed_at is not None
        paused = task.paused or task.cancelled or task_id in self._paused
        if st is None:
            state = states.DONE if complete else (states.PAUSED if paused else states.QUEUED)
            activity = "seeding" if complete and not paused else ("paused" if paused else "stopped")
            return TorrentView(
                id=task_id, info_hash=record.info_hash, name=task.title, state=state, activity=activity,
                progress=1.0 if complete else (task.bytes_done / task.bytes_total if task.bytes_total else 0.0),
                wanted=task.bytes_total, done=task.bytes_done, size=task.bytes_total, down_rate=0.0, up_rate=0.0,
                peers=0, seeds=0, ratio=0.0, eta=None, save_path=record.save_path,
                sequential=bool(stored.options.get("sequential")), has_metadata=bool(record.torrent or record.resume),
                error=error, added_at=record.added_at, completed_at=record.completed_at, magnet=record.magnet,
            )  # fmt: skip
        activity = ACTIVITY.get(str(st.state).rsplit(".", 1)[-1], str(st.state))
        if st.flags & self.session.lt.torrent_flags.paused if self.session else False:
            activity = "paused" if paused else "queued"
        rate = float(st.download_payload_rate)
        left = st.total_wanted - st.total_wanted_done
        if complete:
            state = states.DONE
        elif error:
            state = states.FAILED
        elif paused:
            state = states.PAUSED
        elif activity in ("downloading", "metadata", "checking"):
            state = states.RUNNING
        else:
            state = states.QUEUED
        return TorrentView(
            id=task_id, info_hash=record.info_hash, name=st.name or task.title, state=state, activity=activity,
            progress=(st.total_wanted_done / st.total_wanted) if st.total_wanted else (1.0 if complete else 0.0),
            wanted=int(st.total_wanted), done=int(st.total_wanted_done), size=int(st.total or task.bytes_total),
            down_rate=rate, up_rate=float(st.upload_payload_rate), peers=int(st.num_peers), seeds=int(st.num_seeds),
            ratio=convert.ratio(st), eta=(left / rate if rate > 0 and left > 0 else None), save_path=record.save_path,
            uploaded=int(st.all_time_upload), downloaded=int(st.all_time_download),
            sequential=bool(st.flags & self.session.lt.torrent_flags.sequential_download) if self.session else False,
            down_limit=max(0, h.download_limit()), up_limit=max(0, h.upload_limit()),
            has_metadata=bool(st.has_metadata),
            error=error, added_at=record.added_at, completed_at=record.completed_at,
            queue_position=int(st.queue_position), magnet=record.magnet,
        )  # fmt: skip

    async def detail(self, task_id: int) -> TorrentDetail:
        stored = await self._require(task_id)
        view = self._view(stored)
        h = self._handles.get(task_id)
        if h is None or not h.is_valid():
            return TorrentDetail(view, convert.stored_files(stored))
        ti = h.torrent_file()
        files = convert.files_of(ti, list(h.file_progress()), list(h.get_file_priorities())) if ti is not None else []
        trackers = [convert.tracker_view(t) for t in h.trackers()]
        peers = [convert.peer_view(p) for p in h.get_peer_info()]
        st = self._status.get(task_id) or h.status()
        pieces = [bool(x) for x in st.pieces]
        return TorrentDetail(view, files, trackers, peers, pieces)

    def rates(self) -> SessionRates:
        statuses = list(self._status.values())
        return SessionRates(
            down_rate=sum(float(s.download_payload_rate) for s in statuses),
            up_rate=sum(float(s.upload_payload_rate) for s in statuses),
            alternative=self._alt, active=sum(1 for s in statuses if not s.is_finished and s.download_payload_rate > 0),
        )  # fmt: skip

    # ------------------------------------------------------------ running in the foreground

    async def has_work(self) -> bool:
        """Torrents not paused and not complete (what `sync` waits for), or feed adds pending."""
        await self.settle_adoptions()
        return bool(await self.db.run(records.unfinished_ids))

    async def settle_adoptions(self) -> None:
        """Wait for torrents that watched folders and feeds handed over this round."""
        while adopting := [t for t in self._adopting if not t.done()]:
            await asyncio.gather(*adopting, return_exceptions=True)

    async def run_until_complete(
        self, task_ids: Sequence[int] | None = None, *, stall_s: float | None = None, poll_s: float = 0.5
    ) -> RunOutcome:
        """Download until every wanted file of the (not paused) torrents is complete and flushed,
        or a torrent made no progress for `stall_s` (the `torrent.stall_s` setting)."""
        stall = float(stall_s if stall_s is not None else self.config["torrent.stall_s"])
        await self.start()
        stored = await self.db.run(records.all_stored)
        ids = [s.task.id or 0 for s in stored if not (s.task.paused or s.task.cancelled)]
        if task_ids is not None:
            ids = [i for i in ids if i in set(task_ids)]
        last_progress: dict[int, tuple[int, float]] = {i: (-1, time.monotonic()) for i in ids}
        stalled: list[tuple[int, str]] = []
        failed: list[tuple[int, str]] = []
        pending = [i for i in ids if i not in self._complete]
        while pending:
            await asyncio.sleep(poll_s)
            now = time.monotonic()
            still = []
            for task_id in pending:
                if task_id in self._complete:
                    continue
                h = self._handles.get(task_id)
                if h is None or not h.is_valid():
                    failed.append((task_id, self._errors.get(task_id, "it could not be loaded")))
                    continue
                if task_id in self._paused:
                    continue  # paused while running (the user, a seeding limit): not waited for
                st = h.status()
                if st.errc and st.errc.value() != 0:
                    failed.append((task_id, self._errors.get(task_id) or st.errc.message()))
                    continue
                mark = int(st.total_wanted_done) + int(st.total_payload_download)
                before, since = last_progress[task_id]
                if mark != before or st.state in convert.checking_states(self.session):
                    last_progress[task_id] = (mark, now)
                elif now - since >= stall:
                    stalled.append((task_id, convert.stall_reason(st, stall)))
                    continue
                still.append(task_id)
            pending = still
        await self._settle()
        completed = [i for i in ids if i in self._complete]
        return RunOutcome(completed, stalled, failed)

    async def adopt_feed(self, source_id: int, entries: Sequence[Any], path: str) -> list[int]:
        """Add what a watched folder or feed found (core.providers.torrent.FoundTorrent), once per GUID."""
        from core.engine.torrents.feeds import adopt

        return await adopt(self, source_id, entries, path)

    # ------------------------------------------------------------ play while downloading

    async def open_stream(self, task_id: int, file_index: int) -> TorrentFileSource:
        """A ByteSource over one file of a torrent, downloading what the player reads next first."""
        from core.torrent.stream import TorrentFileSource

        h = await self._handle(task_id)
        assert self.session is not None
        if not h.status().has_metadata:
            raise TorrentError(f"torrent {task_id} has no metadata yet")
        ti = h.torrent_file()
        if not 0 <= file_index < ti.num_files():
            raise ConfigError(f"the torrent has files 0-{ti.num_files() - 1}; there is no file {file_index}")
        if h.get_file_priorities()[file_index] == 0:
            await self.set_file_priorities(task_id, {file_index: 4})
        return TorrentFileSource(self.session, h, file_index)

    async def open_ref(self, ref: str) -> TorrentFileSource:
        """The ByteSource a `torrent:TASK/FILE` reference (a playlist entry, `syncdeck play`) streams."""
        from core.providers.torrent.provider import ITEM_HELP, parse_file_ref

        found = parse_file_ref(ref)
        if found is None:
            raise ConfigError(f"{ref!r} is not a torrent file reference.\n{ITEM_HELP}")
        return await self.open_stream(*found)

    async def _files(self, task_id: int) -> list[Any]:
        h = self._handles.get(task_id)
        if h is not None and h.is_valid() and h.torrent_file() is not None:
            return convert.files_of(h.torrent_file(), None, list(h.get_file_priorities()))
        return await asyncio.to_thread(convert.stored_files, await self._require(task_id))

    async def describe_file(self, task_id: int, file_index: int) -> tuple[str, int]:
        """(path inside the torrent, size) of one file; no session needed."""
        files = await self._files(task_id)
        if not files:
            raise TorrentError(f"torrent {task_id} has no metadata yet; its files are not known")
        chosen = next((f for f in files if f.index == file_index), None)
        if chosen is None:
            raise ConfigError(f"the torrent has files 0-{files[-1].index}; there is no file {file_index}")
        return chosen.path, chosen.size

    async def video_refs(self, task_id: int) -> list[str]:
        """What "Add to playlist" adds for a torrent: each wanted video file as `torrent:TASK/FILE`
        while the torrent downloads (played through the proxy), as its path once complete."""
        from core.engine.torrents.placement import VIDEO_EXTENSIONS
        from core.providers.torrent.provider import file_ref

        stored = await self._require(task_id)
        complete = task_id in self._complete or stored.record.completed_at is not None
        videos = [f for f in await self._files(task_id)
                  if f.priority > 0 and Path(f.path).suffix.lower() in VIDEO_EXTENSIONS]  # fmt: skip
        if complete:
            return [str(Path(stored.record.save_path) / f.path) for f in videos]
        return [file_ref(task_id, f.index) for f in videos]

    async def _place(self, task_id: int) -> None:
        from core.engine.torrents.placement import place_finished

        stored = await self.db.run(records.get, task_id)
        h = self._handles.get(task_id)
        if stored is None or stored.record.placed or h is None or not h.is_valid():
            return
        ti = h.torrent_file()
        if ti is None:
            return
        priorities = list(h.get_file_priorities())
        files = [
            (Path(stored.record.save_path) / path, size)
            for i, (path, size) in enumerate(convert.file_entries(ti)) if path and priorities[i] > 0
        ]  # fmt: skip
        try:
            placed = await asyncio.to_thread(place_finished, self.config, files)
        except OSError as exc:
            log.warning("torrent #%s: finished files not placed in the library: %s", task_id, exc)
            return
        await self.db.run(records.update_record, task_id, placed=True)
        if placed:
            log.info("torrent #%s: %d video files placed in the library", task_id, len(placed))


# ---------------------------------------------------------------- helpers


def _update_task(session: Any, task_id: int, **fields: Any) -> None:
    from core.store import repo

    repo.update_task(session, task_id, **fields)


def _peer_hints(magnet: str) -> list[tuple[str, int]]:
    """The x.pe peer addresses of a magnet link (BEP 9), as (host, port)."""
    import urllib.parse

    if not magnet:
        return []
    out = []
    for value in urllib.parse.parse_qs(urllib.parse.urlsplit(magnet).query).get("x.pe", []):
        host, _, port = value.rpartition(":")
        if host and port.isdigit():
            out.append((host.strip("[]"), int(port)))
    return out


def _read_or_empty(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _write_quietly(path: Path, data: bytes) -> None:
    try:
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        log.warning("torrent session state not saved: %s", exc)


def _log_failure(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("torrent background work failed", exc_info=task.exception())
