"""Segmented, resumable HTTP downloads with mirror fallback and refresh of expired links.

A download writes `<target>.part` and a small sidecar `<target>.part.json` that records the
file's total size and the byte ranges already on disk (never the URL: media links expire).
Data is flushed to disk before the sidecar claims it, so a killed process, a cancelled task or
a power cut loses at most the bytes in flight; the next `download()` of the same target
continues where it stopped. The target itself only ever appears complete, by atomic rename.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import logging
import os
import random
import re
import shutil
import time
from asyncio.selector_events import _SelectorSocketTransport
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import parse_qs, urlsplit

import httpcore
import httpx

from core.errors import DiskFullError, DownloadError, RiskControlError, SyncDeckError, TransientError
from core.library.files import LibraryNotWritableError, not_writable, replace_durably, write_bytes_atomic

log = logging.getLogger(__name__)

READ_BYTES = 1024 * 1024
# Each connection records its progress after this many bytes, but not more often than every
# CHECKPOINT_SECONDS, so a fast local link does not spend its time in fsync; and, whatever
# the amount, at least every CHECKPOINT_IDLE_SECONDS once anything new arrived, so a kill on a
# slow link (where 4 MiB take minutes) costs seconds of transfer, not everything.
CHECKPOINT_BYTES = 4 * 1024 * 1024
CHECKPOINT_SECONDS = 0.25
CHECKPOINT_IDLE_SECONDS = 2.0
MAX_REFRESHES = 2
MAX_FAILED_ATTEMPTS = 5  # attempts in a row that got no byte, per connection
BACKOFF_FIRST = 0.25  # seconds, doubled after each failed attempt
BACKOFF_MAX = 4.0
SIDECAR_VERSION = 1

_REFUSED_STATUS = frozenset({403, 410})  # the link is refused or expired: new links may help
_RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
_EXPIRED = 0  # pseudo status of a link whose `deadline=` has passed
_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)")
_DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})

# Media bodies are large, and every socket read costs the event loop the same fixed overhead
# (a loop iteration, a timeout scope, h11 parsing, one more chunk for us). Two caps keep reads
# small: httpcore asks for at most 64 KiB, and asyncio's selector transport reads at most
# 256 KiB. Raising both to 1 MiB let one loopback connection go from ~420 (64 KiB) and ~800
# (256 KiB) to ~1,350 MiB/s (bench/download_throughput.py). They only raise limits: a read still
# returns what the socket has, so every other client in the process works as before. The
# transport cap is a class attribute of CPython's selector loop (used by asyncio and qasync on
# Linux and macOS); loops without it (the Windows proactor) are left alone.
if getattr(httpcore.AsyncHTTP11Connection, "READ_NUM_BYTES", READ_BYTES) < READ_BYTES:
    httpcore.AsyncHTTP11Connection.READ_NUM_BYTES = READ_BYTES
if getattr(_SelectorSocketTransport, "max_size", READ_BYTES) < READ_BYTES:
    _SelectorSocketTransport.max_size = READ_BYTES  # type: ignore[attr-defined]


ProgressCallback = Callable[[int], None]
TotalCallback = Callable[[int], None]
StartCallback = Callable[[int, int], None]
RefreshUrls = Callable[[], Awaitable[list[str]]]


def part_path(target: Path) -> Path:
    return target.with_name(target.name + ".part")


def sidecar_path(target: Path) -> Path:
    return target.with_name(target.name + ".part.json")


def saved_bytes(target: Path, total: int) -> int:
    """How much of a `total`-byte download of `target` is already on disk: all of it when the
    target is complete, what the sidecar records of a .part, else nothing."""
    if total <= 0:
        return 0
    try:
        if target.stat().st_size == total:
            return total
    except OSError:
        pass
    try:
        if part_path(target).stat().st_size != total:
            return 0
    except OSError:
        return 0
    done = _load_sidecar(sidecar_path(target), total)
    return done.covered() if done is not None else 0


def _complete(target: Path, total: int) -> bool:
    try:
        return total > 0 and target.stat().st_size == total
    except OSError:
        return False


def discard_partial(target: Path) -> None:
    """Forget an unfinished download of `target` (its .part and sidecar)."""
    sidecar_path(target).unlink(missing_ok=True)
    part_path(target).unlink(missing_ok=True)


class _ByteRanges:
    """Sorted, non-overlapping half-open [start, end) intervals."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []

    def add(self, start: int, end: int) -> None:
        if end <= start:
            return
        merged: list[tuple[int, int]] = []
        for span in sorted([*self.spans, (start, end)]):
            if merged and span[0] <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], span[1]))
            else:
                merged.append(span)
        self.spans = merged

    def covered(self) -> int:
        return sum(end - start for start, end in self.spans)

    def missing(self, total: int) -> list[tuple[int, int]]:
        gaps: list[tuple[int, int]] = []
        position = 0
        for start, end in self.spans:
            if start > position:
                gaps.append((position, start))
            position = end
        if position < total:
            gaps.append((position, total))
        return gaps


