"""The Settings panel writes the config.toml the command line reads, checks as you type and
previews where the name templates put files."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLabel, QLineEdit, QSpinBox
from pytestqt.qtbot import QtBot

from core.config import load_config
from desktop.bridge import EngineBridge
from desktop.panels.settings import SettingsPanel, load_autostart
from desktop.resources import resource
from tests.desktop.conftest import screenshot, until

pytestmark = pytest.mark.timeout(60)

SECTIONS = ("general", "library", "quality", "downloads", "network")


@pytest.fixture(autouse=True)
def private_autostart_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Start-at-login entries go to a throw-away folder, never the real desktop's."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))


async def shot(panel: SettingsPanel, name: str) -> None:
    """A screenshot once the layout has caught up with the last change."""
    await asyncio.sleep(0.05)
    screenshot(panel, name)


def make_panel(qtbot: QtBot, bridge: EngineBridge) -> SettingsPanel:
    panel = SettingsPanel(bridge)
    qtbot.addWidget(panel)
    panel.resize(980, 720)
    panel.show()
    return panel


def retype(edit: QLineEdit, text: str) -> None:
    """Replace a field's text the way a person does: open its section, select all, type."""
    panel = edit.window()
    assert isinstance(panel, SettingsPanel)
    panel.sections.setCurrentRow(panel.section_of[edit.objectName()])
    edit.setFocus()
    edit.selectAll()
    QTest.keyClick(edit, Qt.Key.Key_Backspace)
    if text.isascii():
        QTest.keyClicks(edit, text)
    else:  # QTest types ASCII only; Chinese arrives through the input method, as a whole
        edit.insert(text)


def choose(combo: QComboBox, value: str) -> None:
    combo.setCurrentIndex(combo.findData(value))


def widget(panel: SettingsPanel, key: str) -> object:
    return panel.fields[key].widget


def message(panel: SettingsPanel, key: str) -> str:
    label = panel.fields[key].message
    return "" if label.isHidden() else label.text()


def shown_path(panel: SettingsPanel, name: str) -> str:
    return panel.preview_labels[name][1].text().replace("\u200b", "")


def reread(bridge: EngineBridge) -> dict[str, object]:
    """What the command line sees: a fresh load of the same file, no environment."""
    config = bridge.engine.config
    return load_config(config.path, data_dir=config.data_dir, environ={}).values


async def test_saved_changes_land_in_the_config_file_the_command_line_reads(qtbot: QtBot, bridge: EngineBridge) -> None:
    panel = make_panel(qtbot, bridge)
    assert not panel.save_button.isEnabled(), "nothing changed yet"
    assert "SYNCDECK_LIBRARY_ROOT sets this for now" in message(panel, "library.root")
    settings_changed: list[str] = []
    bridge.stateChanged.connect(settings_changed.append)

    choose(panel.language, "zh_CN")
    choose(panel.theme, "dark")
    panel.close_to_tray.setChecked(False)
    library = bridge.engine.config.data_dir.parent / "我的视频库"
    retype(panel.library_root, str(library))
    retype(panel.video_name, "{{upper_name}}/{{title}}")
    retype(panel.page_name, "{{pid_pad}} {{ptitle}}")
    choose(panel.video_max, "4k")
    choose(panel.audio_max, "192k")
    panel.codecs.setCurrentRow(1)  # hevc
    QTest.mouseClick(panel.codec_up, Qt.MouseButton.LeftButton)
    panel.codecs.item(2).setCheckState(Qt.CheckState.Unchecked)  # av1: never
    dolby_vision = widget(panel, "quality.no_dolby_video")
    assert isinstance(dolby_vision, QCheckBox) and dolby_vision.isChecked()
    dolby_vision.setChecked(False)
    videos = widget(panel, "limits.videos")
    assert isinstance(videos, QSpinBox)
    videos.setFocus()
    QTest.keyClick(videos, Qt.Key.Key_Up)
    QTest.keyClick(videos, Qt.Key.Key_Up)
    window = widget(panel, "limits.api_window_ms")
    assert isinstance(window, QSpinBox)
    window.setValue(500)
    retype(panel.schedule, "0 3 * * *")
    retype(panel.proxy, "socks5://127.0.0.1:1080")
    assert panel.status.text() == "Changes not saved yet."
    assert panel.save_button.isEnabled() and panel.revert_button.isEnabled()

    QTest.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    await until(lambda: panel.status.text().startswith("Saved"), what="saved")
    assert "settings" in settings_changed
    assert not panel.save_button.isEnabled(), "everything is saved"

    saved = reread(bridge)
    assert saved["ui.language"] == "zh_CN" and saved["ui.theme"] == "dark"
    assert saved["ui.close_to_tray"] is False
    assert saved["library.root"] == str(library)
    assert saved["library.video_name"] == "{{upper_name}}/{{title}}"
    assert saved["library.page_name"] == "{{pid_pad}} {{ptitle}}"
    assert saved["quality.video_max"] == "4k" and saved["quality.audio_max"] == "192k"
    assert saved["quality.codecs"] == ["hevc", "avc"]
    assert saved["quality.no_dolby_video"] is True and saved["quality.no_hdr"] is False
    assert saved["limits.videos"] == 5 and saved["limits.api_window_ms"] == 500
    assert saved["schedule.every"] == "0 3 * * *"
    assert saved["net.proxy"] == "socks5://127.0.0.1:1080"
    # Only what changed is written: untouched settings keep following their defaults.
    written = Path(bridge.engine.config.path).read_text(encoding="utf-8")
    assert "limits.pages" not in written and "pages =" not in written
    assert bridge.engine.config["limits.videos"] == 5, "the running engine uses them too"

    # The panel shows what is saved (the codec order too), and Revert undoes a later edit.
    assert [panel.codecs.item(r).data(Qt.ItemDataRole.UserRole) for r in range(3)] == ["hevc", "avc", "av1"]
    retype(panel.schedule, "3600")
    assert panel.save_button.isEnabled()
    QTest.mouseClick(panel.revert_button, Qt.MouseButton.LeftButton)
    assert panel.schedule.text() == "0 3 * * *" and not panel.save_button.isEnabled()


