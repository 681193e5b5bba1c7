"""List and detail stages of a round for one source."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from core.config import Config
from core.engine import status as st
from core.engine.filters import FilterSubject, RuleSet
from core.errors import TransientError, UnavailableError
from core.events import EventBus, ItemAdded, SourceScanned
from core.providers.bilibili import api
from core.providers.bilibili.client import BiliClient
from core.providers.bilibili.links import parse_link
from core.providers.bilibili.models import RemoteItem, SourceKind, VideoDetail
from core.store import repo
from core.store.db import Database
from core.store.models import Source, Video, utcnow

log = logging.getLogger(__name__)

# Collections, series and bangumi are not time-ordered: every scan lists them whole, which
# also tells which items left the list.
FULL_LIST_KINDS = {SourceKind.COLLECTION, SourceKind.SERIES, SourceKind.BANGUMI}
# New parts: each periodic check re-reads the details of up to 20 videos published in the last
# 30 days and of 10 older ones, least recently checked first, so every older video is looked
# at again about once a month (in a source of up to 300 older videos; slower beyond).
NEW_PARTS_RECENT = timedelta(days=30)
NEW_PARTS_RECHECK = timedelta(days=30)
NEW_PARTS_BUDGET = (20, 10)  # detail re-fetches per source per check: recent, older


@dataclass
class ScanReport:
    new_ids: list[int] = field(default_factory=list)
    removed: int = 0
    new_pages: int = 0


def item_row(item: RemoteItem) -> dict[str, object]:
    return {
        "key": item.key, "bvid": item.bvid, "aid": item.aid, "title": item.title, "cover": item.cover,
        "intro": item.intro, "upper_mid": item.upper.mid if item.upper else 0,
        "upper_name": item.upper.name if item.upper else "", "upper_face": item.upper.face if item.upper else "",
        "pubtime": item.pubtime, "fav_time": item.fav_time, "order_time": item.order_time,
        "duration": item.duration, "page_count": item.page_count, "valid": item.valid,
        "unavailable": "" if item.valid else "deleted or invalid upstream",
        "ep_id": item.ep_id, "cid": item.cid, "season_id": item.season_id, "season_number": item.season_number,
        "episode_number": item.episode_number, "series_title": item.series_title,
    }  # fmt: skip


class SourceScanner:
    def __init__(self, config: Config, db: Database, bus: EventBus) -> None:
        self.config = config
        self.db = db
        self.bus = bus

    async def scan(self, source: Source, client: BiliClient, *, periodic: bool) -> ScanReport:
        """List what is new; with `periodic` (see `periodic_check_due`) also find removed items."""
        ref = parse_link(source.key)
        report = ScanReport()
        since = None if ref.kind in FULL_LIST_KINDS else source.latest_row_at
        full = since is None  # a whole listing also tells which items left the list
        items: list[RemoteItem] = [item async for item in api.scan_source(client, ref, since)]
        # Only move the high-water mark after the whole listing succeeded.
        rows = [item_row(i) for i in items]
        report.new_ids = await self.db.run(repo.insert_videos, source.id, rows)
        newest = max((i.order_time for i in items), default=None)
        fields: dict[str, object] = {"last_scan_at": utcnow(), "last_error": ""}
        if newest is not None and (source.latest_row_at is None or newest > source.latest_row_at):
            fields["latest_row_at"] = newest

        upstream: set[str] | None = None
        if full:
            upstream = {i.key for i in items}
        elif periodic:
            upstream = await api.list_keys(client, ref)
        if periodic:
            fields["last_removal_check_at"] = utcnow()
        if upstream is not None:
            removed, restored = await self.db.run(repo.mark_removed, source.id, upstream)
            report.removed = len(removed)
            if removed:
                log.info("%s: %d videos left the list upstream", source.name, len(removed))
                if self.config["library.delete_removed"]:
                    await self._delete_removed_files(removed)
        await self.db.run(repo.update_source, source.id, **fields)

        titles = {i.key: i.title for i in items}
        if report.new_ids:
            for video in await self.db.run(_videos_by_ids, report.new_ids):
                self.bus.publish(ItemAdded(source.id or 0, video.id or 0, titles.get(video.key, video.title)))
        self.bus.publish(SourceScanned(source.id or 0, len(report.new_ids), report.removed))
        return report

    def periodic_check_due(self, source: Source) -> bool:
        """Time for the slow checks: items removed upstream and new parts of recent videos."""
        hours = self.config["risk.removal_check_h"]
        last = source.last_removal_check_at
        return last is None or utcnow() - last >= timedelta(hours=hours)

    async def _delete_removed_files(self, video_ids: list[int]) -> None:
        from core.library.files import remove_tree_inside

        for video in await self.db.run(_videos_by_ids, video_ids):
            source = await self.db.run(repo.get_source, video.source_id)
            if video.path and source is not None:
                remove_tree_inside(source.path, video.path)
                await self.db.run(repo.update_video, video.id, path="", status=0, state="pending")

    async def fill_details(self, source: Source, client: BiliClient) -> int:
        """Fetch details (pages, tags, staff) of new videos and apply the source's filter rules."""
        rules = RuleSet.from_json(source.rules) if source.rules else RuleSet()
        filled = 0
        for video in await self.db.run(repo.videos_needing_detail, source.id or 0):
            if video.ep_id is not None:  # bangumi episodes come complete from the season listing
                await self._save_episode(video, rules)
                filled += 1
                continue
            try:
                detail = await api.fetch_detail(client, video.bvid)
            except UnavailableError as exc:
                await self.db.run(repo.update_video, video.id, valid=False, unavailable=str(exc), detail_fetched=True)
                continue
            except TransientError as exc:
                log.warning("%s: details of %s postponed: %s", source.name, video.bvid, exc)
                continue
            await self._save_detail(video, detail, rules)
            filled += 1
        return filled

    async def check_new_parts(self, source: Source, client: BiliClient) -> int:
        """Re-read details of finished videos (recent ones every time, older ones in turns);
        new 分P get downloaded.

        Run only when `periodic_check_due` said so at the start of the source's turn."""
        if source.kind == SourceKind.BANGUMI:
            return 0
        added = 0
        now = utcnow()
        candidates = await self.db.run(
            repo.parts_check_candidates, source.id or 0, now,
            recent=NEW_PARTS_RECENT, recheck=NEW_PARTS_RECHECK, limits=NEW_PARTS_BUDGET,
        )  # fmt: skip
        for video in candidates:
            try:
                detail = await api.fetch_detail(client, video.bvid)
            except TransientError:
                continue  # asked again at the next check
            except UnavailableError:
                detail = None  # the scan of the list notices removals; no point asking daily
            if detail is not None and len(detail.pages) > video.page_count:
                added += await self.db.run(_add_new_pages, video.id, detail)
            await self.db.run(repo.update_video, video.id, parts_checked_at=now)
        return added

    async def _save_detail(self, video: Video, detail: VideoDetail, rules: RuleSet) -> None:
        unavailable = ""
        if detail.redirect_url:
            unavailable = "bangumi/film episode: add the bangumi itself as a source (ss:/ep: link)"
        elif detail.charge_only:
            unavailable = "charge-only video (充电专属)"
        elif detail.state != 0:
            unavailable = f"not public upstream (state {detail.state})"
        subject = FilterSubject(
            title=detail.title,
            tags=list(detail.tags),
            fav_time=video.fav_time,
            pub_time=detail.pubtime,
            page_count=len(detail.pages),
            duration=sum(p.duration for p in detail.pages) or detail.duration,
            multi_upper=len(detail.staff) > 1,
        )
        await self.db.run(_store_detail, video.id, detail, unavailable, rules.matches(subject))

    async def _save_episode(self, video: Video, rules: RuleSet) -> None:
        subject = FilterSubject(
            title=video.title, tags=[], fav_time=None, pub_time=video.pubtime, page_count=1,
            duration=video.duration, multi_upper=False,
        )  # fmt: skip
        await self.db.run(_store_episode, video.id, rules.matches(subject))


