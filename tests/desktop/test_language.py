"""Every word the window shows is in the chosen language, and choosing one applies it at once.

The whole app (engine, window, tray) runs with real panels on the fake Bilibili, with a synced
source, so the panels show rows, counts, states and status lines. The language is switched in
the Settings panel without pressing Save; then every panel, the dialogs that open offscreen,
the status bar and the tray menu are read. A heuristic finds the other language: in Chinese,
any ASCII word that is not a proper name, unit or allow-listed term; in English, any CJK
character outside what the user's data (titles, names, folders) brings.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTabBar,
    QWidget,
)

from desktop.app import DesktopApp
from tests.desktop.conftest import desktop_config, screenshot, until
from tests.fakes.bilibili import FakeBilibili, world

pytestmark = pytest.mark.timeout(120)

# Names, units and terms that stay as they are in Chinese text (the Chinese catalog uses them too).
ALLOWED = {
    "syncdeck",
    "bittorrent",
    "torrent",
    "token",
    "openai",
    "gemini",
    "llm",
    "alist",
    "openlist",
    "emby",
    "jellyfin",
    "mpv",
    "dht",
    "tracker",
    "utp",
    "bilibili",
    "nfo",
    "up",
    "cron",
    "url",
    "urls",
    "cookie",
    "cookies",
    "qr",
    "b",
    "kb",
    "mb",
    "gb",
    "tb",
    "s",
    "ms",
    "min",
    "h",
    "id",
    "uid",
    "bv",
    "bvid",
    "av",
    "aid",
    "cid",
    "ffmpeg",
    "http",
    "https",
    "socks",
    "ca",
    "toml",
    "json",
    "telegram",
    "webhook",
    "smtp",
    "kodi",
    "plex",
    "avc",
    "hevc",
    "av1",
    "dolby",
    "vision",
    "atmos",
    "hi",
    "res",
    "flac",
    "hdr",
    "cdn",
    "english",
    "ctrl",
    "shift",
    "alt",
    "del",
    "esc",
    "enter",
    "f",
    "p",
    "k",
    "ok",
    "api",
    "ip",
    "utc",
    "mp4",
    "m4a",
    "ass",
    "srt",
    "xml",
    "pdf",
    "vip",
    "cpu",
    "wal",
    "sqlite",
    "tv",
    "pc",
    "ssl",
    "tls",
    "dns",
    "ua",
    "user",
    "agent",
    "pt",
    "x",
    "fps",
    "delete",
    "app",
    "linux",
    "windows",
    "macos",
    "gnome",
    "kwallet",
    "keyring",
    "hz",
    "kbps",
    "mbps",
    "e",
    "g",
    "i",
    "n",
    "tab",
    "home",
    "end",
    "pgup",
    "pgdown",
    "space",
}
# Template variables ({{title}}), paths, addresses, environment variables and command lines.
NOT_WORDS = re.compile(
    r"title contains \S+ and duration > \d+|size [<>] \d+[KMGT]i?B|"  # the filter rules' own syntax, as examples
    # its words, named in Chinese text
    r"\band / or\b|\b(?:and|or|not|[a-z]+_[a-z_]+|title|tags|duration|size)\b(?=[、；。 ]*[^\x00-\x7f])|"
    r"\bBV[0-9A-Za-z]{10}\b|\b[a-z]+:\d+(?::\d+)*\b|"  # ids and the short forms of links (fav:101)
    r"\b[\w-]+(?:\.\w+)+\b|\bSecret Service\b|\b(?:SESSDATA|bili_jct|DedeUserID)\b|"  # hosts, file and cookie names
    r"\{\{.*?\}\}|\{[a-z_]+\}|[\w.~-]*[/\\][^\s，。、；：）)]*|https?://\S+|\S+@\S+|\bSYNCDECK_\w+|`[^`]*`|--?[a-z][\w-]*"
)
WORD = re.compile(r"[A-Za-z][A-Za-z']*")
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# Shown as they are in either language: the language's own name in the language menu, and
SAME_IN_BOTH = ("简体中文", "充电专属", "大会员")  # the service's own terms are quoted as they are


def english_words(text: str) -> list[str]:
    words = WORD.findall(NOT_WORDS.sub(" ", text))
    return [w for w in words if w.lower() not in ALLOWED and not re.fullmatch(r"[A-Z]{1,4}\d*", w)]


def shown_texts(root: QWidget, user_data: set[str]) -> Iterator[tuple[str, str]]:
    """(where, text) for what a person can read in `root`: labels, buttons, actions, headers,
    tabs, menus, group titles, combo items, placeholder texts, tooltips and the cells of views
    (the user's own data left out)."""
    for where, text in _texts(root):
        for data in sorted(user_data, key=len, reverse=True):
            text = text.replace(data, " ")
        for same in SAME_IN_BOTH:
            text = text.replace(same, " ")
        yield where, text


def _texts(root: QWidget) -> Iterator[tuple[str, str]]:
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if not widget.isVisibleTo(root) and widget is not root and not isinstance(widget, QMenu):
            continue
        name = f"{type(widget).__name__}:{widget.objectName()}"
        if widget.toolTip():
            yield name + " tooltip", widget.toolTip()
        if isinstance(widget, QLabel | QAbstractButton):
            yield name, widget.text()
        elif isinstance(widget, QGroupBox):
            yield name, widget.title()
        elif isinstance(widget, QLineEdit):
            yield name + " placeholder", widget.placeholderText()
        elif isinstance(widget, QComboBox):
            for i in range(widget.count()):
                yield name + " item", widget.itemText(i)
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                yield name + " tab", widget.tabText(i)
        elif isinstance(widget, QHeaderView):
            model = widget.model()
            if model is not None:
                for section in range(model.columnCount() if widget.orientation() == Qt.Orientation.Horizontal else 0):
                    for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                        yield name + " header", str(model.headerData(section, widget.orientation(), role) or "")
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None and widget.objectName() != "log-view":
            # (the log's lines are the program's record, written in English for bug reports)
            yield from _cells(name, widget.model(), QModelIndex())
        for action in QWidget.actions(widget):
            yield name + " action", action.text().replace("&", "")
            yield name + " action tooltip", action.toolTip() if action.toolTip() != action.text() else ""


def _cells(name: str, model, parent: QModelIndex) -> Iterator[tuple[str, str]]:  # noqa: ANN001
    try:
        columns = model.columnCount(parent)
    except TypeError:  # a list model
        columns = 1
    for row in range(min(model.rowCount(parent), 50)):
        for column in range(columns):
            index = model.index(row, column, parent)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = index.data(role)
                if isinstance(value, str):
                    yield f"{name} cell {row},{column}", value
        first = model.index(row, 0, parent)
        try:
            nested = model.hasChildren(first)
        except TypeError:  # a table model
            nested = False
        if nested:
            yield from _cells(name, model, first)


def _without(text: str, user_data: set[str]) -> str:
    for data in sorted(user_data, key=len, reverse=True):
        text = text.replace(data, " ")
    return text


async def user_data_of(desk: DesktopApp) -> set[str]:
    """Titles, names and folders: the user's (and the service's) words, never translated."""
    engine = desk.engine
    data = {row.title for row in await engine.tasks(limit=1000)}
    for source in await engine.sources():
        data |= {source.name, str(source.path), source.account}
    for account in await engine.list_accounts():
        data |= {account.name, account.user_name}
    data |= {str(engine.config.data_dir), str(engine.config.library_root)}
    return {d for d in data if d and len(d) > 1}


async def read_everything(desk: DesktopApp, user_data: set[str], tag: str) -> list[tuple[str, str]]:
    """Every panel, the status bar, the tray menu and the dialogs, as (where, text)."""
    window = desk.window
    found: list[tuple[str, str]] = []
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        await asyncio.sleep(0.1)  # never processEvents() inside a coroutine on the qasync loop
        key = window.nav.item(row).data(Qt.ItemDataRole.UserRole)
        found += [(f"{key}: {w}", t) for w, t in shown_texts(window, user_data)]
        screenshot(window, f"language-{tag}-{key}")
    found += [("nav", window.nav.item(i).text()) for i in range(window.nav.count())]
    found += [("status bar", t) for w, t in shown_texts(window.statusBar(), user_data)]
    found += [("tray menu", a.text().replace("&", "")) for a in desk.tray.menu.actions()]
    found += [("tray tooltip", desk.tray.status_text())]
    sources = window.panels["sources"]
    accounts = window.panels["accounts"]
    sources.view.selectRow(0)
    for dialog in (
        sources.add_source(),
        sources.edit_selected(),
        accounts.open_cookie_login(),
        accounts.open_qr_login(),
    ):
        assert isinstance(dialog, QDialog)
        await asyncio.sleep(0.1)  # never processEvents() inside a coroutine on the qasync loop
        found += [(f"{type(dialog).__name__}: {w}", t) for w, t in shown_texts(dialog, user_data)]
        found += [(f"{type(dialog).__name__}: title", _without(dialog.windowTitle(), user_data))]
        screenshot(dialog, f"language-{tag}-{type(dialog).__name__}")
        dialog.reject()
    return found


@pytest.fixture
async def desk(fake_bili: FakeBilibili, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DesktopApp]:
    monkeypatch.setenv("SYNCDECK_BILIBILI_COOKIE", world.COOKIE)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    # English to start with, saved in the file (a value from the environment would win over Save)
    (tmp_path / "config.toml").write_text('[ui]\nlanguage = "en"\n', encoding="utf-8")
    desk = DesktopApp(app, desktop_config(fake_bili, tmp_path))
    desk.window.resize(1180, 720)
    desk.window.show()
    yield desk
    desk.translations.apply("en")
    desk.window.hide()
    await desk.shutdown()
    desk.window.deleteLater()


async def test_switching_to_chinese_in_settings_applies_at_once_and_leaves_no_english(desk: DesktopApp) -> None:
    engine = desk.engine
    await engine.add_source(world.SERIES_KEY)
    await engine.add_source(world.FAV_KEY)
    rounds: list[object] = []
    desk.bridge.roundFinished.connect(rounds.append)
    sources = desk.window.panels["sources"]
    await until(lambda: sources.model.rowCount() == 2, what="the sources listed")
    sources.sync_action.trigger()
    await until(lambda: rounds, timeout=60, what="a round")
    user_data = await user_data_of(desk)

    english = await read_everything(desk, user_data, "en")
    cjk = [(where, text) for where, text in english if CJK.search(text)]
    assert cjk == [], "Chinese in the English window:\n" + "\n".join(f"{w}: {t!r}" for w, t in cjk)

    settings = desk.window.show_panel("settings")
    combo = settings.fields["ui.language"].editor.input
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData("zh_CN"))  # no Save pressed
    await until(lambda: desk.window.nav.item(0).text() == "视频源", what="Chinese at once, without Save")
    assert engine.config["ui.language"] == "zh_CN", "kept for the next start as well"
    await until(lambda: not settings.save_button.isEnabled(), what="nothing left to save")

    chinese = await read_everything(desk, user_data, "zh_CN")
    left = [(where, text, words) for where, text in chinese if (words := english_words(text))]
    assert left == [], "English in the Chinese window:\n" + "\n".join(f"{w}: {t!r} {ws}" for w, t, ws in left)
