"""INPUTs: folders, lists, CSVs, links and sources of the library, each becoming videos or a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.engine.engine import Engine
from core.errors import ConfigError
from core.store.models import Source, Task
from tests.notes.media import copies


async def test_folders_lists_and_csv_files_expand_to_videos(engine: Engine, tiny_video: Path, tmp_path: Path) -> None:
    a, b = copies(tiny_video, tmp_path / "course" / "week 1", 2, subtitles=False)
    [c] = copies(tiny_video, tmp_path / "other", 1, subtitles=False, prefix="talk")
    (tmp_path / "course" / "notes.txt").write_text("not a video", encoding="utf-8")
    listing = tmp_path / "list.txt"
    listing.write_text(f"# my list\nother/{c.name}\n\nmissing.mp4\n", encoding="utf-8")
    table = tmp_path / "table.csv"
    table.write_text(f"title,path\nThe talk,{c}\n,{a}\n", encoding="utf-8")

    folder = await engine.notes.create_batch([str(tmp_path / "course")])
    assert [t.title for t in await engine.notes.batch_tasks(folder.id)] == ["lecture 01", "lecture 02"]
    listed = await engine.notes.batch_tasks((await engine.notes.create_batch([str(listing)])).id)
    assert [(t.title, t.video_path, t.error) for t in listed] == [
        ("talk 01", str(c), ""),
        ("missing", "", f"no such file: {tmp_path / 'missing.mp4'}"),
    ]
    from_csv = await engine.notes.batch_tasks((await engine.notes.create_batch([str(table)])).id)
    assert [(t.title, t.video_path) for t in from_csv] == [("The talk", str(c)), ("lecture 01", str(a))]
    both = await engine.notes.create_batch([str(tmp_path / "course"), str(a)])
    assert both.total == 2, "a video named twice is one task"
    assert b.exists()


async def test_a_missing_input_or_a_csv_without_path_is_refused(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file or folder"):
        await engine.notes.create_batch([str(tmp_path / "nope")])
    bad = tmp_path / "bad.csv"
    bad.write_text("name,when\nx,y\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="`path` or `url` column"):
        await engine.notes.create_batch([str(bad)])
    with pytest.raises(ConfigError, match="there is no such source"):
        await engine.notes.create_batch(["source:99"])
    with pytest.raises(ConfigError, match="playlist"):
        await engine.notes.create_batch(["playlist:1"])


async def test_synced_videos_by_source_task_and_link(
    engine: Engine, client: object, tiny_video: Path, tmp_path: Path
) -> None:
    [part_file] = copies(tiny_video, tmp_path / "lib" / "fav" / "Video A", 1, subtitles=True)

    def plant(session):  # type: ignore[no-untyped-def]
        source = Source(kind="favorite", locator="fav:1", name="Fav", path=str(tmp_path / "lib" / "fav"))
        session.add(source)
        session.flush()
        video = Task(kind="video", provider="bilibili", source_id=source.id, key="BV1xx411c7mD", title="Video A",
                     path=str(part_file.parent), state="done")  # fmt: skip
        session.add(video)
        session.flush()
        session.add(Task(kind="part", provider="bilibili", parent_id=video.id, key="1", number=1, title="P1",
                         path=str(part_file), state="done"))  # fmt: skip
        other = Task(kind="video", provider="bilibili", source_id=source.id, key="BV1yy411c7mE", title="Not yet",
                     state="queued")  # fmt: skip
        session.add(other)
        return source.id, video.id

    source_id, video_id = await engine.db.run(plant)
    by_source = await engine.notes.batch_tasks((await engine.notes.create_batch([f"source:{source_id}"])).id)
    assert [(t.title, t.video_path, t.error) for t in by_source] == [
        ("Video A", str(part_file), ""),
        ("Not yet", "", "not downloaded yet: sync it first"),
    ]
    by_task = await engine.notes.batch_tasks((await engine.notes.create_batch([f"task:{video_id}"])).id)
    assert [t.video_path for t in by_task] == [str(part_file)]
    link = "https://www.bilibili.com/video/BV1xx411c7mD/?p=1"
    engine.config.values["notes.attempts"] = 1  # the site is a closed port here: no use trying it again
    batch = await engine.notes.create_batch([link, "https://www.bilibili.com/video/BV1zz411c7mZ"])
    view = await engine.notes.run_batch(batch.id)
    tasks = await engine.notes.batch_tasks(batch.id)
    assert [t.state for t in tasks] == ["done", "failed"]
    assert tasks[1].error.startswith("cannot be read from its site (") and "sync it first" in tasks[1].error
    assert view.state == "failed"
    assert part_file.with_name(f"{part_file.stem}.summary_report.md").is_file(), "the note sits next to the video"
    by_id = await engine.notes.batch_tasks((await engine.notes.create_batch(["BV1xx411c7mD"])).id)
    assert [t.video_path for t in by_id] == [str(part_file)], "a video's id pasted alone"


async def test_a_playlists_local_files_and_synced_videos(engine: Engine, tiny_video: Path, tmp_path: Path) -> None:
    from dataclasses import dataclass

    [local] = copies(tiny_video, tmp_path / "mine", 1, subtitles=True)

    @dataclass
    class Entry:  # the fields of the playlists feature's EntryView that notes read
        position: int
        title: str
        url: str

    class Playlists:
        async def entries(self, playlist_id: int, after_position: int | None = None, limit: int = 200) -> list[Entry]:
            assert playlist_id == 5
            return [Entry(0, "Mine", local.as_uri()), Entry(1, "Elsewhere", "https://example.com/watch/1")]

    engine.notes.playlists = Playlists()
    batch = await engine.notes.create_batch(["playlist:5"])
    tasks = await engine.notes.batch_tasks(batch.id)
    assert [(t.title, t.video_path, t.error) for t in tasks] == [
        ("Mine", str(local), ""),
        ("Elsewhere", "", ""),
    ], "a link is fetched by its task, not while the batch is made"
    await engine.notes.run_batch(batch.id)
    mine, elsewhere = await engine.notes.batch_tasks(batch.id)
    assert (mine.state, elsewhere.state) == ("done", "failed")
    assert elsewhere.error.startswith("cannot be read from its site (") and elsewhere.attempts == 1