def _videos_by_ids(session, ids: list[int]) -> list[Video]:  # type: ignore[no-untyped-def]
    from sqlmodel import col, select

    return list(session.exec(select(Video).where(col(Video.id).in_(ids))))


def _store_detail(session, video_id: int, detail: VideoDetail, unavailable: str, wanted: bool) -> None:  # type: ignore[no-untyped-def]
    staff = [{"mid": u.mid, "name": u.name, "face": u.face, "role": u.role} for u in detail.staff or [detail.owner]]
    repo.update_video(
        session, video_id, title=detail.title, cover=detail.cover, intro=detail.intro,
        pubtime=detail.pubtime, duration=detail.duration, page_count=len(detail.pages),
        upper_mid=detail.owner.mid, upper_name=detail.owner.name, upper_face=detail.owner.face,
        staff=json.dumps(staff, ensure_ascii=False), tags=json.dumps(detail.tags, ensure_ascii=False),
        detail_fetched=True, valid=not unavailable, unavailable=unavailable, should_download=wanted,
    )  # fmt: skip
    repo.save_pages(session, video_id, [_page_row(p) for p in detail.pages])


def _store_episode(session, video_id: int, wanted: bool) -> None:  # type: ignore[no-untyped-def]
    video = session.get(Video, video_id)
    width, height, rotate = 0, 0, 0
    repo.update_video(session, video_id, detail_fetched=True, page_count=1, should_download=wanted)
    repo.save_pages(
        session, video_id,
        [{"cid": video.cid or 0, "pid": 1, "title": video.title, "duration": video.duration,
          "width": width, "height": height, "rotate": rotate}],
    )  # fmt: skip


def _page_row(p) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "cid": p.cid, "pid": p.page, "title": p.part, "duration": p.duration, "width": p.width,
        "height": p.height, "rotate": p.rotate, "first_frame": p.first_frame,
    }  # fmt: skip


def _add_new_pages(session, video_id: int, detail: VideoDetail) -> int:  # type: ignore[no-untyped-def]
    added = repo.save_pages(session, video_id, [_page_row(p) for p in detail.pages])
    if added:
        session.flush()
        video = session.get(Video, video_id)
        # the layout changes from movie to show when a single-page video gains parts:
        # every page's files are written again under Season 1; the pipeline moves existing media
        # files to their new names instead of downloading them again
        relayout = video.page_count == 1 and len(detail.pages) > 1
        repo.update_video(session, video_id, page_count=len(detail.pages))
        if relayout:
            for page in repo.pages_of(session, video_id):
                keep_media = page.status & (7 << (3 * st.PAGE_SUBTASKS.index("video")))
                repo.set_page_status(session, page.id, keep_media if page.path else 0)
            status = st.force_reset(video.status)
            repo.set_video_status(session, video_id, status)
        repo.refresh_video_pages_slot(session, video_id)
    return added
