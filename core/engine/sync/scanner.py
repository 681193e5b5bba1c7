"""List and detail stages of a round for one source, for any provider that can scan.

What a listing already tells is used in the same round at no extra request: items that
vanished inside the span it read are marked removed, and known items whose part count grew
get their details fetched again so the new parts download now. The periodic check covers
what listings cannot tell (removals further down an incremental list, new parts of lists
that do not count parts).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from core.config import Config
from core.engine.filters import FilterSubject, RuleSet
from core.engine.items import item_fields, item_of, part_fields
from core.engine.library.pipeline import ITEM_STEPS, PART_STEPS
from core.errors import TransientError, UnavailableError
from core.events import EventBus, SourceScanned, TaskAdded
from core.library.files import remove_item_folder
from core.providers.protocols import MediaItem, ProviderSession, SourceScanner, SourceTarget
from core.store import repo
from core.store.db import Database
from core.store.models import Source, Task, utcnow
from core.tasks import steps as stp

log = logging.getLogger(__name__)

# New parts: each periodic check re-reads the details of up to 20 items published in the last
# 30 days and of 10 older ones, least recently checked first, so every older item is looked
# at again about once a month (in a source of up to 300 older items; slower beyond).
NEW_PARTS_RECENT = timedelta(days=30)
NEW_PARTS_RECHECK = timedelta(days=30)
NEW_PARTS_BUDGET = (20, 10)  # detail re-fetches per source per check: recent, older


@dataclass
class ScanReport:
    new_ids: list[int] = field(default_factory=list)
    removed: int = 0
    grown: int = 0  # known items whose listing shows more parts than we have
    revised: int = 0  # known items whose content changed upstream (a new revision)


def target_of(source: Source) -> SourceTarget:
    return SourceTarget(provider=source.provider, locator=source.locator, kind=source.kind, kind_label="")


def new_item_row(item: MediaItem, provider: str) -> dict[str, object]:
    """A task row for an item a listing just found; its steps all start out pending."""
    return {
        **item_fields(item), "kind": "video", "provider": provider, "steps": stp.dumps(stp.new(ITEM_STEPS)),
        "complete": False,  # parts are stored by `fill_details` (which also applies the rules)
    }  # fmt: skip


class SyncScanner:
    def __init__(self, config: Config, db: Database, bus: EventBus) -> None:
        self.config = config
        self.db = db
        self.bus = bus

    async def scan(
        self, scanner: SourceScanner, session: ProviderSession, source: Source, *, periodic: bool
    ) -> ScanReport:
        """List what is new; notice removals and grown part counts the listing shows; with
        `periodic` (see `periodic_check_due`) also ask for every key to find other removals."""
        target = target_of(source)
        report = ScanReport()
        listing = await scanner.scan(session, target, source.cursor or None)
        known = await self.db.run(repo.known_items, source.id or 0)
        # a list that shifts while it is paged can show an item twice
        fresh = list({item.key: item for item in listing.items if item.key not in known}.values())
        report.new_ids = await self.db.run(
            repo.insert_items, source.id or 0, [new_item_row(i, source.provider) for i in fresh]
        )
        for item in fresh:
            if item.unavailable:
                log.info("%s: %s is unavailable (%s)", source.name, item.title or item.key, item.unavailable)
        rules = RuleSet.from_json(source.rules) if source.rules else RuleSet()
        for task_id, item in zip(report.new_ids, fresh, strict=True):
            if item.complete:  # episodes of a show come whole: no detail request for them
                await self.db.run(store_details, task_id, item, rules.matches(FilterSubject.from_item(item)))
        report.revised = await self.db.run(redo_revised, known, listing.items)
        if report.revised:
            log.info("%s: %d files changed upstream; downloading them again", source.name, report.revised)
        grown = [
            known[i.key].id
            for i in listing.items
            if i.key in known and known[i.key].complete and not known[i.key].episode
            and i.part_count > known[i.key].part_count > 0
        ]  # fmt: skip
        if grown:  # fetch details again: `fill_details` adds the new parts this round
            await self.db.run(repo.update_tasks, grown, complete=False)
            report.grown = len(grown)
            log.info("%s: %d items gained parts upstream", source.name, len(grown))
        # Only move the cursor after the whole listing succeeded.
        fields: dict[str, object] = {"last_scan_at": utcnow(), "last_error": "", "cursor": listing.cursor or ""}
        present = {i.key for i in listing.items}
        removed: list[int] = []
        if listing.whole:
            removed, _ = await self.db.run(repo.mark_removed, source.id, present)
        elif periodic:
            keys = await scanner.list_keys(session, target)
            removed, _ = await self.db.run(repo.mark_removed, source.id, keys)
        elif listing.span is not None:
            removed, _ = await self.db.run(repo.mark_removed, source.id, present, since=listing.span[0])
        if periodic:
            fields["last_removal_check_at"] = utcnow()
        report.removed = len(removed)
        if removed:
            log.info("%s: %d items left the list upstream", source.name, len(removed))
            if self.config["library.delete_removed"]:
                await self._delete_removed_files(removed)
        await self.db.run(repo.update_source, source.id, **fields)

        for task_id, item in zip(report.new_ids, fresh, strict=True):
            self.bus.publish(TaskAdded(task_id, source.id, "video", item.title))
        self.bus.publish(SourceScanned(source.id or 0, len(report.new_ids), report.removed))
        return report

    def periodic_check_due(self, source: Source) -> bool:
        """Time for the slow checks: items removed upstream and new parts of finished items."""
        hours = self.config["risk.removal_check_h"]
        last = source.last_removal_check_at
        return last is None or utcnow() - last >= timedelta(hours=hours)

    async def _delete_removed_files(self, task_ids: list[int]) -> None:
        for task in await self.db.run(repo.tasks_by_ids, task_ids):
            source = await self.db.run(repo.get_source, task.source_id)
            if task.path and source is not None:
                await asyncio.to_thread(remove_item_folder, source.path, task.path)  # rmtree can take a while
                await self.db.run(repo.reset_steps, "force", task_ids=[task.id])
                await self.db.run(repo.update_task, task.id, path="")

    async def fill_details(self, scanner: SourceScanner, session: ProviderSession, source: Source) -> int:
        """Fetch details (parts, tags, people) of new items and apply the source's filter rules."""
        rules = RuleSet.from_json(source.rules) if source.rules else RuleSet()
        filled = 0
        for task in await self.db.run(repo.items_needing_detail, source.id or 0):
            try:
                item = await scanner.complete(session, item_of(task))
            except UnavailableError as exc:
                log.info("%s: %s is unavailable (%s)", source.name, task.title, exc)
                await self.db.run(repo.update_task, task.id, unavailable=str(exc), complete=True)
                continue
            except TransientError as exc:
                log.warning("%s: details of %s postponed: %s", source.name, task.title, exc)
                continue
            if item.unavailable:
                log.info("%s: %s is unavailable (%s)", source.name, item.title or item.key, item.unavailable)
            await self.db.run(store_details, task.id, item, rules.matches(FilterSubject.from_item(item)))
            filled += 1
        return filled

    async def check_new_parts(self, scanner: SourceScanner, session: ProviderSession, source: Source) -> int:
        """Re-read details of finished items (recent ones every time, older ones in turns);
        new parts get downloaded. Run only when `periodic_check_due` said so."""
        added = 0
        now = utcnow()
        candidates = await self.db.run(
            repo.parts_check_candidates, source.id or 0, now,
            recent=NEW_PARTS_RECENT, recheck=NEW_PARTS_RECHECK, limits=NEW_PARTS_BUDGET,
        )  # fmt: skip
        for task in candidates:
            try:
                item = await scanner.complete(session, item_of(task))
            except TransientError:
                continue  # asked again at the next check
            except UnavailableError:
                item = None  # the listing notices removals; no point asking daily
            if item is not None and not item.unavailable and len(item.parts) > task.part_count:
                added += await self.db.run(add_new_parts, task.id, item)
            await self.db.run(repo.update_task, task.id, parts_checked_at=now)
        return added


