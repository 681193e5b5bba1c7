"""An "Add to playlist" submenu for any list of things with links (the Tasks page, the
library): it lists the playlists when it opens and adds the links to the one chosen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMenu, QWidget

from core.engine.playlists.views import PlaylistNodeView
from desktop.bridge import EngineBridge
from desktop.dialogs import while_alive
from desktop.resources import icon


class AddToPlaylistMenu(QMenu):
    """Filled when it opens (playlists read through the engine), so it is never stale."""

    def __init__(self, bridge: EngineBridge, links: Callable[[], list[str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("add-to-playlist-menu")
        self.bridge = bridge
        self.links = links
        self.setIcon(icon("playlists"))
        self.setTitle(self.tr("Add to playlist"))
        self.aboutToShow.connect(self.load)
        self._loading = self.addAction(self.tr("Loading…"))
        self._loading.setEnabled(False)

    def load(self) -> None:
        self.bridge.run(
            self.bridge.engine.playlists.tree(), what=self.tr("Add to playlist"), done=while_alive(self, self._fill)
        )

    def _fill(self, nodes: list[PlaylistNodeView]) -> None:
        self.clear()
        depth: dict[int, int] = {}
        children: dict[int | None, list[PlaylistNodeView]] = {}
        for node in nodes:
            children.setdefault(node.parent_id, []).append(node)
        ordered: list[PlaylistNodeView] = []

        def walk(parent: int | None, level: int) -> None:
            for node in sorted(children.get(parent, []), key=lambda n: n.position):
                if node.kind != "static":
                    continue
                depth[node.id] = level
                ordered.append(node)
                walk(node.id, level + 1)

        walk(None, 0)
        if not ordered:
            empty = self.addAction(self.tr("No playlists yet — make one on the Playlists page"))
            empty.setEnabled(False)
            return
        for node in ordered:
            action = self.addAction("    " * depth[node.id] + node.name)
            action.setData(node.id)
            action.triggered.connect(lambda _checked=False, node_id=node.id: self.add_to(node_id))

    def add_to(self, playlist_id: int) -> None:
        for link in self.links():
            self.bridge.run(self.bridge.engine.playlists.add_link(playlist_id, link), what=self.tr("Add to playlist"))
