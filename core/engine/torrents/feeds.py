"""Torrents a watched folder or a feed offered: each entry once (by GUID, or file name and
size), after the source's filter rules, into the source's folder; a watched .torrent file
is then moved into `.added/` or deleted (the `torrent.watch_after` setting)."""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from core.engine.filters import FilterSubject, RuleSet
from core.engine.torrents import records
from core.errors import ConfigError, TorrentError

if TYPE_CHECKING:
    from core.engine.torrents.service import TorrentService
    from core.providers.torrent.feed import FoundTorrent

log = logging.getLogger(__name__)


async def adopt(service: TorrentService, source_id: int, entries: Sequence[FoundTorrent], path: str) -> list[int]:
    from core.store import repo
    from core.torrent import parse

    source = await service.db.run(repo.get_source, source_id)
    if source is None:
        return []
    seen = await service.db.run(records.feed_seen, source_id)
    rules = RuleSet.from_json(source.rules) if source.rules else RuleSet()
    added: list[int] = []
    for entry in entries:
        if entry.guid in seen:
            continue
        seen.add(entry.guid)
        subject = FilterSubject(title=entry.title, tags=(entry.category,) if entry.category else (),
                                pub_time=entry.published, size=entry.size or None)  # fmt: skip
        info_hash, outcome = "", ""
        if not rules.matches(subject):
            outcome = "filtered"
        else:
            try:
                if entry.data:
                    parsed = parse.parse_torrent_bytes(entry.data, entry.file)
                else:
                    parsed = await service.parse(entry.link)
                info_hash = parsed.info_hash
                if await service.db.run(records.by_hash, info_hash) is not None:
                    outcome = "duplicate"
                else:
                    view = await service.add_parsed(parsed, path=path, source_id=source_id,
                                                    start=service.started or service.keeps_running)  # fmt: skip
                    added.append(view.id)
                    outcome = "added"
            except (TorrentError, ConfigError) as exc:
                outcome = f"error: {exc}"[:500]
                log.warning("%s: %s not added: %s", source.name, entry.title or entry.guid, exc)
        await service.db.run(records.feed_record, source_id, entry.guid, entry.title, info_hash, outcome)
        if entry.file and outcome in ("added", "duplicate"):
            await asyncio.to_thread(_after_added, Path(entry.file), service.config["torrent.watch_after"])
    if added:
        log.info("%s: %d torrents added", source.name, len(added))
    return added


def _after_added(path: Path, action: str) -> None:
    try:
        if action == "delete":
            path.unlink(missing_ok=True)
        else:
            target = path.parent / ".added" / path.name
            target.parent.mkdir(exist_ok=True)
            shutil.move(str(path), str(target))
    except OSError as exc:
        log.warning("watched file %s not %s: %s", path, "deleted" if action == "delete" else "moved", exc)