def store_details(session, task_id: int, item: MediaItem, wanted: bool) -> None:  # type: ignore[no-untyped-def]
    """Save what `complete` returned: the item's fields, its new parts, the filter's verdict.
    A known item that gained parts is re-laid out by `add_new_parts`."""
    task = session.get(Task, task_id)
    if task.part_count and len(item.parts) > task.part_count and repo.parts_of(session, task_id):
        add_new_parts(session, task_id, item)
        repo.update_task(session, task_id, complete=True)
        return
    repo.update_task(session, task_id, **item_fields(item), complete=True, wanted=wanted)
    repo.save_parts(session, task, [part_fields(p) for p in item.parts], PART_STEPS)
    session.flush()
    repo.refresh_parts_step(session, task_id, "parts")


def redo_revised(session, known: dict[str, repo.KnownItem], items: Sequence[MediaItem]) -> int:  # type: ignore[no-untyped-def]
    """Known items whose revision changed upstream (a file replaced): store the new revision
    and reset every step, so the next download fetches them again over the old files."""
    listed = {i.key: i for i in items if i.revision and i.key in known}
    changed = []
    for task in repo.tasks_by_ids(session, [known[key].id for key in listed]):
        item = listed[task.key]
        if json.loads(task.details or "{}").get("revision", item.revision) != item.revision:
            repo.update_task(session, task.id, **item_fields(item))
            changed.append(task.id)
    if changed:
        repo.reset_steps(session, "force", task_ids=changed)
    return len(changed)


def add_new_parts(session, task_id: int, item: MediaItem) -> int:  # type: ignore[no-untyped-def]
    task = session.get(Task, task_id)
    added = repo.save_parts(session, task, [part_fields(p) for p in item.parts], PART_STEPS)
    if added:
        session.flush()
        # the layout changes from movie to show when a single-part item gains parts: every
        # part's files are written again under Season 1; the pipeline moves existing media
        # files to their new names instead of downloading them again
        relayout = task.part_count == 1 and len(item.parts) > 1
        repo.update_task(session, task_id, part_count=len(item.parts))
        if relayout:
            for part in repo.parts_of(session, task_id):
                steps = stp.loads(part.steps)
                keep = {"media"} if part.path else set()
                repo.set_steps(session, part.id, stp.force_reset(steps, set(steps) - keep))
            repo.set_steps(session, task_id, stp.force_reset(stp.loads(task.steps)))
        repo.refresh_parts_step(session, task_id, "parts")
    return added
