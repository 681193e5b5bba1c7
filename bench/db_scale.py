"""Store cost with 100,000 videos: our repository vs plain sqlite3 on the same file layout.

    .venv/bin/python bench/db_scale.py [--videos 100000]

Prints times and ratios (ours / plain sqlite3); the reference runs in the same process on
the same machine, so the ratio is what matters, not the seconds.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.store import repo  # noqa: E402
from core.store.db import Database  # noqa: E402
from core.store.models import Source, Task  # noqa: E402


def rows(n: int, source_id: int) -> list[dict[str, object]]:
    base = datetime(2026, 1, 1, tzinfo=UTC)
    return [
        {
            "source_id": source_id,
            "kind": "video",
            "provider": "bilibili",
            "key": f"BV{i:010d}",
            "details": f'{{"bvid": "BV{i:010d}", "aid": {i}}}',
            "title": f"视频 {i} — a title of ordinary length for a Bilibili upload",
            "cover": "",
            "intro": "",
            "published_at": base + timedelta(minutes=i),
            "order_at": base + timedelta(minutes=i),
            "state": ("done", "queued", "failed")[i % 3],
            "steps": '{"poster": 0, "show_nfo": 0, "owner_avatar": 0, "owner_nfo": 0, "parts": 0}',
            "part_count": 1,
            "complete": True,
            "created_at": base,
            "updated_at": base,
        }  # fmt: skip
        for i in range(n)
    ]


def timed(fn, repeat: int = 1) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--videos", type=int, default=100_000)
    n = parser.parse_args().videos
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(Path(tmp) / "ours.db")
        source = db.call(repo.add_source, Source(kind="favorite", locator="fav:1", name="bench", path=tmp))
        data = rows(n, source.id or 0)
        ours_insert = timed(lambda: db.call(repo.insert_tasks_bulk, data))

        # reference: the same table, filled with sqlite3's executemany and tuples
        ref = sqlite3.connect(Path(tmp) / "ours.db")
        ref.execute("PRAGMA journal_mode=WAL")
        ref.execute("PRAGMA synchronous=NORMAL")
        ref_source = ref.execute(
            "INSERT INTO source (provider, kind, locator, name, path, enabled, rules, schedule, cursor, last_error, "
            "cooldown_level, created_at) VALUES ('bilibili', 'favorite', 'fav:2', 'ref', '', 1, '', '', '', '', 0, "
            "'2026-01-01')"
        ).lastrowid
        # every column, with the model's defaults where our rows leave them out
        defaults = {c.name: c.default.arg for c in Task.__table__.columns if c.default is not None}
        full = [{**defaults, **r, "source_id": ref_source} for r in data]
        for r in full:
            for k, v in r.items():
                if isinstance(v, datetime):
                    r[k] = v.replace(tzinfo=None).isoformat(" ")
                elif callable(v):
                    r[k] = None
        full = [{k: v for k, v in r.items() if k != "id"} for r in full]
        names = list(full[0])
        sql = f"INSERT INTO task ({', '.join(names)}) VALUES ({', '.join(':' + k for k in names)})"

        def ref_insert() -> None:
            with ref:
                ref.executemany(sql, full)

        ref_insert_t = timed(ref_insert)

        sid = source.id
        deep = n - 500
        ours_page = timed(lambda: db.call(repo.list_tasks, source_id=sid, after_id=deep, limit=200), 20)
        ref_page = timed(
            lambda: ref.execute(
                "SELECT id, source_id, key, title, cover, state, steps FROM task "
                "WHERE source_id = ? AND parent_id IS NULL AND id > ? ORDER BY id LIMIT 200",
                (sid, deep),
            ).fetchall(),
            20,
        )
        ours_filter = timed(lambda: db.call(repo.list_tasks, state="failed", after_id=deep, limit=200), 20)
        ref_filter = timed(
            lambda: ref.execute(
                "SELECT id, title, state FROM task WHERE state = 'failed' AND parent_id IS NULL AND id > ? "
                "ORDER BY id LIMIT 200",
                (deep,),
            ).fetchall(),
            20,
        )
        ours_counts = timed(lambda: db.call(repo.source_counts), 5)
        ours_search = timed(lambda: db.call(repo.list_tasks, search="BV00000999", limit=50), 5)
        ref.close()
        db.close()

    print(f"store with {n:,} videos (2 x {n:,} rows inserted)")
    print(f"{'operation':<34}{'ours':>12}{'sqlite3':>12}{'ratio':>8}")
    for name, ours, ref_t in [
        ("bulk insert", ours_insert, ref_insert_t),
        ("keyset page of 200 (deep)", ours_page, ref_page),
        ("state filter page of 200 (deep)", ours_filter, ref_filter),
    ]:
        print(f"{name:<34}{ours * 1000:>10.1f}ms{ref_t * 1000:>10.1f}ms{ours / ref_t:>7.2f}x")
    print(f"{'per-source counts (all rows)':<34}{ours_counts * 1000:>10.1f}ms")
    print(f"{'title/BV search':<34}{ours_search * 1000:>10.1f}ms")


if __name__ == "__main__":
    main()
