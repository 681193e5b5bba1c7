"""Repository functions: each takes a Session and runs on the database thread (Database.run)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from core.engine import status as st
from core.store.models import Account, Page, RoundRecord, Source, Video, utcnow
from core.store.states import TASK_STATES

# ---------------------------------------------------------------- accounts


def add_account(session: Session, account: Account) -> Account:
    session.add(account)
    session.flush()
    return account


def get_account(session: Session, account_id: int) -> Account | None:
    return session.get(Account, account_id)


def list_accounts(session: Session) -> list[Account]:
    return list(session.exec(select(Account).order_by(col(Account.id))))


def find_account_by_mid(session: Session, mid: int) -> Account | None:
    return session.exec(select(Account).where(Account.mid == mid)).first()


def update_account(session: Session, account_id: int, **fields: Any) -> None:
    session.execute(sa.update(Account).where(col(Account.id) == account_id).values(**fields))


def delete_account(session: Session, account_id: int) -> None:
    session.execute(sa.update(Source).where(col(Source.account_id) == account_id).values(account_id=None))
    session.execute(sa.delete(Account).where(col(Account.id) == account_id))


# ---------------------------------------------------------------- sources


def add_source(session: Session, source: Source) -> Source:
    session.add(source)
    session.flush()
    return source


def get_source(session: Session, source_id: int) -> Source | None:
    return session.get(Source, source_id)


def get_source_by_key(session: Session, key: str) -> Source | None:
    return session.exec(select(Source).where(Source.key == key)).first()


def list_sources(session: Session, *, enabled_only: bool = False, ids: Sequence[int] | None = None) -> list[Source]:
    query = select(Source).order_by(col(Source.id))
    if enabled_only:
        query = query.where(col(Source.enabled).is_(True))
    if ids is not None:
        query = query.where(col(Source.id).in_(ids))
    return list(session.exec(query))


def update_source(session: Session, source_id: int, **fields: Any) -> None:
    session.execute(sa.update(Source).where(col(Source.id) == source_id).values(**fields))


def delete_source(session: Session, source_id: int) -> list[str]:
    """Remove a source and its rows; returns the video folders it had (for optional deletion)."""
    video_ids = select(Video.id).where(Video.source_id == source_id)
    paths = [p for p in session.exec(select(Video.path).where(Video.source_id == source_id)) if p]
    session.execute(sa.delete(Page).where(col(Page.video_id).in_(video_ids)))
    session.execute(sa.delete(Video).where(col(Video.source_id) == source_id))
    session.execute(sa.delete(Source).where(col(Source.id) == source_id))
    return paths


@dataclass(frozen=True)
class SourceCounts:
    done: int = 0
    pending: int = 0
    failed: int = 0
    removed: int = 0
    skipped: int = 0

    @property
    def total(self) -> int:
        return self.done + self.pending + self.failed + self.skipped


def source_counts(session: Session) -> dict[int, SourceCounts]:
    """Per source: done / pending (incl. retrying) / failed / removed upstream / skipped."""
    removed = sa.case((col(Video.removed_at).is_not(None), 1), else_=0)
    skipped = sa.case((sa.or_(col(Video.valid).is_(False), col(Video.should_download).is_(False)), 1), else_=0)
    rows = session.execute(
        sa.select(
            Video.source_id,
            sa.func.sum(sa.case((sa.and_(Video.state == "done", skipped == 0), 1), else_=0)),
            sa.func.sum(sa.case((sa.and_(col(Video.state).in_(("pending", "retrying")), skipped == 0), 1), else_=0)),
            sa.func.sum(sa.case((sa.and_(Video.state == "failed", skipped == 0), 1), else_=0)),
            sa.func.sum(removed),
            sa.func.sum(skipped),
        ).group_by(Video.source_id)
    )
    return {row[0]: SourceCounts(*(int(v or 0) for v in row[1:])) for row in rows}


# ---------------------------------------------------------------- videos


VIDEO_LIST_FIELDS = (
    "key", "bvid", "aid", "title", "cover", "intro", "upper_mid", "upper_name", "upper_face",
    "pubtime", "fav_time", "order_time", "duration", "page_count", "valid", "unavailable",
    "ep_id", "cid", "season_id", "season_number", "episode_number", "series_title",
)  # fmt: skip


def insert_videos(session: Session, source_id: int, rows: Iterable[dict[str, Any]]) -> list[int]:
    """Bulk insert list items; existing (source, key) pairs are left alone. Returns new ids."""
    payload = [{**row, "source_id": source_id} for row in rows]
    if not payload:
        return []
    now = utcnow()
    for row in payload:
        row.setdefault("created_at", now)
        row.setdefault("updated_at", now)
    stmt = sqlite_insert(Video).on_conflict_do_nothing(index_elements=["source_id", "key"])
    new_ids: list[int] = []
    for row in payload:  # RETURNING with ON CONFLICT works row by row in SQLite
        result = session.execute(stmt.values(**row).returning(col(Video.id)))
        new_ids.extend(r[0] for r in result)
    return new_ids


def insert_videos_bulk(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Core executemany insert for large imports (benchmarks, migrations)."""
    if rows:
        session.execute(sa.insert(Video), list(rows))


