"""Transcripts from subtitle files, and long videos read in pieces whose times join up."""

from __future__ import annotations

from pathlib import Path

from core.library.layout import DANMAKU_SUFFIX
from core.llm.protocol import TranscriptSegment
from core.notes.maker import NoteJob, make_note
from core.notes.subtitles import parse_ass, parse_srt, read_subtitles
from core.notes.templates import find_template
from core.notes.transcript import pieces, split_segments
from tests.notes.fake_client import ScriptedClient
from tests.notes.media import SRT, make_video

ASS = """[Script Info]
Title: x

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
Dialogue: 0,0:00:01.50,0:00:03.00,Default,,0,0,0,,{\\i1}Hello{\\i0}, world\\Nagain
"""


def test_srt_and_ass_become_segments_and_danmaku_is_not_speech(tmp_path: Path) -> None:
    assert parse_srt(SRT)[0] == TranscriptSegment(0.0, 1.0, "Today we learn how notes are made.")
    assert parse_ass(ASS) == [TranscriptSegment(1.5, 3.0, "Hello, world again")]
    video = tmp_path / "v.mp4"
    video.write_bytes(b"x")
    (tmp_path / f"v{DANMAKU_SUFFIX}").write_text(ASS, encoding="utf-8")
    assert read_subtitles(video) == [], "the danmaku file is not a transcript"
    (tmp_path / "v.en.ass").write_text(ASS, encoding="utf-8")
    assert [s.text for s in read_subtitles(video)] == ["Hello, world again"]
    (tmp_path / "v.zh-CN.srt").write_text(SRT, encoding="utf-8")
    assert len(read_subtitles(video)) == 2, "SRT is preferred"


def test_pieces_of_about_twenty_minutes() -> None:
    assert pieces(600) == [(0.0, 600)]
    two_hours = pieces(7200)
    assert len(two_hours) == 6 and all(length == 1200 for _, length in two_hours)
    assert len(pieces(1200 * 3 + 100)) == 3, "a short tail joins the last piece"
    segments = [TranscriptSegment(t, t + 5, f"s{t}") for t in range(0, 3600, 5)]
    chunks = split_segments(segments)
    assert len(chunks) == 3 and sum(len(c) for c in chunks) == len(segments)


async def test_a_long_video_is_transcribed_in_pieces_and_the_notes_merged(tmp_path: Path) -> None:
    video = make_video(tmp_path / "long talk.mp4", seconds=3.0)
    client = ScriptedClient()
    job = NoteJob(
        video=video, source=str(video), title="long talk", template=find_template("summary_report", None),
        params={}, language="en", formats=["md"], out_dir=tmp_path / "out", ffmpeg=_ffmpeg(), piece_s=1.0,
    )  # fmt: skip
    outcome = await make_note(job, client)
    kinds = [kind for kind, _ in client.calls]
    assert kinds.count("transcribe") == 3, "three pieces of audio"
    assert kinds.count("complete") == 4, "a note per piece, then one merge"
    assert "part 3 of 3" in client.calls[-2][1] and "[00:02]" in client.calls[-2][1], "times shifted by the piece"
    assert "Merge them into one note" in client.calls[-1][1]
    assert outcome.usage.prompt_tokens == 4 * 120
    assert Path(outcome.files[0]) == tmp_path / "out" / "summary_report" / "long talk.md"


def _ffmpeg() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()
