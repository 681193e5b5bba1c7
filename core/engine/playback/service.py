"""Playback: resolving what an entry plays, the local stream proxy, external players.

`parse(text)` previews a link through the provider that claims it (`ItemParser`);
`resolve(item_json, provider, account_id, …)` turns a stored item into a `PlaybackInfo`:
streams from the provider (`PlayableResolver`, or plain `PlaybackResolver`), a mode chosen
by the proxy policy, subtitles converted to the player's format and danmaku as an ASS
overlay. Proxied streams are registered with the local `StreamProxy`, started on first use,
which renews expired upstream URLs by resolving the item again.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.engine.feature import FeatureService
from core.engine.playback.views import (
    ExternalLaunch,
    ParsedLink,
    ParsedPart,
    PlaybackInfo,
    PlayMode,
    ProxyPolicy,
    SubtitleChoice,
)
from core.errors import ConfigError, PlaybackError, SyncDeckError

if TYPE_CHECKING:
    import httpx

    from core.engine.playback.library_download import LibraryDownload, LibraryDownloads
    from core.engine.playlists.views import PlayRef
    from core.engine.tasks.running import RunningWork
    from core.playback.playable import Playable
    from core.playback.proxy import StreamProxy, UpstreamTarget
    from core.playback.source import ByteSource
    from core.providers.protocols import MediaItem, MediaPart, Provider, ProviderSession, Stream

log = logging.getLogger(__name__)

POLICIES: tuple[ProxyPolicy, ...] = ("auto", "prefer_proxy", "proxy_only", "direct_only")
MODES: tuple[PlayMode, ...] = ("direct", "proxied")


class _Auto:
    """Marks "the provider's only account, if it has exactly one"."""


AUTO_ACCOUNT = _Auto()


def choose_mode(policy: ProxyPolicy, requested: PlayMode | None, *, needs_headers: bool, fmt: str) -> PlayMode:
    """The mode a stream plays in under `policy` (SyncTV's rule: AUTO proxies what carries
    credentials or headers and gives public resources directly)."""
    if requested is not None and requested not in MODES:
        raise ConfigError(f"unknown mode {requested!r}; use direct or proxied")
    if fmt == "rtmp":
        if requested == "proxied" or policy == "proxy_only":
            raise PlaybackError("RTMP streams cannot go through the local proxy; play them in direct mode")
        return "direct"
    if requested == "direct" and policy == "proxy_only":
        raise PlaybackError("the proxy policy for this provider is proxy_only: direct mode is not allowed")
    if requested == "proxied" and policy == "direct_only":
        raise PlaybackError("the proxy policy for this provider is direct_only: proxied mode is not allowed")
    if requested is not None:
        return requested
    if policy in ("prefer_proxy", "proxy_only"):
        return "proxied"
    if policy == "direct_only" or fmt == "file":
        return "direct"
    return "proxied" if needs_headers else "direct"


def _epoch(moment: Any) -> float | None:
    return None if moment is None else float(moment.timestamp())


def _same_stream(streams: tuple[Stream, ...], like: Stream) -> Stream:
    for stream in streams:
        if (stream.kind, stream.quality, stream.codec) == (like.kind, like.quality, like.codec):
            return stream
    for stream in streams:
        if stream.kind == like.kind:
            return stream
    raise PlaybackError("the renewed playback no longer offers this stream")


def _local_path(url: str) -> Path | None:
    if url.startswith("file://"):
        from urllib.parse import unquote, urlsplit

        return Path(unquote(urlsplit(url).path))
    return Path(url) if os.path.isabs(url) else None


class _Renewal:
    """One fresh resolve shared by the streams of one playback (video and audio expire together):
    the provider is asked once per RENEWAL_REUSE_S, not once per stream."""

    RENEWAL_REUSE_S = 60.0

    def __init__(self, resolve: Callable[[], Awaitable[Playable]]) -> None:
        self._resolve = resolve
        self._lock = asyncio.Lock()
        self._fresh: Playable | None = None
        self._at = 0.0

    async def fresh(self) -> Playable:
        async with self._lock:
            if self._fresh is None or time.monotonic() - self._at > self.RENEWAL_REUSE_S:
                self._fresh = await self._resolve()
                self._at = time.monotonic()
            return self._fresh


class PlaybackService(FeatureService):
    """Built with every engine, so it must be cheap: heavy imports and work start on first use."""

    def __init__(self, *parts: Any) -> None:
        super().__init__(*parts)
        self._proxy: StreamProxy | None = None
        self._proxy_lock = asyncio.Lock()
        self._http: httpx.AsyncClient | None = None
        self._players: list[Any] = []
        # scheme → opener of stream URLs the app serves itself ("torrent:TASK/FILE")
        self._sources: dict[str, Callable[[str], Awaitable[ByteSource]]] = {}
        self._downloads: LibraryDownloads | None = None
        self._running_work: RunningWork | None = None

    def bind(
        self, *, sources: Mapping[str, Callable[[str], Awaitable[ByteSource]]] | None = None,
        running: RunningWork | None = None,
    ) -> None:  # fmt: skip
        """Stream URLs with these schemes are opened as ByteSources and always proxied;
        downloads into the library are registered with the engine's `running` work."""
        self._sources.update(sources or {})
        if running is not None:
            self._running_work = running

    def _served(self, url: str) -> bool:
        return url.partition(":")[0].lower() in self._sources

    async def close(self) -> None:
        if self._downloads is not None:
            await self._downloads.close()
        if self._proxy is not None:
            await self._proxy.close()
            self._proxy = None
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    # ---- the proxy ----------------------------------------------------------------------------

    @property
    def proxy_running(self) -> bool:
        return self._proxy is not None and self._proxy.running

    async def stream_proxy(self) -> StreamProxy:
        """The local stream proxy, started on first use (127.0.0.1, `proxy.port` or a free port)."""
        async with self._proxy_lock:
            if self._proxy is None:
                import httpx

                from core.net import make_client, net_options
                from core.playback.proxy import StreamProxy

                client = make_client(net_options(self.config), max_connections=64)
                # a live stream or a paused player may leave a body idle longer than an API answer
                client.timeout = httpx.Timeout(60.0, connect=self.config["net.timeout_s"])
                proxy = StreamProxy(client, port=self.config["proxy.port"], owns_client=True)
                try:
                    await proxy.start()
                except OSError as exc:
                    await client.aclose()
                    raise PlaybackError(f"the stream proxy cannot listen on 127.0.0.1:{self.config['proxy.port']}: "
                                        f"{exc.strerror or exc}") from None  # fmt: skip
                self._proxy = proxy
            return self._proxy

    async def serve_source(self, source: ByteSource, name: str = "stream") -> str:
        """A proxy URL serving `source` (Range included) until the engine closes or `forget(url)`."""
        return (await self.stream_proxy()).add_source(source, name=name)

    async def forget(self, url: str) -> None:
        """Stop serving a proxy URL (a finished torrent file, a closed player)."""
        if self._proxy is not None:
            await self._proxy.forget(url)

    # ---- parse --------------------------------------------------------------------------------

    async def _account_for(self, provider: Provider, account_id: int | None | _Auto) -> int | None:
        from core.store import repo

        if isinstance(account_id, _Auto):
            accounts = [a for a in await self.db.run(repo.list_accounts) if a.provider == provider.name]
            return accounts[0].id if len(accounts) == 1 else None
        if account_id is not None:
            account = await self.db.run(repo.get_account, account_id)
            if account is None:
                raise ConfigError(f"there is no account {account_id} (see `syncdeck account list`)")
            if account.provider != provider.name:
                raise ConfigError(f"account {account_id} is a {account.provider} account, not {provider.display_name}")
        return account_id

    async def _parse_item(self, text: str, account_id: int | None | _Auto) -> tuple[Provider, MediaItem, int | None]:
        parser = self.registry.item_parser_for(text)
        provider: Provider = parser  # type: ignore[assignment]
        account = await self._account_for(provider, account_id)
        session = await self.logins.session(provider, account)
        return provider, await parser.parse_item(session, text), account

    async def parse(self, text: str, account_id: int | None | _Auto = AUTO_ACCOUNT) -> ParsedLink:
        """What a link plays (provider, title, duration, parts); LinkError listing the accepted
        forms when no provider claims it."""
        from core.providers.serial import item_to_dict

        provider, item, account = await self._parse_item(text, account_id)
        return ParsedLink(
            provider=provider.name, provider_display=provider.display_name, title=item.title,
            duration=item.duration or sum(p.duration for p in item.parts),
            parts=tuple(ParsedPart(p.key, p.number, p.title, p.duration) for p in item.parts),
            item_json=item_to_dict(item), account_id=account, cover=item.cover, url=item.url,
        )  # fmt: skip

    # ---- resolve ------------------------------------------------------------------------------

    def policy_for(self, provider: str) -> ProxyPolicy:
        for entry in self.config["proxy.provider_policies"]:
            name, _, policy = entry.partition("=")
            if name.strip() == provider and policy.strip() in POLICIES:
                return policy.strip()  # type: ignore[return-value]
        policy = self.config["proxy.policy"]
        return policy if policy in POLICIES else "auto"  # type: ignore[no-any-return]

    async def _playable(
        self, provider: Provider, session: ProviderSession, item: MediaItem, part: MediaPart, quality: str | None
    ) -> Playable:
        from core.playback.playable import Playable, PlayableResolver, guess_format
        from core.providers.protocols import PlaybackResolver

        if isinstance(provider, PlayableResolver):
            return await provider.resolve_playable(session, item, part, quality=quality)
        if isinstance(provider, PlaybackResolver):
            playback = await provider.resolve(session, item, part)
            first = playback.streams[0].urls[0] if playback.streams and playback.streams[0].urls else ""
            labels = tuple(dict.fromkeys(s.quality for s in playback.streams if s.kind != "audio" and s.quality))
            return Playable(playback=playback, quality=labels[0] if labels else "", qualities=labels,
                            format=guess_format(first), duration=float(part.duration or item.duration))  # fmt: skip
        raise PlaybackError(f"{provider.display_name} cannot play anything")

    async def resolve(
        self, item_json: Mapping[str, Any], provider: str, account_id: int | None, part_key: str | None = None, *,
        mode: PlayMode | None = None, quality: str | None = None, start_at: float = 0.0,
        subtitle_format: str | None = None, entry_id: int | None = None,
    ) -> PlaybackInfo:  # fmt: skip
        """A stored item (`ParsedLink.item_json`, a playlist entry's) made playable."""
        from core.providers.serial import item_from_dict

        try:
            item = item_from_dict(dict(item_json))
        except (KeyError, TypeError, ValueError) as exc:
            raise PlaybackError(f"the stored item cannot be read ({exc}); add it again") from None
        chosen_provider = self.registry.for_stored(provider)
        return await self._resolve_item(chosen_provider, item, account_id, part_key, mode=mode, quality=quality,
                                        start_at=start_at, subtitle_format=subtitle_format,
                                        entry_id=entry_id)  # fmt: skip

    async def resolve_link(
        self, text: str, *, account_id: int | None | _Auto = AUTO_ACCOUNT, part_key: str | None = None,
        mode: PlayMode | None = None, quality: str | None = None, start_at: float = 0.0,
        subtitle_format: str | None = None,
    ) -> PlaybackInfo:  # fmt: skip
        """Parse and resolve in one step (`syncdeck play LINK`)."""
        provider, item, account = await self._parse_item(text, account_id)
        return await self._resolve_item(provider, item, account, part_key, mode=mode, quality=quality,
                                        start_at=start_at, subtitle_format=subtitle_format)  # fmt: skip

    def _part(self, item: MediaItem, part_key: str | None) -> MediaPart:
        if not item.parts:
            raise PlaybackError(f"{item.title or item.key} has no part to play")
        if part_key is None:
            page = item.details.get("page")
            if isinstance(page, int) and 1 <= page <= len(item.parts):
                return item.parts[page - 1]
            return item.parts[0]
        for part in item.parts:
            if part.key == part_key or str(part.number) == part_key:
                return part
        keys = ", ".join(f"{p.number} ({p.key})" for p in item.parts[:20])
        raise PlaybackError(f"{item.title} has no part {part_key!r}; its parts: {keys}")

    async def _resolve_item(
        self, provider: Provider, item: MediaItem, account_id: int | None, part_key: str | None, *,
        mode: PlayMode | None, quality: str | None, start_at: float, subtitle_format: str | None,
        entry_id: int | None = None,
    ) -> PlaybackInfo:  # fmt: skip
        part = self._part(item, part_key)
        session = await self.logins.session(provider, account_id)
        playable = await self._playable(provider, session, item, part, quality)
        streams = playable.playback.streams
        video = next((s for s in streams if s.kind != "audio"), None)
        muxed = video is not None and video.kind == "muxed"
        audio = None if muxed else next((s for s in streams if s.kind == "audio"), None)
        if video is None or not video.urls:
            raise PlaybackError(f"{provider.display_name} offers no stream for {item.title}")
        needs_headers = any(s.headers for s in (video, audio) if s is not None)
        chosen = choose_mode(self.policy_for(provider.name), mode, needs_headers=needs_headers, fmt=playable.format)
        if self._served(video.urls[0]):
            chosen = "proxied"  # only the proxy can serve it (a downloading torrent's file)
        expires_at = _epoch(playable.playback.expires_at)
        if chosen == "direct":
            url, audio_url = video.urls[0], audio.urls[0] if audio else ""
            headers = dict(video.headers)
        else:
            renewal = _Renewal(lambda: self._playable(provider, session, item, part, quality))
            url = await self._proxied(item, video, expires_at, renewal)
            audio_url = await self._proxied(item, audio, expires_at, renewal) if audio else ""
            headers, expires_at = {}, None
        fmt = subtitle_format or self.config["player.subtitle_format"]
        subtitles = await self._subtitles(provider, session, item, part, playable, fmt)
        danmaku = await self._danmaku(provider, session, item, part, playable)
        title = item.title if len(item.parts) <= 1 else f"{item.title} - {part.title or part.number}"
        return PlaybackInfo(
            title=title, url=url, mode=chosen, audio_url=audio_url, headers=headers, quality=playable.quality,
            qualities=playable.qualities, codec=video.codec, size=video.size, live=playable.live,
            duration=playable.duration or float(part.duration or item.duration), start_at=start_at,
            subtitles=subtitles, danmaku_url=danmaku, entry_id=entry_id, format=playable.format,
            expires_at=expires_at, provider=provider.name, part_key=part.key, parts=max(1, len(item.parts)),
        )  # fmt: skip

    async def _proxied(self, item: MediaItem, stream: Stream, expires_at: float | None, renewal: _Renewal) -> str:
        from core.playback.proxy import UpstreamTarget

        proxy = await self.stream_proxy()
        first = stream.urls[0]
        if self._served(first):
            source = await self._sources[first.partition(":")[0].lower()](first)
            return proxy.add_source(source, name=item.title or "stream")
        path = _local_path(first)
        if path is not None:
            from core.playback.local_source import LocalFileSource

            if not path.is_file():
                raise PlaybackError(f"{path} is no longer there")
            return proxy.add_source(LocalFileSource(path), name=path.name)

        async def renew() -> UpstreamTarget:
            log.info("renewing the stream URL of %s", item.title)
            fresh = await renewal.fresh()
            again = _same_stream(fresh.playback.streams, stream)
            return UpstreamTarget(again.urls[0], dict(again.headers), _epoch(fresh.playback.expires_at))

        name = first.rsplit("?", 1)[0].rsplit("/", 1)[-1] or "stream"
        return proxy.add_upstream(UpstreamTarget(first, dict(stream.headers), expires_at), renew=renew, name=name)

    # ---- downloading into the library -----------------------------------------------------------

    async def download_to_library(self, ref: PlayRef | int, *, wait: bool = False) -> LibraryDownload:
        """Download a playlist entry (its id, or a queue's PlayRef) into the library as a task:
        a Bilibili video laid out like a synced one, any other HTTP file under Downloads/.
        Returns once the task exists (`wait`: once it has finished). PlaybackError for a local
        file (already here) or a stream that is not one downloadable file."""
        return await self._library().start(ref, wait=wait)

    async def restart_downloads(self, task_ids: Sequence[int] | None = None) -> list[int]:
        """Start downloads into the library again in the background: those of `task_ids` that
        are not done, paused or cancelled (after a resume or a retry), or, without ids, every
        one an earlier run left unfinished. Only an engine that keeps running (the window, the
        daemon) calls this. Returns the task ids started."""
        return await self._library().restart(task_ids)

    async def downloads_stopped(self, task_ids: Sequence[int]) -> None:
        """Returns once the paused or cancelled downloads into the library of these tasks ended."""
        if self._downloads is not None:
            await self._downloads.wait_stopped(task_ids)

    def stop_downloads(self) -> None:
        """Everything paused: downloads into the library stop (queued still, .part kept)."""
        if self._downloads is not None:
            self._downloads.stop_all()

    def _library(self) -> LibraryDownloads:
        if self._downloads is None:
            from core.engine.playback.library_download import LibraryDownloads

            self._downloads = LibraryDownloads(self.config, self.db, self.bus, self.registry, self.logins,
                                               self._part_playback, self._running_work)  # fmt: skip
        return self._downloads

    async def _part_playback(
        self, provider: Provider, session: ProviderSession, item: MediaItem, part_key: str | None
    ) -> tuple[MediaPart, Any]:
        part = self._part(item, part_key)
        return part, (await self._playable(provider, session, item, part, None)).playback

    # ---- subtitles and danmaku ----------------------------------------------------------------

    def _cache_file(self, *parts: object, suffix: str) -> Path:
        digest = hashlib.sha1("\x00".join(map(str, parts)).encode()).hexdigest()[:20]
        folder = self.config.data_dir / "cache" / "playback"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{digest}.{suffix}"

    async def _fetch_text(self, url: str, headers: Mapping[str, str]) -> str:
        path = _local_path(url)
        if path is not None:
            return (await asyncio.to_thread(path.read_bytes)).decode("utf-8-sig", "replace")
        if self._http is None:
            from core.net import make_client, net_options

            self._http = make_client(net_options(self.config))
        answer = await self._http.get(url, headers=dict(headers))
        answer.raise_for_status()
        return answer.content.decode("utf-8-sig", "replace")

    async def _subtitles(
        self, provider: Provider, session: ProviderSession, item: MediaItem, part: MediaPart, playable: Playable,
        fmt: str,
    ) -> tuple[SubtitleChoice, ...]:  # fmt: skip
        from core.playback import subtitles as convert
        from core.providers.protocols import SubtitleSource

        choices: list[SubtitleChoice] = []
        try:
            if isinstance(provider, SubtitleSource):
                for track in await provider.subtitle_tracks(session, item, part):
                    cues = await provider.subtitle_cues(session, track)
                    text = convert.cues_to(cues, fmt)
                    target = self._cache_file(provider.name, item.key, part.key, track.url, fmt, suffix=fmt)
                    await asyncio.to_thread(target.write_text, text, encoding="utf-8")
                    label = f"{track.label} (AI)" if track.generated else track.label
                    choices.append(SubtitleChoice(track.lang, label, str(target), fmt))
            headers = playable.playback.streams[0].headers if playable.playback.streams else {}
            for track in playable.playback.subtitles:
                raw = await self._fetch_text(track.url, headers)
                text = convert.convert(raw, fmt, name=track.url.rsplit("?", 1)[0])
                target = self._cache_file(provider.name, item.key, part.key, track.url, fmt, suffix=fmt)
                await asyncio.to_thread(target.write_text, text, encoding="utf-8")
                choices.append(SubtitleChoice(track.lang, track.label, str(target), fmt))
        except (SyncDeckError, OSError, Exception) as exc:  # subtitles never stop playback
            log.warning("subtitles of %s could not be prepared: %s", item.title, exc)
        return tuple(choices)

    async def _danmaku(
        self, provider: Provider, session: ProviderSession, item: MediaItem, part: MediaPart, playable: Playable
    ) -> str:
        from core.providers.protocols import DanmakuSource

        wanted = self.config["danmaku.enabled"] and playable.playback.danmaku
        if not wanted or not isinstance(provider, DanmakuSource):
            return ""
        try:
            from core.library.danmaku import DEFAULT_CANVAS, DanmakuOptions, danmaku_to_ass

            comments = await provider.danmaku(session, item, part)
            options = DanmakuOptions(text_opacity=self.config["danmaku.opacity"],
                                     display_region_ratio=self.config["danmaku.density"])  # fmt: skip
            kind = "xml" if "xml" in comments.format else "protobuf"
            width, height = DEFAULT_CANVAS
            ass = await asyncio.to_thread(danmaku_to_ass, list(comments.segments), width, height, 0, options,
                                          input_format=kind)  # fmt: skip
            target = self._cache_file(provider.name, item.key, part.key, "danmaku", time.strftime("%Y%m%d%H"),
                                      suffix="ass")  # fmt: skip
            await asyncio.to_thread(target.write_text, ass, encoding="utf-8-sig")
            return str(target)
        except Exception as exc:  # danmaku never stop playback
            log.warning("danmaku of %s could not be prepared: %s", item.title, exc)
            return ""

    # ---- external players ---------------------------------------------------------------------

    async def open_external(self, info: PlaybackInfo, command: str | None = None) -> ExternalLaunch:
        """Start an external player for `info` (`command`, else `player.external_command`, else
        the first of mpv, IINA, VLC, PotPlayer found). PlaybackError when the player cannot play
        `info` as it is: resolve it in proxied mode first (`needs_proxy`)."""
        from core.playback.external import find_player, launch, needs_proxy, player_argv

        player = find_player(command if command is not None else self.config["player.external_command"])
        if needs_proxy(player, info):
            raise PlaybackError(f"{player.kind} cannot send the headers this stream needs; play it in proxied mode")
        process = await asyncio.to_thread(launch, player, info)
        self._players.append(process)
        return ExternalLaunch(player=player.kind, argv=tuple(player_argv(player, info)), pid=process.pid)

    async def player_needs_proxy(self, info: PlaybackInfo, command: str | None = None) -> bool:
        """Whether the external player that `open_external` would start needs `info` proxied."""
        from core.playback.external import find_player, needs_proxy

        player = find_player(command if command is not None else self.config["player.external_command"])
        return needs_proxy(player, info)

    async def wait_external(self, launch: ExternalLaunch) -> int:
        """Wait until the player started by `open_external` exits; its exit code."""
        for process in list(self._players):
            if process.pid == launch.pid:
                code = await asyncio.to_thread(process.wait)
                self._players.remove(process)
                return int(code)
        return 0

    # ---- reporting ----------------------------------------------------------------------------

    async def report(
        self, item_json: Mapping[str, Any], provider: str, account_id: int | None, *, event: str, position: float,
        part_key: str | None = None, paused: bool = False,
    ) -> None:  # fmt: skip
        """Tell the provider where playback is ("start", "progress", "pause", "stopped"), so a
        media server keeps its resume points and watched marks. Providers without a
        `PlaybackReporter` are skipped; a failed report is only logged."""
        from core.providers import protocols
        from core.providers.serial import item_from_dict

        reporter_protocol = getattr(protocols, "PlaybackReporter", None)
        chosen = self.registry.for_stored(provider)
        if reporter_protocol is None or not isinstance(chosen, reporter_protocol):
            return
        item = item_from_dict(dict(item_json))
        try:
            part = self._part(item, part_key)
            session = await self.logins.session(chosen, account_id)
            await forward_report(chosen, session, item, part, event=event, position=position, paused=paused)
        except (SyncDeckError, OSError) as exc:
            log.warning("playback report to %s failed: %s", chosen.display_name, exc)


async def forward_report(
    provider: Any, session: ProviderSession, item: MediaItem, part: MediaPart, *, event: str, position: float,
    paused: bool,
) -> None:  # fmt: skip
    """The one place that calls a provider's PlaybackReporter: adapt this call when the
    protocol's method is settled (`report_playback(session, item, part, event, position, paused=…)`)."""
    method = getattr(provider, "report_playback", None)
    if method is not None:
        await method(session, item, part, event, position, paused=paused)