async def test_invalid_values_are_explained_and_block_saving(qtbot: QtBot, bridge: EngineBridge) -> None:
    panel = make_panel(qtbot, bridge)
    panel.sections.setCurrentRow(SECTIONS.index("library"))
    retype(panel.video_name, "{{title}} {{uploader}}")
    assert "unknown variable(s): uploader" in message(panel, "library.video_name")
    assert not panel.save_button.isEnabled()
    assert panel.status.text() == "Fix the settings marked in red before saving: Library."
    assert shown_path(panel, "single") == "(fix the name templates to see the path)"
    await shot(panel, "settings-library-invalid-template")

    retype(panel.bangumi_name, "{{series_title}} {{bvid}}")  # a bangumi folder has no single video
    assert "Available: series_title" in message(panel, "library.bangumi_name")
    retype(panel.page_name, "{{title")
    assert "unclosed" in message(panel, "library.page_name")
    retype(panel.schedule, "30")
    assert "at least 60 seconds" in message(panel, "schedule.every")
    retype(panel.proxy, "ftp://proxy.example")
    assert "is not a proxy URL" in message(panel, "net.proxy")
    retype(panel.ca_bundle, "/nowhere/ca.pem")
    assert message(panel, "net.ca_bundle") == "There is no file at this path."
    choose(panel.video_min, "1080p")
    choose(panel.video_max, "720p")
    assert message(panel, "quality.video_min") == "The lowest video quality is above the best one."
    for row in range(panel.codecs.count()):
        panel.codecs.item(row).setCheckState(Qt.CheckState.Unchecked)
    assert message(panel, "quality.codecs") == "Check at least one codec."
    assert len(panel.errors) == 8 and not panel.save_button.isEnabled()
    assert panel.status.text().endswith("saving: Library, Quality, Downloads, Network.")
    panel.sections.setCurrentRow(SECTIONS.index("quality"))
    await shot(panel, "settings-quality-invalid")

    QTest.mouseClick(panel.revert_button, Qt.MouseButton.LeftButton)
    assert not panel.errors and message(panel, "library.video_name") == ""
    retype(panel.video_name, "{{title}} [{{bvid}}]")
    assert panel.save_button.isEnabled()


async def test_the_template_preview_follows_every_keystroke(qtbot: QtBot, bridge: EngineBridge) -> None:
    panel = make_panel(qtbot, bridge)
    panel.sections.setCurrentRow(SECTIONS.index("library"))
    assert shown_path(panel, "single") == "收藏夹/我的收藏/【4K】雨夜的城市 延时摄影/BV1GJ411x7h7.mp4"
    assert shown_path(panel, "multi") == "收藏夹/我的收藏/【4K】雨夜的城市 延时摄影/Season 1/BV1GJ411x7h7 - S01E02.mp4"
    assert shown_path(panel, "bangumi") == "番剧/葬送的芙莉莲/Season 01/葬送的芙莉莲 S01E03.mp4"

    retype(panel.video_name, "{{upper_name}}/{{pubtime}} {{truncate title 6}}")
    assert shown_path(panel, "single") == "收藏夹/我的收藏/摄影师小林/2024-05-01 【4K】雨夜/BV1GJ411x7h7.mp4"
    retype(panel.page_name, "{{pid_pad}}. {{ptitle}}")
    assert shown_path(panel, "multi").endswith("/Season 1/02. 第二段 花絮 - S01E02.mp4")
    retype(panel.time_format, "%Y年%m月")
    assert "/2024年05月 【4K】雨夜/" in shown_path(panel, "single")
    retype(panel.episode_name, "{{series_title}} 第{{episode}}集")
    assert shown_path(panel, "bangumi") == "番剧/葬送的芙莉莲/Season 01/葬送的芙莉莲 第3集 S01E03.mp4"
    retype(panel.library_root, "/srv/媒体库")
    preview_root = panel.preview_root.text()
    assert "/srv/媒体库" in preview_root
    await shot(panel, "settings-library-preview")


