"""A small extension point: code that runs when something happens, and may change what happens.

Hooks come from two places, loaded on the first event:
- Python packages that declare an entry point in the group `syncdeck.hooks`
  (`[project.entry-points."syncdeck.hooks"] myhook = "mypkg.hooks:register"`);
- `*.py` files in the `plugins` folder of the data folder.
Each provides `register(hooks)`, which calls `hooks.on(event, callback)`. A callback gets the
event's payload (a dict) and may be `async`. For the events marked "may change", returning a
dict replaces the payload for the next callback and for SyncDeck; returning None keeps it.

Events (EVENTS):
- `models_fetched` (may change): `{"account", "kind", "models": [{"upstream", "name", "kind"}]}`;
  drop entries to hide models, change "name" to rename them;
- `config_generated` (may change): `{"target": "uni-api"|"litellm"|"gpt-load", "config": …}`;
- `video_added`: `{"task_id", "source_id", "title"}`;
- `video_downloaded`: `{"task_id"}`; `task_failed`: `{"task_id", "error"}`;
- `note_written`: `{"path", "task_id", "template", "model"}` (fired by the notes feature).
A callback that raises is logged and skipped; it never stops SyncDeck.
"""

from __future__ import annotations

import importlib.util
import inspect
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "syncdeck.hooks"
EVENTS = ("models_fetched", "config_generated", "video_added", "video_downloaded", "task_failed", "note_written")
Callback = Callable[[dict[str, Any]], Any]


class Hooks:
    def __init__(self, plugins_dir: Path | None = None, *, entry_points: bool = True) -> None:
        self.plugins_dir = plugins_dir
        self.use_entry_points = entry_points
        self._callbacks: dict[str, list[Callback]] = {event: [] for event in EVENTS}
        self._loaded = False
        self.loaded_from: list[str] = []  # what was loaded, for `syncdeck llm hooks` and the log
        self.errors: list[str] = []

    def on(self, event: str, callback: Callback) -> None:
        if event not in self._callbacks:
            raise ValueError(f"unknown hook event {event!r}; known: {', '.join(EVENTS)}")
        self._callbacks[event].append(callback)

    def load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        if self.use_entry_points:
            from importlib.metadata import entry_points

            for point in entry_points(group=ENTRY_POINT_GROUP):
                self._register(f"entry point {point.name}", point.load)
        if self.plugins_dir is not None and self.plugins_dir.is_dir():
            for path in sorted(self.plugins_dir.glob("*.py")):
                self._register(str(path), lambda p=path: _load_file(p).register)

    def _register(self, origin: str, get_register: Callable[[], Any]) -> None:
        try:
            get_register()(self)
        except Exception as exc:  # a broken plugin must not stop the program
            log.warning("hook %s could not be loaded: %s", origin, exc)
            self.errors.append(f"{origin}: {exc}")
        else:
            self.loaded_from.append(origin)

    async def fire(self, event: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Run the event's callbacks in order; returns the payload as they left it."""
        self.load()
        for callback in self._callbacks.get(event, []):
            try:
                result = callback(payload)
                if inspect.isawaitable(result):
                    result = await result
            except Exception as exc:
                log.warning("hook %s on %s failed: %s", getattr(callback, "__qualname__", callback), event, exc)
                continue
            if isinstance(result, dict):
                payload = result
        return payload

    def has(self, event: str) -> bool:
        self.load()
        return bool(self._callbacks.get(event))


def _load_file(path: Path) -> Any:
    name = f"syncdeck_plugin_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
