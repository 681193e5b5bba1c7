"""A fake Bilibili: a real HTTP server on 127.0.0.1 speaking the web API's JSON, headers and quirks.

One port serves every host the client talks to (api, passport, www, comment, b23, the CDN
and the image host). Start it with `FakeBilibili(media_dir)` as a context manager, or by hand
with `python -m tests.fakes.bilibili --port 0 --media-dir DIR`.

- Default data: `world.py` (ids, titles, which item has which quirk).
- Fault and behaviour knobs: `scenario.py`.
- Control API: `control.py`.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from tests.fakes.bilibili import world
from tests.fakes.bilibili.world import (
    ACCOUNT_MID,
    BILI_JCT,
    BUVID3,
    COOKIE,
    COOKIES,
    DEDEUSERID,
    REFRESH_TOKEN,
    SESSDATA,
)

REPO_ROOT = Path(__file__).resolve().parents[3]

__all__ = [
    "ACCOUNT_MID",
    "BILI_JCT",
    "BUVID3",
    "COOKIE",
    "COOKIES",
    "DEDEUSERID",
    "REFRESH_TOKEN",
    "SESSDATA",
    "FakeBilibili",
    "FakeBilibiliError",
    "world",
]


class FakeBilibiliError(RuntimeError):
    """The fake did not start, or refused a control request."""


class FakeBilibili:
    """Runs the fake in a subprocess and drives it through its `/_fake` control API.

    The default account's login and every list id are class attributes (see `world.py` for
    the full data set), so tests can write `FakeBilibili.COOKIE` or `fake.FAV_ID`.
    """

    MID = ACCOUNT_MID
    COOKIE = COOKIE
    COOKIES = COOKIES
    SESSDATA = SESSDATA
    BILI_JCT = BILI_JCT
    DEDEUSERID = DEDEUSERID
    BUVID3 = BUVID3
    REFRESH_TOKEN = REFRESH_TOKEN
    FAV_ID = world.FAV_ID
    PRIVATE_FAV_ID = world.PRIVATE_FAV_ID
    UP_A_MID = world.UP_A_MID
    UP_B_MID = world.UP_B_MID
    UP_C_MID = world.UP_C_MID
    SEASON_ID = world.SEASON_ID
    SERIES_ID = world.SERIES_ID
    BANGUMI_SEASON_1 = world.BANGUMI_SEASON_1
    BANGUMI_SEASON_2 = world.BANGUMI_SEASON_2
    BANGUMI_MEDIA_1 = world.BANGUMI_MEDIA_1
    FAV_KEY = world.FAV_KEY
    SEASON_KEY = world.SEASON_KEY
    SERIES_KEY = world.SERIES_KEY
    UP_B_KEY = world.UP_B_KEY
    WATCH_LATER_KEY = world.WATCH_LATER_KEY

    def __init__(self, media_dir: Path, *, port: int = 0, startup_timeout: float = 30.0) -> None:
        self.media_dir = Path(media_dir)
        self.port = port
        self.startup_timeout = startup_timeout
        self.log_path = self.media_dir / "fake-bilibili.log"
        self.base_url = ""
        self._process: subprocess.Popen[bytes] | None = None
        self._client: httpx.Client | None = None

    # --- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> FakeBilibili:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> None:
        self.media_dir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.fakes.bilibili",
                    "--port",
                    str(self.port),
                    "--media-dir",
                    str(self.media_dir),
                    "--exit-on-stdin-eof",
                ],
                cwd=REPO_ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
            )
        started = threading.Event()
        threading.Thread(target=self._drain_stdout, args=(started,), daemon=True).start()
        started.wait(self.startup_timeout)
        if not self.base_url:
            self.stop()
            log_tail = self.log_path.read_text(errors="replace")[-2000:]
            raise FakeBilibiliError(f"fake Bilibili did not start within {self.startup_timeout} s:\n{log_tail}")
        self._client = httpx.Client(base_url=self.base_url, timeout=10, trust_env=False)

    def _drain_stdout(self, started: threading.Event) -> None:
        """Take the READY line, then keep reading so the server never blocks on a full pipe."""
        process = self._process
        assert process is not None and process.stdout is not None
        for raw_line in process.stdout:
            line = raw_line.decode(errors="replace").strip()
            if line.startswith("READY ") and not started.is_set():
                self.base_url = line.removeprefix("READY ")
                started.set()
        started.set()  # the server exited: stop waiting

    def stop(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    # --- control API -----------------------------------------------------------------------

    def _control(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        if self._client is None:
            raise FakeBilibiliError("fake Bilibili is not running")
        response = self._client.request(method, path, json=body)
        payload: dict[str, Any] = response.json()
        if response.status_code != 200:
            raise FakeBilibiliError(f"{method} {path}: {payload.get('error', response.text)}")
        return payload

    def hosts(self) -> dict[str, str]:
        return {name: self.base_url for name in ("api", "passport", "www", "comment", "b23")}

    def reset(self) -> None:
        """Default world and login, no knobs, zero counters."""
        self._control("POST", "/_fake/reset")

    def scenario(self, **knobs: Any) -> dict[str, Any]:
        """Add knobs (see scenario.py), e.g. `scenario(risk={"endpoint": "/x/player/wbi/playurl",
        "kind": "-352", "nth": 2})`. Returns the knobs now in force."""
        return self._control("POST", "/_fake/scenario", knobs)["knobs"]

    def state(self) -> dict[str, Any]:
        return self._control("GET", "/_fake/state")

    def calls(self, endpoint: str | None = None) -> int:
        """API calls since the last reset: to one endpoint path (e.g. "/x/web-interface/nav"), or all."""
        calls: dict[str, int] = self.state()["calls"]
        return calls.get(endpoint, 0) if endpoint is not None else sum(calls.values())

    # --- world mutators --------------------------------------------------------------------

    def _world(self, operation: str, **body: Any) -> dict[str, Any]:
        return self._control("POST", f"/_fake/world/{operation}", body)

    def add_video(self, target: str, video: dict[str, Any] | None = None) -> dict[str, Any]:
        """Add a video to a list (`fav:ID`, `season:MID:SID`, `series:MID:SID`, `up:MID`,
        `watchlater`), newest in that list. Returns `{"bvid", "aid", "cids"}`.

        `video` keys, all optional: `bvid` (an existing one is reused as is), `aid`, `title`,
        `desc`, `owner` (mid), `pubdate`, `added` (fav_time / add_at; default now), `pages`
        (a count, or a list of `{"part", "duration"}`), `tags` (names), `staff`
        (`[[mid, role]]`), `charge_only`, `durl_only`, `silent`, `dolby`, `hires`,
        `view_code`, `qualities`.
        """
        return self._world("add_video", target=target, video=video or {})

    def add_favorite_folder(self, title: str = "", *, private: bool = False) -> int:
        """Create an empty favorite folder of the account (fill it with `add_video("fav:ID")`);
        returns its media_id, numbered like the site's (fid * 100 + mid % 100)."""
        return int(self._world("add_favorite_folder", title=title, private=private)["media_id"])

    def add_page(self, bvid: str, part: str, duration: int = world.MEDIA_DURATION) -> int:
        """Append a page; returns its cid."""
        return int(self._world("add_page", bvid=bvid, part=part, duration=duration)["cid"])

    def remove_item(self, target: str, bvid: str) -> None:
        self._world("remove_item", target=target, bvid=bvid)

    def delete_video(self, bvid: str) -> None:
        """view/pagelist/playurl answer -404; favorites list it as 已失效视频 (attr 1)."""
        self._world("delete_video", bvid=bvid)

    def set_charge_only(self, bvid: str, value: bool = True) -> None:
        self._world("set_charge_only", bvid=bvid, value=value)

    def update_video(self, bvid: str, **fields: Any) -> None:
        """Change fields of a video: title, desc, pubdate, view_code, deleted, charge_only,
        durl_only, silent, dolby, hires, in_space, qualities."""
        self._world("update_video", bvid=bvid, fields=fields)

    def set_vip(self, value: bool) -> None:
        """Whether the account is 大会员 (decides 4K/HDR/Hi-Res and bangumi trial clips)."""
        self._world("set_vip", value=value)

    # --- QR login --------------------------------------------------------------------------

    def qr_scan(self, key: str) -> None:
        self._control("POST", "/_fake/qr/scan", {"key": key})

    def qr_confirm(self, key: str) -> None:
        self._control("POST", "/_fake/qr/confirm", {"key": key})

    def qr_expire(self, key: str) -> None:
        self._control("POST", "/_fake/qr/expire", {"key": key})

    def latest_qr_key(self) -> str | None:
        return self.state()["latest_qr_key"]