def _load_sidecar(path: Path, total: int) -> _ByteRanges | None:
    """The recorded ranges, or None if the sidecar is missing, damaged or for another size."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != SIDECAR_VERSION or data.get("total") != total:
        return None
    done = _ByteRanges()
    spans = data.get("done")
    if not isinstance(spans, list):
        return None
    for span in spans:
        if not (isinstance(span, list) and len(span) == 2 and all(type(x) is int for x in span)):
            return None
        start, end = span
        if not 0 <= start < end <= total:
            return None
        done.add(start, end)
    return done


def _link_expired(url: str) -> bool:
    """Bilibili CDN links carry their expiry as `deadline=<unix seconds>`."""
    deadline = parse_qs(urlsplit(url).query).get("deadline", [""])[0]
    return deadline.isdigit() and int(deadline) <= time.time()


def _host(url: str) -> str:
    # Logs name the host only: the query holds the link's signature.
    return urlsplit(url).netloc


def _content_length(response: httpx.Response) -> int:
    """Declared body length, or -1 when absent or not a number."""
    value = response.headers.get("Content-Length", "").strip()
    return int(value) if value.isdigit() else -1


def _describe(exc: httpx.TransportError) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


@dataclass
class _Segment:
    """A byte range one connection is fetching. Another connection may lower `end` to take
    over the tail; `saved` is how far the sidecar already records this segment."""

    pos: int
    end: int
    saved: int = field(init=False)
    saved_at: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.saved = self.pos

    def due(self) -> bool:
        unsaved = self.pos - self.saved
        if unsaved <= 0:
            return False
        waited = time.monotonic() - self.saved_at
        return waited >= CHECKPOINT_IDLE_SECONDS or (unsaved >= CHECKPOINT_BYTES and waited >= CHECKPOINT_SECONDS)


@dataclass
class _Cursor:
    """One connection's place in the mirror list and its run of failed attempts."""

    index: int = 0
    generation: int = 0
    failures: int = 0


class _Mirrors:
    """The link list (baseUrl, backupUrl…), which links were refused, and refreshing it."""

    def __init__(self, urls: list[str], refresh: RefreshUrls | None, name: str) -> None:
        self.urls = list(urls)
        self.generation = 0
        self.refreshes = 0
        self._refresh = refresh
        self._name = name
        self._refused: dict[int, int] = {}  # index → 403/410/_EXPIRED
        self._broken: dict[int, int] = {}  # index → other HTTP status
        self._lock = asyncio.Lock()

    def usable_from(self, start: int) -> int | None:
        count = len(self.urls)
        for step in range(count):
            index = (start + step) % count
            if index in self._refused or index in self._broken:
                continue
            if _link_expired(self.urls[index]):
                self._refused[index] = _EXPIRED
                continue
            return index
        return None

    def refuse(self, generation: int, index: int, status: int) -> None:
        if generation == self.generation:
            self._refused[index] = status

    def mark_broken(self, generation: int, index: int, status: int) -> None:
        if generation == self.generation:
            self._broken[index] = status

    async def renew(self, generation: int) -> None:
        """Every link is unusable: get fresh links, or raise the error that says why."""
        async with self._lock:
            if generation != self.generation:
                return  # another connection already renewed them
            if self._refused and self._refresh is not None and self.refreshes < MAX_REFRESHES:
                log.info("Links of %s refused or expired; asking for fresh links", self._name)
                urls = await self._refresh()
                self.refreshes += 1
                if urls:
                    self.urls = list(urls)
                    self.generation += 1
                    self._refused.clear()
                    self._broken.clear()
                    return
            raise self._failure()

    def _failure(self) -> SyncDeckError:
        if 403 in self._refused.values():
            return RiskControlError(
                f"The media CDN refused to serve {self._name} (HTTP 403)", reason="media CDN HTTP 403"
            )
        if self._broken:
            status = next(iter(self._broken.values()))
            how = "ignored the byte range asked for" if status == 200 else f"answered HTTP {status}"
            return DownloadError(f"The media CDN {how} for {self._name}")
        return TransientError(f"The download links of {self._name} expired; they are fetched again next time")


