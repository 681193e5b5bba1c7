"""Plain view types the engine's facade hands to the command line and the window.

They carry no database rows and no provider objects, so `desktop/` and `core/cli` depend on
nothing below the facade.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class TaskView:
    """One task of any kind: a video and its parts today, a mirrored file, a torrent and its
    files or a note job tomorrow. `steps` maps each step name (poster, media, nfo, danmaku,
    subtitles…) to its value (core.tasks.steps: 0 pending, 1-3 failed so often, 4 gave up,
    7 ok; `steps.describe` gives the words)."""

    id: int
    kind: str  # "video", "part"; later "file", "torrent", "note"…
    provider: str  # registry name, e.g. "bilibili"
    provider_name: str  # display name, e.g. "Bilibili"
    source_id: int | None
    parent_id: int | None
    key: str  # the provider's id of the item inside its source
    title: str
    state: str  # one of core.tasks.states.TASK_STATES
    bytes_done: int = 0
    bytes_total: int = 0
    speed: float = 0.0  # bytes per second while running
    eta: float | None = None  # seconds; None when unknown
    attempts: int = 0  # the most failed attempts of any step
    last_error: str = ""
    steps: dict[str, int] = field(default_factory=dict)
    children: int = 0  # child tasks (parts, files)
    number: int = 0  # position among its siblings (a part's number), 0 for top-level tasks
    cover: str = ""
    path: str = ""  # the folder or file it writes (absolute), "" until written
    updated_at: datetime | None = None
    details: dict[str, Any] = field(default_factory=dict)  # the kind's own fields (read-only)
