"""End-to-end harness: the real `syncdeck` command against the fake Bilibili on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.bilibili import FakeBilibili
from tests.keyring_service import secret_service  # noqa: F401  (registers the fixture)

SYNCDECK = Path(sys.executable).with_name("syncdeck")
ROOT = Path(__file__).resolve().parents[2]


class Deck:
    """One isolated SyncDeck installation: config, data dir and library in a temp folder."""

    def __init__(self, fake: FakeBilibili, root: Path, *, env_login: bool = True) -> None:
        self.fake = fake
        self.root = root
        self.data = root / "data"
        self.library = root / "library"
        self.config = root / "config.toml"
        hosts = fake.hosts()
        self.config.write_text(
            "[library]\n"
            f"root = {json.dumps(str(self.library))}\n"
            "[limits]\n"
            "chunk_min_mib = 0.02\n"  # small test media still get split into ranges
            "[ui]\n"
            'language = "zh_CN"\n'  # a Chinese-speaking user: kind folders such as 收藏夹/
            "[risk]\n"
            "cooldown_s = 1\n"
            "[bilibili]\n" + "".join(f'{name}_host = "{url}"\n' for name, url in hosts.items()),
            encoding="utf-8",
        )
        self.env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("SYNCDECK_")
            and k not in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")
        }
        self.env.update(SYNCDECK_CONFIG=str(self.config), SYNCDECK_DATA_DIR=str(self.data), NO_PROXY="*")
        # the installed command, running this checkout's code (a git worktree's too)
        self.env["PYTHONPATH"] = str(ROOT)
        if env_login:
            self.env["SYNCDECK_BILIBILI_COOKIE"] = fake.COOKIE
            # no keyring needed when the login comes from the environment
            self.env.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

    def run(
        self, *args: str, input: str | None = None, timeout: float = 120, check: int | None = 0
    ) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [str(SYNCDECK), *args], env=self.env, input=input, capture_output=True, text=True, timeout=timeout
        )
        if check is not None and proc.returncode != check:
            raise AssertionError(
                f"syncdeck {' '.join(args)} exited {proc.returncode} (expected {check})\n"
                f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
            )
        return proc

    def popen(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [str(SYNCDECK), *args], env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "--json").stdout)

    def add(self, link: str, *extra: str) -> int:
        out = self.run("source", "add", link, *extra).stdout
        return int(out.split("#", 1)[1].split(":", 1)[0])

    def tasks(self, *args: str) -> list[dict[str, Any]]:
        return self.json("task", "list", *args)

    def sync(self, *args: str, expect: int = 0, timeout: float = 180) -> dict[str, Any]:
        proc = self.run("sync", "--json", *args, check=expect, timeout=timeout)
        return json.loads(proc.stdout)


@pytest.fixture
def deck(fake_bili: FakeBilibili, tmp_path: Path) -> Iterator[Deck]:
    yield Deck(fake_bili, tmp_path)


def ffprobe(path: Path) -> dict[str, Any]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
        capture_output=True, text=True, check=True, timeout=30,
    )  # fmt: skip
    return json.loads(out.stdout)
