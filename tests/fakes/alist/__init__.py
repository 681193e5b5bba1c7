"""A fake Alist v3 / OpenList v4 on 127.0.0.1 (see app.py for what it reproduces and
state.py for its files, users and knobs), run in a subprocess and driven through `/_fake`."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from tests.fakes.alist.state import FOLDER_PASSWORD, PASSWORD, USER

REPO_ROOT = Path(__file__).resolve().parents[3]

__all__ = ["FOLDER_PASSWORD", "PASSWORD", "USER", "FakeAlist"]


class FakeAlist:
    USER = USER
    PASSWORD = PASSWORD
    FOLDER_PASSWORD = FOLDER_PASSWORD

    def __init__(self, media_dir: Path, *, startup_timeout: float = 60.0) -> None:
        self.media_dir = Path(media_dir)
        self.startup_timeout = startup_timeout
        self.base_url = ""
        self._process: subprocess.Popen[bytes] | None = None
        self._client: httpx.Client | None = None

    def __enter__(self) -> FakeAlist:
        self.media_dir.mkdir(parents=True, exist_ok=True)
        with (self.media_dir / "fake-alist.log").open("ab") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "tests.fakes.alist", "--port", "0", "--media-dir", str(self.media_dir)],
                cwd=REPO_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
            )  # fmt: skip
        started = threading.Event()
        threading.Thread(target=self._drain, args=(started,), daemon=True).start()
        started.wait(self.startup_timeout)
        if not self.base_url:
            self.__exit__(None, None, None)
            raise RuntimeError("the fake Alist did not start: " + (self.media_dir / "fake-alist.log").read_text())
        self._client = httpx.Client(base_url=self.base_url, timeout=10, trust_env=False)
        return self

    def _drain(self, started: threading.Event) -> None:
        assert self._process is not None and self._process.stdout is not None
        for raw in self._process.stdout:
            line = raw.decode(errors="replace").strip()
            if line.startswith("READY "):
                self.base_url = line.removeprefix("READY ")
                started.set()
        started.set()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        if self._client is not None:
            self._client.close()
        process, self._process = self._process, None
        if process is not None:
            if process.stdin is not None:
                process.stdin.close()
            process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _control(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        assert self._client is not None
        response = self._client.request(method, path, json=body)
        response.raise_for_status()
        payload: dict[str, Any] = response.json()
        return payload

    def reset(self) -> None:
        self._control("POST", "/_fake/reset")

    def knobs(self, **values: Any) -> dict[str, Any]:
        """flavour ("alist"/"openlist"), guest, hash_login, search_index, rate (bytes/s)."""
        return self._control("POST", "/_fake/knobs", values)["knobs"]

    def restart(self) -> None:
        """Forget every token, as a restarted server does."""
        self._control("POST", "/_fake/restart")

    def put(self, path: str, media: str = "clip", text: str | None = None) -> None:
        self._control("POST", "/_fake/put", {"path": path, "media": media, "text": text})

    def remove(self, path: str) -> None:
        self._control("POST", "/_fake/remove", {"path": path})

    def state(self) -> dict[str, Any]:
        return self._control("GET", "/_fake/state")
