"""The `syncdeck` command run from this tree as a new process, the way a person runs it, on a
data folder of its own."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from core.store.db import Database
from core.store.models import Account, RoundRecord, Source, Task, utcnow

REPO = Path(__file__).resolve().parents[2]
FLAGS = ("removed", "unavailable", "cancelled", "wanted", "paused")
# every stored state with every flag: each shown state occurs, most several times
COMBOS = list(itertools.product(("queued", "failed", "done"), *[(False, True)] * len(FLAGS)))


class Cli:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.config = root / "config.toml"
        self.config.write_text(f"[library]\nroot = {json.dumps(str(root / 'library'))}\n", encoding="utf-8")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("SYNCDECK_")}
        self.env.update(SYNCDECK_CONFIG=str(self.config), SYNCDECK_DATA_DIR=str(self.data))
        self.env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"  # never the user's keyring
        self.env.pop("PYTHONPATH", None)

    def run(self, *args: str, check: int | None = 0) -> subprocess.CompletedProcess[str]:
        # `-m` from the repository root: this tree's code, whatever the virtualenv installed
        proc = subprocess.run(
            [sys.executable, "-m", "desktop.launcher", *args], cwd=REPO, env=self.env, capture_output=True,
            text=True, timeout=60,
        )  # fmt: skip
        if check is not None and proc.returncode != check:
            raise AssertionError(f"syncdeck {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
        return proc

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "--json").stdout)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)


def fill(db: Database, library: Path) -> None:
    """Two sources, an account and a task for every combination of stored state and flags,
    some of them with parts; a finished round and a source cooling down after risk control."""

    def rows(session: Session) -> None:
        session.add(Account(name="主号", user_id="1001", user_name="同步测试员", secret_ref="bilibili/account/1"))
        session.flush()
        session.add(Source(kind="favorite", locator="fav:1", name="收藏", path=str(library / "a"), account_id=1))
        session.add(
            Source(
                kind="collection",
                locator="season:1:2",
                name="合集",
                path=str(library / "b"),
                schedule="7200",
                last_scan_at=utcnow() - timedelta(minutes=30),
                cooldown_until=utcnow() + timedelta(hours=3),
                last_error="risk control",
            )  # fmt: skip
        )
        session.add(RoundRecord(outcome="done", sources=2, new_items=5, downloaded=3, failed=1, finished_at=utcnow()))
        session.add(Source(kind="favorite", locator="fav:9", name="空的", path=str(library / "c"), enabled=False))
        session.flush()
        for index, (stored, removed, unavailable, cancelled, wanted, paused) in enumerate(COMBOS):
            task = Task(
                kind="video", provider="bilibili", source_id=1 + index % 2, key=f"BV{index}", title=f"视频 {index}",
                state=stored, removed_at=utcnow() if removed else None, unavailable="gone" if unavailable else "",
                cancelled=cancelled, wanted=wanted, paused=paused, steps='{"poster": 7, "parts": 0}',
                details='{"aid": 1}', bytes_total=10 * index,
            )  # fmt: skip
            session.add(task)
            session.flush()
            for number in range(index % 3):
                session.add(
                    Task(
                        kind="part",
                        provider="bilibili",
                        source_id=task.source_id,
                        parent_id=task.id,
                        key=f"{index}-{number}",
                        number=number + 1,
                        state=stored,
                        bytes_total=1000 + number,
                        steps='{"media": 4}',
                    )  # fmt: skip
                )

    db.call(rows)