def known_keys(session: Session, source_id: int) -> dict[str, int]:
    return {k: i for k, i in session.execute(sa.select(Video.key, Video.id).where(Video.source_id == source_id))}


def mark_removed(session: Session, source_id: int, upstream_keys: set[str]) -> tuple[list[int], list[int]]:
    """Flag videos no longer upstream (and unflag ones that came back). Returns (removed, restored)."""
    removed, restored = [], []
    rows = session.execute(sa.select(Video.id, Video.key, Video.removed_at).where(Video.source_id == source_id))
    now = utcnow()
    for vid, key, removed_at in rows:
        if key not in upstream_keys and removed_at is None:
            removed.append(vid)
        elif key in upstream_keys and removed_at is not None:
            restored.append(vid)
    if removed:
        session.execute(sa.update(Video).where(col(Video.id).in_(removed)).values(removed_at=now))
    if restored:
        session.execute(sa.update(Video).where(col(Video.id).in_(restored)).values(removed_at=None))
    return removed, restored


def get_video(session: Session, video_id: int) -> Video | None:
    return session.get(Video, video_id)


def find_videos(session: Session, *, source_id: int | None = None, bvid: str | None = None) -> list[Video]:
    query = select(Video)
    if source_id is not None:
        query = query.where(Video.source_id == source_id)
    if bvid is not None:
        query = query.where(Video.bvid == bvid)
    return list(session.exec(query))


def videos_needing_detail(session: Session, source_id: int, limit: int = 500) -> list[Video]:
    query = (
        select(Video)
        .where(Video.source_id == source_id, col(Video.detail_fetched).is_(False), col(Video.valid).is_(True))
        .where(col(Video.removed_at).is_(None))
        .order_by(col(Video.id))
        .limit(limit)
    )
    return list(session.exec(query))


def parts_check_candidates(
    session: Session, source_id: int, now: datetime, *, recent: timedelta, recheck: timedelta, limits: tuple[int, int]
) -> list[Video]:
    """Finished videos whose parts should be compared with upstream again: those published
    within `recent` (newest first, at most `limits[0]`), then older ones not checked within
    `recheck` (least recently checked first, at most `limits[1]`), so old videos take turns."""
    checked, published = col(Video.parts_checked_at), col(Video.pubtime)
    finished = (
        select(Video)
        .where(Video.source_id == source_id, col(Video.detail_fetched).is_(True), col(Video.valid).is_(True))
        .where(col(Video.removed_at).is_(None), col(Video.ep_id).is_(None))
        .where(Video.state == "done", col(Video.should_download).is_(True))
    )
    fresh = finished.where(published >= now - recent).order_by(published.desc()).limit(limits[0])
    older = (
        finished.where(sa.or_(published.is_(None), published < now - recent))
        .where(sa.or_(checked.is_(None), checked < now - recheck))
        .order_by(checked.is_not(None), checked)
        .limit(limits[1])
    )
    return [*session.exec(fresh), *session.exec(older)]


