"""Demo data of the Notes and Tasks screenshots that need more than the fake Bilibili: note
batches written through an OpenAI-compatible account (the fake on 127.0.0.1), and torrents
seeded and fetched over loopback by real libtorrent peers in subprocesses."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# libtorrent on loopback only: no discovery, no uTP; local peers held to the limits so the
# speeds stay readable while the screenshots are taken
TORRENT_SETTINGS = {
    "torrent.interface": "127.0.0.1", "torrent.listen_port": "0", "torrent.dht": "false", "torrent.lsd": "false",
    "torrent.pex": "false", "torrent.utp": "false", "torrent.multiple_per_ip": "true",
    "torrent.lan_unlimited": "false", "torrent.up_kib": "40",
}  # fmt: skip

NOTE = """## Main Topic
How a signal is taken apart into frequencies, and why that makes filters easy to design.

## Key Points
- [00:42] A periodic signal is a sum of sines: the Fourier series.
- [02:15] The Fourier transform extends this to signals that never repeat.
- [04:30] Convolution in time is multiplication in frequency.
- [07:05] Sampling below twice the highest frequency folds it back (aliasing).

## Important Timestamps
- [01:10] — the square wave built from its first five harmonics
- [05:48] — a low-pass filter removes the hiss from a recording
- [09:20] — the Nyquist rate, worked through on a 44.1 kHz example

## Conclusion
Thinking in frequencies turns hard problems in time into simple ones: filters become
multiplications and sampling rules follow from the spectrum.
"""

NOTE_ZH = """## 主题
机器学习是什么：从数据中学出规律，而不是把规则一条条写出来。

## 要点
- [00:35] 监督学习：有标注的数据，学一个从输入到输出的映射。
- [02:40] 无监督学习：没有标注，找数据里的结构，例如聚类。
- [05:10] 训练集、验证集与测试集各自的用途。
- [08:25] 过拟合：在训练集上很好，在新数据上很差。

## 重要时间点
- [01:20] — 垃圾邮件分类的例子
- [06:30] — 学习曲线怎么看
- [10:05] — 本课程的路线图

## 总结
机器学习的核心是泛化：模型要在没见过的数据上也表现良好。
"""

LECTURES = [
    "01 Signals and systems",
    "02 Fourier series",
    "03 The Fourier transform",
    "04 Convolution",
    "05 Sampling and aliasing",
    "06 Filters",
]
TALKS = ["第1讲 机器学习概论", "第2讲 线性回归", "第3讲 梯度下降", "第4讲 正则化", "第5讲 逻辑回归", "第6讲 神经网络",
         "第7讲 反向传播", "第8讲 卷积网络"]  # fmt: skip
SRT = """1
00:00:00,000 --> 00:00:30,000
Today we look at signals in terms of their frequencies.

2
00:00:30,000 --> 00:01:00,000
A periodic signal is a sum of sines.
"""


def lecture_video(target: Path, seconds: int = 725) -> Path:
    """A long but tiny video (64x48, one frame a second, no sound): made in a tenth of a second."""
    import imageio_ffmpeg

    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", f"testsrc=size=64x48:rate=1:duration={seconds}",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(target)],
        check=True, timeout=60,
    )  # fmt: skip
    return target


def course(original: Path, folder: Path, titles: list[str]) -> None:
    """One hard link of `original` per title, each with its subtitles (so no transcription)."""
    folder.mkdir(parents=True, exist_ok=True)
    for title in titles:
        target = folder / f"{title}.mp4"
        try:
            target.hardlink_to(original)
        except OSError:
            shutil.copyfile(original, target)
        target.with_suffix(".srt").write_text(SRT, encoding="utf-8")


async def notes_demo(engine: Any, root: Path, fake: Any) -> dict[str, int]:
    """A finished batch (one video failed) and a paused one in Chinese, written by the fake
    through a real OpenAI-compatible account with prices; the batch to show per language."""
    import asyncio

    llm, notes = engine.llm, engine.notes
    await llm.add_account("openai", "OpenAI", ["sk-demo-0000"], base_url=fake.api_base)
    await llm.refresh_models("OpenAI")
    await llm.set_model("OpenAI", "gpt-4o-2024-08-06", price_in=2.5, price_out=10)
    fake.script(reply=NOTE)
    original = lecture_video(root / "lecture.mp4")
    signals = root / "Signals and Systems"
    course(original, signals, LECTURES)
    (signals / "07 Filter design (damaged copy).mp4").write_bytes(b"\0" * 4096)  # the one that fails
    finished = await notes.create_batch([str(signals)], llm="OpenAI", model="gpt-4o-2024-08-06", workers=2,
                                        out_dir=str(root / "notes"), name="Signals and Systems")  # fmt: skip
    await notes.run_batch(finished.id)
    machine = root / "机器学习"
    course(original, machine, TALKS)
    fake.script(reply=NOTE_ZH, delay=1.5)
    paused = await notes.create_batch([str(machine)], llm="OpenAI", model="gpt-4o-2024-08-06", workers=2,
                                      out_dir=str(root / "notes"), name="机器学习")  # fmt: skip
    await notes.start_batch(paused.id)
    for _ in range(100):  # until a few notes are written
        if (await notes.batch(paused.id)).done >= 3:
            break
        await asyncio.sleep(0.1)
    await notes.pause_batch(paused.id)
    return {"en": int(finished.id), "zh_CN": int(paused.id)}


@contextlib.contextmanager
def torrent_peers(root: Path) -> Iterator[dict[str, Any]]:
    """Two torrents: one a seeder (a subprocess) sends slowly, and one whose data are already
    here (SyncDeck seeds it); `leech(port)` starts a peer fetching the second from SyncDeck."""
    from tests.torrent.swarm import MiB, Peer, Swarm, start_process

    fetched = Swarm(root / "fetched", "Open Movies", {"Sintel.mkv": 6 * MiB, "Sintel.en.srt": 40_000})
    seeded = Swarm(root / "seeded", "Debian Live Demo", {"debian-live-demo.iso": 8 * MiB})
    fetched.seed("--upload-kib", "96")
    peers: list[Peer] = []

    def leech(port: int) -> None:
        proc, peer_port = start_process("tests.fakes.seeder", str(seeded.torrent), str(root / "leech"), "--leech",
                                        "--connect", f"127.0.0.1:{port}")  # fmt: skip
        peers.append(Peer(proc, peer_port))

    try:
        yield {"fetched": fetched, "seeded": seeded, "leech": leech}
    finally:
        fetched.stop()
        for peer in peers:
            peer.stop()


async def torrents_demo(engine: Any, peers: dict[str, Any], downloads: Path) -> None:
    """Both torrents added the way a user adds them; the seeded one finds its data in place."""
    fetched, seeded = peers["fetched"], peers["seeded"]
    torrents = engine.torrents
    view = await torrents.add(str(fetched.torrent), path=str(downloads))
    torrents.connect_peer(view.id, "127.0.0.1", fetched.peers[0].port)
    await torrents.add(str(seeded.torrent), path=str(seeded.content))
    peers["leech"](torrents.session.ses.listen_port())
