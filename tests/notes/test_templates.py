"""Templates: the three built in, user files beside them, a file given by path, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ConfigError
from core.notes.templates import all_templates, find_template, template_problems


def test_the_built_in_templates_and_their_parameters() -> None:
    found = {t.name: t for t in all_templates(None)}
    assert set(found) == {"comprehensive_lesson", "summary_report", "chinese_transcript"}
    assert found["comprehensive_lesson"].parameters == {"subject_area": "general", "detail_level": "detailed"}
    assert found["summary_report"].max_tokens == 4096 and found["summary_report"].temperature == 0.5
    chinese = found["chinese_transcript"]
    assert chinese.language == "zh_CN" and chinese.merge == "concatenate" and chinese.top_p == 0.95
    prompt = chinese.render({"title": "课", "video_duration": "01:00", "transcript": "T"})
    assert "# 课 - 完整中文逐字稿" in prompt and "### [MM:SS] 讲者" in prompt and "## ⏰ 重要时间节点" in prompt


def test_user_templates_override_and_files_by_path(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "summary_report.toml").write_text(
        'name = "summary_report"\ntitle = "Mine"\n[parameters]\nwho = "students"\n'
        '[prompt]\ntext = "For {{who}}: {{title}}\\n{{transcript}}"\n', encoding="utf-8")  # fmt: skip
    (folder / "quick.md").write_text("Bullet points of {{title}}:\n{{transcript}}", encoding="utf-8")
    (folder / "broken.toml").write_text("name = ", encoding="utf-8")
    mine = find_template("summary_report", folder)
    assert mine.title == "Mine" and mine.render({"title": "T", "transcript": "x"}) == "For students: T\nx"
    assert find_template("quick", folder).render({"title": "T", "transcript": "x"}) == "Bullet points of T:\nx"
    assert find_template(str(folder / "quick.md"), None).name == "quick"
    assert list(template_problems(folder)) == [str(folder / "broken.toml")]
    with pytest.raises(ConfigError, match="no note template named 'nope'"):
        find_template("nope", folder)
    with pytest.raises(ConfigError, match="cannot read the template"):
        find_template(str(tmp_path / "gone.toml"), folder)


async def test_a_templates_generation_settings_go_with_every_request(tiny_video: Path, tmp_path: Path) -> None:
    from core.notes.maker import NoteJob, make_note
    from tests.notes.fake_client import ScriptedClient
    from tests.notes.media import copies

    (video,) = copies(tiny_video, tmp_path / "in", 1, subtitles=True)
    chinese = find_template("chinese_transcript", None)
    job = NoteJob(video=video, source=str(video), title="lecture", template=chinese, params={}, language="zh_CN",
                  formats=["md"], out_dir=tmp_path / "out", ffmpeg=_ffmpeg(), piece_s=0.5)  # fmt: skip
    client = ScriptedClient()
    await make_note(job, client)
    assert len(client.settings) >= 2, "one request per piece of a long video"
    assert all(s == {"max_tokens": 65536, "temperature": 1.0, "top_p": 0.95} for s in client.settings)
    client.can_transcribe, client.can_watch_video, client.settings = False, True, []
    await make_note(NoteJob(**{**job.__dict__, "video": tiny_video, "piece_s": 600.0}), client)
    assert client.settings == [{"max_tokens": 65536, "temperature": 1.0, "top_p": 0.95}]


def _ffmpeg() -> str:
    from core.library.media import find_ffmpeg

    return find_ffmpeg("")