def update_video(session: Session, video_id: int, **fields: Any) -> None:
    fields.setdefault("updated_at", utcnow())
    session.execute(sa.update(Video).where(col(Video.id) == video_id).values(**fields))


def save_pages(session: Session, video_id: int, pages: Sequence[dict[str, Any]]) -> int:
    """Insert pages that are new (by cid); returns how many were added."""
    existing = set(session.exec(select(Page.cid).where(Page.video_id == video_id)))
    fresh = [p for p in pages if p["cid"] not in existing]
    for page in fresh:
        session.add(Page(video_id=video_id, **page))
    return len(fresh)


def pages_of(session: Session, video_id: int) -> list[Page]:
    return list(session.exec(select(Page).where(Page.video_id == video_id).order_by(col(Page.pid))))


def downloadable_videos(session: Session, source_id: int, attempts: int) -> list[Video]:
    """Videos with work left: valid, wanted, not removed, not paused, not finished."""
    query = (
        select(Video)
        .where(Video.source_id == source_id, col(Video.valid).is_(True), col(Video.should_download).is_(True))
        .where(col(Video.detail_fetched).is_(True), col(Video.removed_at).is_(None), col(Video.paused).is_(False))
        .where(col(Video.status).op("&")(st.COMPLETED) == 0)
        .order_by(col(Video.order_time).desc(), col(Video.id))
    )
    return [v for v in session.exec(query) if any(st.should_run(v.status, i, attempts) for i in range(st.SLOTS))]


def set_page_status(session: Session, page_id: int, status: int, **fields: Any) -> None:
    session.execute(
        sa.update(Page).where(col(Page.id) == page_id).values(status=status, state=st.state(status).value, **fields)
    )


def set_video_status(session: Session, video_id: int, status: int, **fields: Any) -> None:
    update_video(session, video_id, status=status, state=st.state(status).value, **fields)


def refresh_video_pages_slot(session: Session, video_id: int) -> int:
    """Recompute the video's "pages" slot from its pages and store it; returns the new status."""
    video = session.get(Video, video_id)
    assert video is not None
    pages = list(session.exec(select(Page.status).where(Page.video_id == video_id)))
    status = st.fixed(video.status, st.VIDEO_SUBTASKS.index("pages"), st.pages_slot_value(pages))
    set_video_status(session, video_id, status)
    return status


# ---------------------------------------------------------------- resets


def _video_scope(source_id: int | None, bvid: str | None, video_ids: Sequence[int] | None) -> sa.Select[Any]:
    query = sa.select(Video.id)
    if source_id is not None:
        query = query.where(Video.source_id == source_id)
    if bvid is not None:
        query = query.where(sa.or_(Video.bvid == bvid, Video.key == bvid))
    if video_ids is not None:
        query = query.where(col(Video.id).in_(video_ids))
    return query


def reset_statuses(
    session: Session,
    mode: str,
    *,
    source_id: int | None = None,
    bvid: str | None = None,
    video_ids: Sequence[int] | None = None,
) -> int:
    """mode "failed" (failed/given-up sub-tasks only), "force" (everything, re-download) or
    "interrupted" (failure counts after risk control). Returns how many videos changed."""
    transform = {"failed": st.reset_failed, "force": st.force_reset, "interrupted": st.reset_interrupted}[mode]
    ids = [row[0] for row in session.execute(_video_scope(source_id, bvid, video_ids))]
    changed = 0
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start : chunk_start + 500]
        for page in session.exec(select(Page).where(col(Page.video_id).in_(chunk))):
            new = transform(page.status)
            if new != page.status:
                # a forced reset forgets the media file, so it is fetched again
                set_page_status(session, page.id or 0, new, **({"path": ""} if mode == "force" else {}))
        for video in session.exec(select(Video).where(col(Video.id).in_(chunk))):
            new = transform(video.status)
            extra: dict[str, Any] = {}
            if mode == "force":
                extra = {"last_error": "", "paused": False}
            differs = new != video.status  # read first: the update below refreshes `video`
            if differs or extra:
                set_video_status(session, video.id or 0, new, **extra)
                changed += differs
    return changed


# ---------------------------------------------------------------- task listing