class _BadReply(Exception):
    """A reply that cannot be used as it is; the attempt counts as failed."""


class _Transfer:
    """One call of RangeDownloader.download()."""

    def __init__(
        self,
        downloader: RangeDownloader,
        urls: list[str],
        target: Path,
        refresh: RefreshUrls | None,
    ) -> None:
        self._client = downloader.client
        self._connections = downloader.connections
        self._min_chunk = downloader.min_chunk
        self._on_progress = downloader.on_progress
        self._on_total = downloader.on_total
        self._on_start = downloader.on_start
        self._target = target
        self._part = part_path(target)
        self._sidecar = sidecar_path(target)
        self._mirrors = _Mirrors(urls, refresh, target.name)
        self._total = 0
        self._done = _ByteRanges()
        self._pending: list[_Segment] = []
        self._active: list[_Segment] = []

    # ---- requests -------------------------------------------------------------------------

    async def _pick(self, cursor: _Cursor) -> tuple[int, int, str]:
        while True:
            if cursor.generation != self._mirrors.generation:
                cursor.generation, cursor.index = self._mirrors.generation, 0
            index = self._mirrors.usable_from(cursor.index)
            if index is not None:
                cursor.index = index
                return cursor.generation, index, self._mirrors.urls[index]
            await self._mirrors.renew(cursor.generation)

    async def _failed(self, cursor: _Cursor, reason: str, *, progressed: bool) -> None:
        """Count a failed attempt: move to the next mirror, back off once every mirror has
        failed, give up after a few attempts in a row."""
        if progressed:
            cursor.failures = 0
            return
        cursor.failures += 1
        if cursor.failures >= MAX_FAILED_ATTEMPTS:
            raise TransientError(f"Downloading {self._target.name} failed {cursor.failures} times in a row: {reason}")
        cursor.index += 1
        # Another mirror is tried at once; waiting only helps when they all failed.
        rounds = cursor.failures - len(self._mirrors.urls) + 1
        if rounds < 1:
            log.info("%s: %s; trying the next mirror", self._target.name, reason)
            return
        delay = min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** (rounds - 1)) * random.uniform(0.8, 1.2)
        log.info("%s: %s; retrying in %.1f s", self._target.name, reason, delay)
        await asyncio.sleep(delay)

    async def _open(self, cursor: _Cursor, first: int, last: int | None) -> httpx.Response:
        """An open 200/206 response for `bytes=first-last`, after any mirror changes,
        refreshes and retries it takes."""
        headers = {"Range": f"bytes={first}-{'' if last is None else last}", "Accept-Encoding": "identity"}
        while True:
            generation, index, url = await self._pick(cursor)
            request = self._client.build_request("GET", url, headers=headers)
            try:
                response = await self._client.send(request, stream=True)
            except httpx.TransportError as exc:
                await self._failed(cursor, f"{_host(url)}: {_describe(exc)}", progressed=False)
                continue
            status = response.status_code
            if status in (200, 206):
                return response
            await response.aclose()
            if status in _REFUSED_STATUS:
                log.info("%s: %s answered HTTP %d", self._target.name, _host(url), status)
                self._mirrors.refuse(generation, index, status)
            elif status in _RETRYABLE_STATUS:
                await self._failed(cursor, f"{_host(url)}: HTTP {status}", progressed=False)
            else:
                self._mirrors.mark_broken(generation, index, status)

    async def _probe(self, cursor: _Cursor) -> tuple[int, httpx.Response | None]:
        """Ask for the first byte. A 206 tells the total size (returned with None); a 200
        means no Range support, and that response is returned to be read whole."""
        while True:
            response = await self._open(cursor, 0, 0)
            if response.status_code == 200:
                return _content_length(response), response
            await response.aclose()
            match = _CONTENT_RANGE.fullmatch(response.headers.get("Content-Range", "").strip())
            if match is not None and match.group(3) != "*":
                return int(match.group(3)), None
            await self._failed(cursor, "reply without a usable Content-Range", progressed=False)

    # ---- ranged download -----------------------------------------------------------------

    def _report(self, count: int) -> None:
        if self._on_progress is not None and count:
            self._on_progress(count)

    def _save_sidecar(self) -> None:
        payload = {"version": SIDECAR_VERSION, "total": self._total, "done": self._done.spans}
        # Not durable on its own: the data it claims was fsynced first, and a lost update only
        # means an older (smaller) record, never a wrong one.
        write_bytes_atomic(self._sidecar, json.dumps(payload).encode(), durable=False)

    def _resume_or_start(self) -> None:
        done = None
        if self._part.is_file() and self._part.stat().st_size == self._total:
            done = _load_sidecar(self._sidecar, self._total)
        if done is None:
            self._done = _ByteRanges()
            # The empty record goes first: a stale one must never describe a new .part.
            self._save_sidecar()
            with open(self._part, "wb") as handle:
                handle.truncate(self._total)
        else:
            self._done = done
            log.info("Resuming %s at %d of %d bytes", self._target.name, done.covered(), self._total)
        # The .part is sparse: check the space the rest needs now rather than fail at 97 %.
        needed = self._total - self._done.covered()
        free = shutil.disk_usage(self._part.parent).free
        if free < needed:
            raise DiskFullError(
                f"{self._target.name} needs {_mib(needed)} more but only {_mib(free)} is free in "
                f"{self._target.parent}. Free some space; the download continues from what is saved."
            )

    def _plan(self) -> None:
        spans = self._done.missing(self._total)
        if self._total >= 2 * self._min_chunk:
            while len(spans) < self._connections:
                widest = max(range(len(spans)), key=lambda i: spans[i][1] - spans[i][0])
                start, end = spans[widest]
                if end - start < 2 * self._min_chunk:
                    break
                middle = start + (end - start) // 2
                spans[widest : widest + 1] = [(start, middle), (middle, end)]
        self._pending = [_Segment(start, end) for start, end in spans]

    def _next_segment(self) -> _Segment | None:
        """Pending work first; then take over the second half of the biggest remainder, so a
        fast connection helps a slow one instead of idling at the end."""
        if self._pending:
            segment = self._pending.pop(0)
        else:
            candidates = [s for s in self._active if s.end - s.pos >= 2 * self._min_chunk]
            if not candidates:
                return None
            victim = max(candidates, key=lambda s: s.end - s.pos)
            middle = victim.pos + (victim.end - victim.pos) // 2
            segment = _Segment(middle, victim.end)
            victim.end = middle
        self._active.append(segment)
        return segment

    def _record(self, segment: _Segment) -> None:
        self._done.add(segment.saved, segment.pos)
        segment.saved = segment.pos
        segment.saved_at = time.monotonic()

    async def _checkpoint(self, segment: _Segment, handle: BinaryIO) -> None:
        await asyncio.to_thread(os.fsync, handle.fileno())
        self._record(segment)
        self._save_sidecar()

    def _write(self, handle: BinaryIO, segment: _Segment, data: memoryview) -> None:
        # Unbuffered: `pos` only ever counts bytes the OS has accepted, even if a write fails.
        while data:
            written = handle.write(data) or 0
            segment.pos += written
            self._report(written)
            data = data[written:]

    def _check_partial(self, response: httpx.Response, segment: _Segment) -> int:
        """Validate a 206 for `segment`; returns the end (exclusive) of the bytes it carries."""
        match = _CONTENT_RANGE.fullmatch(response.headers.get("Content-Range", "").strip())
        if match is None:
            raise _BadReply("206 reply without a usable Content-Range")
        first, last, total = int(match.group(1)), int(match.group(2)), match.group(3)
        if first != segment.pos or last < first or (total != "*" and int(total) != self._total):
            raise _BadReply(f"reply for bytes {first}-{last}/{total}, asked {segment.pos}-{segment.end - 1}")
        length = _content_length(response)
        if length >= 0 and length != last - first + 1:
            raise _BadReply(f"Content-Length {length} does not match bytes {first}-{last}")
        return last + 1

    async def _fetch(self, segment: _Segment, cursor: _Cursor, handle: BinaryIO) -> None:
        while segment.pos < segment.end:
            response = await self._open(cursor, segment.pos, segment.end - 1)
            start = segment.pos
            reason = ""
            try:
                if response.status_code == 200:
                    # This mirror ignores Range now; it cannot serve a piece of the file.
                    self._mirrors.mark_broken(cursor.generation, cursor.index, 200)
                    continue
                stop = self._check_partial(response, segment)
                handle.seek(segment.pos)
                # Raw bytes: Content-Range offsets count the bytes as sent, before any decoding.
                async with contextlib.aclosing(response.aiter_raw()) as chunks:
                    async for chunk in chunks:
                        room = min(stop, segment.end) - segment.pos
                        self._write(handle, segment, memoryview(chunk)[:room])
                        if segment.due():
                            await self._checkpoint(segment, handle)
                        if segment.pos >= min(stop, segment.end):
                            break
                if segment.pos < min(stop, segment.end):
                    reason = f"body ended at byte {segment.pos} of {stop}"
            except httpx.TransportError as exc:
                reason = _describe(exc)
            except _BadReply as exc:
                reason = str(exc)
            finally:
                await response.aclose()
            if reason:
                await self._failed(cursor, reason, progressed=segment.pos > start)
        await self._checkpoint(segment, handle)

    async def _worker(self, first: _Segment) -> None:
        cursor = _Cursor(generation=self._mirrors.generation)
        with open(self._part, "r+b", buffering=0) as handle:
            segment: _Segment | None = first
            while segment is not None:
                await self._fetch(segment, cursor, handle)
                self._active.remove(segment)
                segment = self._next_segment()

    def _save_after_stop(self) -> None:
        """Record everything written before a failure or cancellation (data synced first)."""
        try:
            with open(self._part, "r+b") as handle:  # Windows flushes only writable handles
                os.fsync(handle.fileno())
            for segment in self._active:
                self._record(segment)
            self._save_sidecar()
        except OSError as exc:
            # The previous sidecar is still valid; only the progress since then is lost.
            log.warning("Could not record the progress of %s: %s", self._target.name, exc)

    def _started(self, total: int, saved: int) -> None:
        if self._on_start is not None:
            self._on_start(total, saved)

    async def _download_ranges(self) -> int:
        self._resume_or_start()
        self._started(self._total, self._done.covered())
        if self._on_total is not None:
            self._on_total(self._total - self._done.covered())
        self._plan()
        workers = 1 if self._total < 2 * self._min_chunk else min(self._connections, len(self._pending))
        firsts = [segment for segment in (self._next_segment() for _ in range(workers)) if segment]
        finished = False
        try:
            try:
                async with asyncio.TaskGroup() as group:
                    for segment in firsts:
                        group.create_task(self._worker(segment))
            except BaseExceptionGroup as failures:
                raise _most_telling(failures) from None
            finished = True
        finally:
            if not finished:
                self._save_after_stop()
        if self._done.covered() != self._total or self._part.stat().st_size != self._total:
            raise DownloadError(f"{self._target.name}: {self._done.covered()} of {self._total} bytes after download")
        await asyncio.to_thread(replace_durably, self._part, self._target)
        self._sidecar.unlink(missing_ok=True)
        return self._total

    # ---- whole-file download (no Range support) ---------------------------------------------

    async def _download_whole(self, response: httpx.Response, cursor: _Cursor, length: int) -> int:
        self._sidecar.unlink(missing_ok=True)  # nothing can be resumed without Range
        self._started(length, 0)
        if self._on_total is not None and length >= 0:
            self._on_total(length)
        segment = _Segment(0, 0)
        try:
            while True:
                reason = ""
                segment.pos = 0
                try:
                    with open(self._part, "wb", buffering=0) as handle:
                        async with contextlib.aclosing(response.aiter_bytes()) as chunks:
                            async for chunk in chunks:
                                self._write(handle, segment, memoryview(chunk))
                    encoded = response.headers.get("Content-Encoding", "identity") != "identity"
                    if 0 <= length != segment.pos and not encoded:
                        reason = f"body ended at byte {segment.pos} of {length}"
                except httpx.TransportError as exc:
                    reason = _describe(exc)
                finally:
                    await response.aclose()
                if not reason:
                    break
                self._report(-segment.pos)  # the next attempt starts from zero again
                await self._failed(cursor, reason, progressed=False)
                response = await self._open(cursor, 0, None)
                length = _content_length(response)
            await asyncio.to_thread(replace_durably, self._part, self._target)
        except BaseException:
            # Without Range support a partial file is worth nothing.
            self._part.unlink(missing_ok=True)
            raise
        return segment.pos

    def _kept(self, total: int) -> int:
        """A target already complete (a finished stream kept through a pause) is not fetched
        again; the target only ever appears whole, by rename, so its size says it all."""
        log.info("%s is already complete", self._target.name)
        self._started(total, total)
        if self._on_total is not None:
            self._on_total(0)
        return total

    async def run(self, size: int) -> int:
        if _complete(self._target, size):
            return self._kept(size)
        if not self._mirrors.urls:
            raise DownloadError(f"No download link for {self._target.name}")
        self._target.parent.mkdir(parents=True, exist_ok=True)
        cursor = _Cursor()
        self._total, whole = await self._probe(cursor)
        if _complete(self._target, self._total):
            if whole is not None:
                await whole.aclose()
            return self._kept(self._total)
        if whole is not None:
            return await self._download_whole(whole, cursor, self._total)
        return await self._download_ranges()

    async def size(self) -> int:
        """The file's size from one Range probe (-1 when a server without Range support does
        not say)."""
        if not self._mirrors.urls:
            raise DownloadError(f"No download link for {self._target.name}")
        total, whole = await self._probe(_Cursor())
        if whole is not None:
            await whole.aclose()
        return total


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"


