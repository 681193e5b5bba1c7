"""Note files as other programs read them: YAML front matter, the JSON schema, HTML; and links."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import yaml

from core.engine.engine import Engine
from core.llm.protocol import Usage
from core.notes import outputs
from tests.notes.media import copies


def _note(**kw: object) -> outputs.Note:
    body = "## Key Points\n- [01:05] a point\n- [1:02:03] late\n\n## Conclusion\nSee [01:05] again; [x](http://a)."
    fields: dict[str, object] = dict(
        title='Lecture: "quotes" & <tags>', source="/v/a b.mp4", video="/v/a b.mp4", template="summary_report",
        model="m1", language="en", duration=3723.0, transcript_source="subtitles", body=body,
        usage=Usage(10, 5, 0.25), library_task=7,
    )  # fmt: skip
    fields.update(kw)
    return outputs.Note(**fields)  # type: ignore[arg-type]


def front_matter(text: str) -> dict[str, object]:
    assert text.startswith("---\n")
    head, _, _ = text[4:].partition("\n---\n")
    return yaml.safe_load(head)  # type: ignore[no-any-return]


def test_markdown_has_obsidian_front_matter_and_timestamps_that_open_the_player() -> None:
    text = outputs.markdown(_note())
    meta = front_matter(text)
    assert meta["title"] == 'Lecture: "quotes" & <tags>' and meta["duration"] == 3723.0
    assert meta["tags"] == ["syncdeck", "notes", "summary_report"] and meta["type"] == "note"
    assert meta["prompt_tokens"] == 10 and meta["cost"] == 0.25
    assert "[01:05](syncdeck://play?path=%2Fv%2Fa+b.mp4&task=7&t=65)" in text
    assert "[1:02:03](syncdeck://play?path=%2Fv%2Fa+b.mp4&task=7&t=3723)" in text
    assert "[x](http://a)" in text, "other links are left alone"
    link = outputs.play_link("/v/a b.mp4", 65, 7)
    assert outputs.parse_play_link(link) == {"path": "/v/a b.mp4", "task": "7", "t": "65"}
    assert outputs.parse_play_link("https://example.com/play?t=1") == {}


def test_json_follows_its_schema() -> None:
    data = json.loads(outputs.as_json(_note()))
    jsonschema.validate(data, outputs.NOTE_JSON_SCHEMA)
    assert [t["seconds"] for t in data["timestamps"]] == [65, 3723]
    assert [s["heading"] for s in data["sections"]] == ["Key Points", "Conclusion"]
    assert data["usage"] == {"prompt_tokens": 10, "completion_tokens": 5, "cost": 0.25}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def test_html_is_a_page_with_the_title_escaped_and_player_links() -> None:
    page = outputs.as_html(_note(body="## Points\n- [00:07] x\n<script>alert(1)</script>\n[bad](javascript:alert(1))"))
    parser = _Links()
    parser.feed(page)
    assert parser.title == 'Lecture: "quotes" & <tags>'
    assert "syncdeck://play?path=%2Fv%2Fa+b.mp4&task=7&t=7" in parser.links
    assert "<script>" not in page and not any(link.startswith("javascript:") for link in parser.links)


async def test_key_frames_are_images_in_the_note(engine: Engine, tiny_video: Path, tmp_path: Path) -> None:
    [video] = copies(tiny_video, tmp_path / "in", 1, subtitles=True)
    batch = await engine.notes.create_batch([str(video)], frames=2, formats=["md"])
    view = await engine.notes.run_batch(batch.id)
    assert view.done == 1
    note = video.with_name(f"{video.stem}.summary_report.md")
    frames = sorted(video.parent.glob(f"{video.stem}.summary_report.frames/*.jpg"))
    assert [f.name for f in frames] == ["000001.jpg", "000002.jpg"]
    assert frames[0].read_bytes()[:2] == b"\xff\xd8", "a real JPEG"
    assert f"({video.stem}.summary_report.frames/000001.jpg)" in note.read_text(encoding="utf-8")