@dataclass(frozen=True)
class VideoRow:
    id: int
    source_id: int
    key: str
    bvid: str
    title: str
    cover: str
    state: str
    status: int
    page_count: int
    valid: bool
    unavailable: str
    should_download: bool
    removed: bool
    paused: bool
    last_error: str
    path: str
    updated_at: datetime
    size: int = 0  # bytes of the media files written so far


def _task_filter(query: sa.Select[Any], state: str | None, source_id: int | None, search: str | None) -> sa.Select[Any]:
    """Filter by the one word a person sees for a video; each video matches exactly one state.

    Removed upstream wins, then skipped (unavailable or not wanted), then done, then paused,
    then the stored state (pending, retrying, failed).
    """
    if state is not None:
        if state not in TASK_STATES:
            raise ValueError(f"unknown task state {state!r}; use one of {', '.join(TASK_STATES)}")
        removed = col(Video.removed_at).is_not(None)
        skipped = sa.or_(col(Video.valid).is_(False), col(Video.should_download).is_(False))
        if state == "removed":
            query = query.where(removed)
        elif state == "skipped":
            query = query.where(sa.not_(removed), skipped)
        else:
            query = query.where(sa.not_(removed), sa.not_(skipped))
            if state == "done":
                query = query.where(Video.state == "done")
            elif state == "paused":
                query = query.where(Video.state != "done", col(Video.paused).is_(True))
            else:
                query = query.where(Video.state == state, col(Video.paused).is_(False))
    if source_id is not None:
        query = query.where(Video.source_id == source_id)
    if search:
        like = f"%{search}%"
        query = query.where(sa.or_(col(Video.title).like(like), col(Video.bvid).like(like)))
    return query


# A video's size: its pages' media files, summed per row (page.video_id is indexed).
_written_bytes = (
    sa.select(sa.func.coalesce(sa.func.sum(Page.size), 0)).where(Page.video_id == Video.id).scalar_subquery()
)


def list_video_rows(
    session: Session,
    *,
    state: str | None = None,
    source_id: int | None = None,
    search: str | None = None,
    after_id: int | None = None,
    limit: int = 200,
) -> list[VideoRow]:
    """Keyset-paged task list (ordered by id) for the CLI and the GUI's lazy model."""
    query = sa.select(
        Video.id, Video.source_id, Video.key, Video.bvid, Video.title, Video.cover, Video.state, Video.status,
        Video.page_count, Video.valid, Video.unavailable, Video.should_download, Video.removed_at, Video.paused,
        Video.last_error, Video.path, Video.updated_at, _written_bytes,
    ).order_by(col(Video.id))  # fmt: skip
    query = _task_filter(query, state, source_id, search)
    if after_id is not None:
        query = query.where(col(Video.id) > after_id)
    rows = session.execute(query.limit(limit))
    return [
        VideoRow(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            r[8],
            r[9],
            r[10],
            r[11],
            r[12] is not None,
            r[13],
            r[14],
            r[15],
            r[16],
            r[17],
        )  # fmt: skip
        for r in rows
    ]


def count_video_rows(
    session: Session, *, state: str | None = None, source_id: int | None = None, search: str | None = None
) -> int:
    query = _task_filter(sa.select(sa.func.count()).select_from(Video), state, source_id, search)
    return int(session.execute(query).scalar_one())


# ---------------------------------------------------------------- rounds


def start_round(session: Session, sources: int) -> RoundRecord:
    record = RoundRecord(sources=sources)
    session.add(record)
    session.flush()
    return record


def finish_round(session: Session, round_id: int, **fields: Any) -> None:
    session.execute(
        sa.update(RoundRecord).where(col(RoundRecord.id) == round_id).values(finished_at=utcnow(), **fields)
    )


def recent_rounds(session: Session, limit: int = 10) -> list[RoundRecord]:
    return list(session.exec(select(RoundRecord).order_by(col(RoundRecord.id).desc()).limit(limit)))


def state_totals(session: Session) -> dict[str, int]:
    rows = session.execute(sa.select(Video.state, sa.func.count()).group_by(Video.state))
    return {state: int(n) for state, n in rows}