def _leaves(group: BaseExceptionGroup) -> Iterator[BaseException]:
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            yield from _leaves(exc)
        else:
            yield exc


def _most_telling(group: BaseExceptionGroup) -> BaseException:
    """Of the errors several connections hit at once, the one the user should hear about."""

    def rank(exc: BaseException) -> int:
        if isinstance(exc, OSError) and exc.errno in _DISK_FULL_ERRNOS:
            return 0
        if isinstance(exc, RiskControlError):
            return 1
        if isinstance(exc, OSError | DownloadError):
            return 2
        if isinstance(exc, SyncDeckError):
            return 3
        return 4

    return min(_leaves(group), key=rank)


def _file_error(exc: OSError, target: Path) -> SyncDeckError:
    if exc.errno in _DISK_FULL_ERRNOS:
        return DiskFullError(
            f"The disk holding {target.parent} is full while saving {target.name}. "
            "Free some space; the download continues from what is already saved."
        )
    if not_writable(exc):
        return LibraryNotWritableError.from_os_error(exc)
    return DownloadError(f"Cannot write {exc.filename or target}: {exc.strerror or exc}")


class RangeDownloader:
    """Downloads one file over up to `connections` parallel Range requests.

    `on_total(size)` is called once per download before the first byte, with the number of
    bytes it will fetch: the file's size, less what a resumed .part already holds (not
    called when a server without Range support does not say the size). `on_start(size, saved)`
    is called once per download before the first byte with the file's size (-1 if unknown) and
    the bytes of it already on disk (all of them for a target that is already complete: it is
    not fetched again). `on_progress(delta)`
    is called as bytes are written; its deltas add up to that number (a server without Range
    support that forces a restart from zero takes its bytes back with one negative delta).
    One instance may serve several downloads, also concurrently.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        connections: int = 4,
        min_chunk: int = 20 * 1024 * 1024,
        on_progress: ProgressCallback | None = None,
        on_total: TotalCallback | None = None,
        on_start: StartCallback | None = None,
    ) -> None:
        if connections < 1 or min_chunk < 1:
            raise ValueError("connections and min_chunk must be positive")
        self.client = client
        self.connections = connections
        self.min_chunk = min_chunk
        self.on_progress = on_progress
        self.on_total = on_total
        self.on_start = on_start

    async def download(
        self, urls: list[str], target: Path, *, refresh: RefreshUrls | None = None, size: int = 0
    ) -> int:
        """Download to `target` trying `urls` in order (baseUrl, then backups); returns its size.

        A `target` that already exists with the file's size is complete and kept as it is
        (with `size`, the size known beforehand, without asking the server at all).

        Raises RiskControlError when the CDN keeps answering 403 (after up to two `refresh()`
        calls for fresh links), TransientError after repeated network failures, DiskFullError
        when the disk is full (the partial download stays for later) and DownloadError for
        anything else.
        """
        try:
            return await _Transfer(self, urls, target, refresh).run(size)
        except OSError as exc:
            raise _file_error(exc, target) from exc

    async def size(self, urls: list[str], name: str, *, refresh: RefreshUrls | None = None) -> int:
        """The size of the file at `urls` (-1 when unknown), asked with a one-byte Range request
        (media CDNs often refuse HEAD); `name` names it in errors and logs."""
        return await _Transfer(self, urls, Path(name), refresh).size()