async def test_schedule_is_described_in_words(qtbot: QtBot, bridge: EngineBridge) -> None:
    panel = make_panel(qtbot, bridge)
    panel.sections.setCurrentRow(SECTIONS.index("downloads"))
    assert panel.schedule_description.text() == "A round starts every 20 min."
    retype(panel.schedule, "5400")
    assert panel.schedule_description.text() == "A round starts every 1 h 30 min."
    retype(panel.schedule, "0 3 * * *")
    assert panel.schedule_description.text().startswith("Runs on the cron schedule “0 3 * * *”; next round at ")
    assert " 03:00" in panel.schedule_description.text()
    await shot(panel, "settings-downloads")
    panel.sections.setCurrentRow(SECTIONS.index("general"))
    await shot(panel, "settings-general")
    panel.sections.setCurrentRow(SECTIONS.index("quality"))
    await shot(panel, "settings-quality")
    panel.sections.setCurrentRow(SECTIONS.index("network"))
    await shot(panel, "settings-network")


async def test_start_at_login_is_switched_on_save(qtbot: QtBot, bridge: EngineBridge, tmp_path: Path) -> None:
    autostart = load_autostart()
    if autostart is None:
        pytest.skip("desktop.autostart is not available in this build")
    panel = make_panel(qtbot, bridge)
    assert panel.start_at_login.isEnabled() and not panel.start_at_login.isChecked()
    panel.start_at_login.setChecked(True)
    assert panel.save_button.isEnabled()
    QTest.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    await until(lambda: panel.status.text().startswith("Saved"), what="saved")
    assert autostart.is_enabled() and (tmp_path / "xdg-config" / "autostart" / "syncdeck.desktop").is_file()
    assert not panel.save_button.isEnabled()

    panel.start_at_login.setChecked(False)
    panel.activateWindow()
    await until(panel.isActiveWindow, what="the window active")
    panel.start_at_login.setFocus()
    QTest.keyClick(panel.start_at_login, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S saves
    await until(lambda: not autostart.is_enabled(), what="switched off")


async def test_a_rejected_save_says_why_and_keeps_the_edits(qtbot: QtBot, bridge: EngineBridge) -> None:
    panel = make_panel(qtbot, bridge)
    config_path = Path(bridge.engine.config.path)
    config_path.parent.mkdir(parents=True, exist_ok=True)
    config_path.mkdir()  # the file cannot be written: a folder is in its way
    retype(panel.video_name, "{{bvid}}")
    QTest.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    await until(lambda: panel.status.text().startswith("Not saved"), what="the failure")
    assert "cannot read" in panel.status.text()
    assert panel.video_name.text() == "{{bvid}}" and panel.save_button.isEnabled()


class JsonTranslator(QTranslator):
    """Simplified Chinese from this area's JSON catalog, as the merged .qm will provide it."""

    def __init__(self, catalog: dict[str, str]) -> None:
        super().__init__()
        self.catalog = catalog

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        return self.catalog.get(source, "")

    def isEmpty(self) -> bool:
        return False


def chinese_translator() -> JsonTranslator:
    path = resource("i18n", "zh_CN", "accounts_settings_log.json")
    return JsonTranslator(json.loads(path.read_text(encoding="utf-8")))


async def test_the_panel_switches_language_while_open(qtbot: QtBot, bridge: EngineBridge) -> None:
    panel = make_panel(qtbot, bridge)
    assert panel.sections.item(0).text() == "General"
    translator = chinese_translator()
    catalog = translator.catalog
    app = QApplication.instance()
    assert app is not None
    app.installTranslator(translator)
    try:
        await until(lambda: panel.sections.item(0).text() == "常规", what="Chinese section names")
        assert panel.title() == "设置"
        label = panel.fields["library.video_name"].label
        assert isinstance(label, QLabel) and label.text() == catalog["Video folder:"]
        assert panel.save_button.text() == "保存"
        panel.sections.setCurrentRow(SECTIONS.index("library"))
        await shot(panel, "settings-library-zh")
    finally:
        app.removeTranslator(translator)
    await until(lambda: panel.sections.item(0).text() == "General", what="English again")
    assert QCoreApplication.translate("SettingsPanel", "Save") == "Save"
