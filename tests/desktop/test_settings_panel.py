"""The Settings panel is built from the settings list, writes the config.toml the command line
reads, checks as you type and previews where the name templates put files."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
)
from pytestqt.qtbot import QtBot

from core.config import load_config
from core.config import settings as catalog
from core.config.settings import Setting, SettingAction
from core.errors import TransientError
from core.library.preview import CAPTIONS
from desktop.bridge import EngineBridge
from desktop.panels.settings import SettingsPanel, load_autostart
from desktop.resources import resource
from desktop.translations_fill import load_texts
from desktop.widgets.schedule_input import CRON, EVERY, HOUR, MINUTE, ScheduleInput
from tests.desktop.conftest import screenshot, until

pytestmark = pytest.mark.timeout(60)

SECTIONS = (
    "general",
    "library",
    "quality",
    "downloads",
    "network",
    "playback",
    "torrents",
    "notes",
    "notify",
    "advanced",
)
SINGLE, MULTI, BANGUMI = range(3)
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(autouse=True)
def private_autostart_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Start-at-login entries go to a throw-away folder, never the real desktop's."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))


async def shot(panel: SettingsPanel, name: str) -> Path:
    """A screenshot once the layout has caught up with the last change."""
    await asyncio.sleep(0.05)
    return screenshot(panel, name)


def make_panel(qtbot: QtBot, bridge: EngineBridge) -> SettingsPanel:
    panel = SettingsPanel(bridge)
    qtbot.addWidget(panel)
    panel.resize(980, 720)
    panel.show()
    return panel


def widget(panel: SettingsPanel, key: str) -> object:
    return panel.fields[key].widget


def edit(panel: SettingsPanel, key: str) -> QLineEdit:
    line = widget(panel, key)
    assert isinstance(line, QLineEdit)
    return line


def retype(panel: SettingsPanel, key: str, text: str) -> None:
    """Replace a field's text the way a person does: open its page, select all, type."""
    line = edit(panel, key)
    panel.sections.setCurrentRow(panel.section_of[key])
    line.setFocus()
    line.selectAll()
    QTest.keyClick(line, Qt.Key.Key_Backspace)
    if text.isascii():
        QTest.keyClicks(line, text)
    else:  # QTest types ASCII only; Chinese arrives through the input method, as a whole
        line.insert(text)


def schedule_input(panel: SettingsPanel) -> ScheduleInput:
    schedule = widget(panel, "schedule.every")
    assert isinstance(schedule, ScheduleInput)
    return schedule


def set_every(schedule: ScheduleInput, amount: int, unit: int) -> None:
    """Choose "Every", type the number and pick the unit, as a person does."""
    schedule.mode.setCurrentIndex(schedule.mode.findData(EVERY))
    schedule.unit.setCurrentIndex(schedule.unit.findData(unit))
    schedule.amount.setFocus()
    schedule.amount.selectAll()
    QTest.keyClicks(schedule.amount, str(amount))


def set_cron(schedule: ScheduleInput, expression: str) -> None:
    schedule.mode.setCurrentIndex(schedule.mode.findData(CRON))
    schedule.cron.setFocus()
    schedule.cron.selectAll()
    QTest.keyClick(schedule.cron, Qt.Key.Key_Backspace)
    QTest.keyClicks(schedule.cron, expression)


def choose(panel: SettingsPanel, key: str, value: str) -> None:
    combo = widget(panel, key)
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(value))


def check(panel: SettingsPanel, key: str, checked: bool) -> None:
    box = widget(panel, key)
    assert isinstance(box, QCheckBox)
    box.setChecked(checked)


def codecs(panel: SettingsPanel) -> QListWidget:
    codec_list = widget(panel, "quality.codecs")
    assert isinstance(codec_list, QListWidget)
    return codec_list


def message(panel: SettingsPanel, key: str) -> str:
    label = panel.fields[key].message
    return "" if label.isHidden() else label.text()


def shown_path(panel: SettingsPanel, which: int) -> str:
    return panel.preview.paths()[which]


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

    choose(panel, "ui.language", "zh_CN")
    choose(panel, "ui.theme", "dark")
    check(panel, "ui.close_to_tray", False)
    library = bridge.engine.config.data_dir.parent / "我的视频库"
    retype(panel, "library.root", str(library))
    retype(panel, "library.video_name", "{{upper_name}}/{{title}}")
    retype(panel, "library.page_name", "{{pid_pad}} {{ptitle}}")
    choose(panel, "quality.video_max", "4k")
    choose(panel, "quality.audio_max", "192k")
    codecs(panel).setCurrentRow(1)  # hevc
    QTest.mouseClick(panel.fields["quality.codecs"].editor.up, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    codecs(panel).item(2).setCheckState(Qt.CheckState.Unchecked)  # av1: never
    check(panel, "quality.no_dolby_video", True)
    videos = widget(panel, "limits.videos")
    assert isinstance(videos, QSpinBox)
    videos.setFocus()
    QTest.keyClick(videos, Qt.Key.Key_Up)
    QTest.keyClick(videos, Qt.Key.Key_Up)
    window = widget(panel, "limits.api_window_ms")
    assert isinstance(window, QSpinBox) and window.suffix() == " ms"
    window.setValue(500)
    timeout = widget(panel, "net.timeout_s")
    assert isinstance(timeout, QDoubleSpinBox)
    timeout.setValue(30.5)
    set_cron(schedule_input(panel), "0 3 * * *")
    retype(panel, "net.proxy", "socks5://127.0.0.1:1080")
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
    assert saved["net.timeout_s"] == 30.5
    assert saved["schedule.every"] == "0 3 * * *"
    assert saved["net.proxy"] == "socks5://127.0.0.1:1080"
    # Only what changed is written: untouched settings keep following their defaults.
    written = Path(bridge.engine.config.path).read_text(encoding="utf-8")
    assert "limits.pages" not in written and "pages =" not in written
    assert bridge.engine.config["limits.videos"] == 5, "the running engine uses them too"

    # The panel shows what is saved (the codec order too), and Revert undoes a later edit.
    assert [codecs(panel).item(r).data(Qt.ItemDataRole.UserRole) for r in range(3)] == ["hevc", "avc", "av1"]
    set_every(schedule_input(panel), 1, HOUR)
    assert panel.save_button.isEnabled()
    QTest.mouseClick(panel.revert_button, Qt.MouseButton.LeftButton)
    assert schedule_input(panel).current_mode() == CRON and schedule_input(panel).cron.text() == "0 3 * * *"
    assert not panel.save_button.isEnabled()


async def test_invalid_values_are_explained_and_block_saving(qtbot: QtBot, bridge: EngineBridge) -> None:
    panel = make_panel(qtbot, bridge)
    panel.sections.setCurrentRow(SECTIONS.index("library"))
    retype(panel, "library.video_name", "{{title}} {{uploader}}")
    assert "unknown variable(s): uploader" in message(panel, "library.video_name")
    assert not panel.save_button.isEnabled()
    assert panel.status.text() == "Fix the settings marked in red before saving: Library."
    assert shown_path(panel, SINGLE) == "(fix the name templates to see the path)"
    await shot(panel, "settings-library-invalid-template")

    retype(panel, "library.bangumi_name", "{{series_title}} {{bvid}}")  # a bangumi folder has no single video
    assert "Available: series_title" in message(panel, "library.bangumi_name")
    retype(panel, "library.page_name", "{{title")
    assert "unclosed" in message(panel, "library.page_name")
    set_cron(schedule_input(panel), "61 * * * *")
    assert "invalid cron expression '61 * * * *'" in message(panel, "schedule.every")
    retype(panel, "net.proxy", "ftp://proxy.example")
    assert "is not a proxy URL" in message(panel, "net.proxy")
    retype(panel, "net.ca_bundle", "/nowhere/ca.pem")
    assert "file not found: /nowhere/ca.pem" in message(panel, "net.ca_bundle")
    choose(panel, "quality.video_min", "1080p")
    choose(panel, "quality.video_max", "720p")
    assert message(panel, "quality.video_min") == "quality.video_min is better than quality.video_max"
    for row in range(codecs(panel).count()):
        codecs(panel).item(row).setCheckState(Qt.CheckState.Unchecked)
    assert "choose at least one codec" in message(panel, "quality.codecs")
    assert len(panel.errors) == 8 and not panel.save_button.isEnabled()
    assert panel.status.text().endswith("saving: Library, Quality, Downloads, Network.")
    assert "Traceback" not in "".join(panel.errors.values())
    panel.sections.setCurrentRow(SECTIONS.index("quality"))
    await shot(panel, "settings-quality-invalid")

    QTest.mouseClick(panel.revert_button, Qt.MouseButton.LeftButton)
    assert not panel.errors and message(panel, "library.video_name") == ""
    retype(panel, "library.video_name", "{{title}} [{{bvid}}]")
    assert panel.save_button.isEnabled()


async def test_the_template_preview_follows_every_keystroke(qtbot: QtBot, bridge: EngineBridge) -> None:
    panel = make_panel(qtbot, bridge)
    panel.sections.setCurrentRow(SECTIONS.index("library"))
    assert shown_path(panel, SINGLE) == "收藏夹/我的收藏/【4K】雨夜的城市 延时摄影/BV1GJ411x7h7.mp4"
    assert shown_path(panel, MULTI) == "收藏夹/我的收藏/【4K】雨夜的城市 延时摄影/Season 1/BV1GJ411x7h7 - S01E02.mp4"
    assert shown_path(panel, BANGUMI) == "番剧/葬送的芙莉莲/Season 01/葬送的芙莉莲 S01E03.mp4"

    retype(panel, "library.video_name", "{{upper_name}}/{{pubtime}} {{truncate title 6}}")
    assert shown_path(panel, SINGLE) == "收藏夹/我的收藏/摄影师小林/2024-05-01 【4K】雨夜/BV1GJ411x7h7.mp4"
    retype(panel, "library.page_name", "{{pid_pad}}. {{ptitle}}")
    assert shown_path(panel, MULTI).endswith("/Season 1/02. 第二段 花絮 - S01E02.mp4")
    retype(panel, "library.time_format", "%Y年%m月")
    assert "/2024年05月 【4K】雨夜/" in shown_path(panel, SINGLE)
    retype(panel, "library.episode_name", "{{series_title}} 第{{episode}}集")
    assert shown_path(panel, BANGUMI) == "番剧/葬送的芙莉莲/Season 01/葬送的芙莉莲 第3集 S01E03.mp4"
    retype(panel, "library.root", "/srv/媒体库")
    assert "/srv/媒体库" in panel.preview.root.text()
    retype(panel, "library.root", "媒体库")
    assert "give a full path" in message(panel, "library.root")
    retype(panel, "library.root", "/srv/媒体库")

    # The variable menu of a template inserts what that name may use, and only that.
    menu = panel.fields["library.bangumi_name"].editor.variables.menu()  # type: ignore[attr-defined]
    assert [action.text() for action in menu.actions()] == ["{{series_title}}"]
    line = edit(panel, "library.episode_name")
    line.end(False)
    episode_menu = panel.fields["library.episode_name"].editor.variables.menu()  # type: ignore[attr-defined]
    next(a for a in episode_menu.actions() if a.text() == "{{ep_id}}").trigger()
    assert line.text() == "{{series_title}} 第{{episode}}集{{ep_id}}"
    assert shown_path(panel, BANGUMI).endswith("第3集733316 S01E03.mp4")
    await shot(panel, "settings-library-preview")


async def test_a_field_goes_back_to_its_default(qtbot: QtBot, bridge: EngineBridge) -> None:
    panel = make_panel(qtbot, bridge)
    reset = panel.fields["limits.connections"].reset
    assert reset.isHidden(), "the default is in force"
    connections = widget(panel, "limits.connections")
    assert isinstance(connections, QSpinBox)
    connections.setValue(9)
    assert not reset.isHidden() and reset.toolTip() == "Back to the default: 4"
    QTest.mouseClick(reset, Qt.MouseButton.LeftButton)
    assert connections.value() == 4 and reset.isHidden()
    retype(panel, "library.video_name", "{{bvid}}")
    QTest.mouseClick(panel.fields["library.video_name"].reset, Qt.MouseButton.LeftButton)
    assert edit(panel, "library.video_name").text() == "{{title}}"
    assert not panel.save_button.isEnabled(), "back where it started"


async def test_schedule_is_described_in_words(qtbot: QtBot, bridge: EngineBridge) -> None:
    panel = make_panel(qtbot, bridge)
    panel.sections.setCurrentRow(SECTIONS.index("downloads"))
    schedule = schedule_input(panel)
    description = panel.fields["schedule.every"].editor.description  # type: ignore[attr-defined]
    assert description.text() == "A round starts every 20 min."
    set_every(schedule, 90, MINUTE)
    assert description.text() == "A round starts every 1 h 30 min."
    set_cron(schedule, "0 3 * * *")
    assert description.text().startswith("Next rounds: ")
    assert description.text().count(" 03:00") == 3
    for section in SECTIONS:
        panel.sections.setCurrentRow(SECTIONS.index(section))
        await shot(panel, f"settings-{section}")


async def test_two_hours_chosen_in_the_schedule_are_saved_as_seconds(qtbot: QtBot, bridge: EngineBridge) -> None:
    panel = make_panel(qtbot, bridge)
    panel.sections.setCurrentRow(SECTIONS.index("downloads"))
    schedule = schedule_input(panel)
    assert schedule.current_mode() == EVERY, "the default 1200 seconds opens as a duration"
    assert (schedule.amount.value(), schedule.unit.currentData()) == (20, MINUTE)
    assert not schedule.cron.isVisibleTo(panel) and schedule.amount.isVisibleTo(panel)

    set_every(schedule, 2, HOUR)
    assert panel.save_button.isEnabled()
    QTest.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    await until(lambda: panel.status.text().startswith("Saved"), what="saved")
    assert bridge.engine.config["schedule.every"] == "7200", "the running engine uses it"
    assert reread(bridge)["schedule.every"] == "7200", "config.toml keeps seconds for the command line"
    assert (schedule.amount.value(), schedule.unit.currentData()) == (2, HOUR), "shown again after the save"
    await shot(panel, "settings-schedule-every")


async def test_stored_schedules_open_in_the_matching_mode(qtbot: QtBot, bridge: EngineBridge) -> None:
    panel = make_panel(qtbot, bridge)
    panel.sections.setCurrentRow(SECTIONS.index("downloads"))
    schedule = schedule_input(panel)
    schedule.set_value("3600")
    assert (schedule.current_mode(), schedule.amount.value(), schedule.unit.currentData()) == (EVERY, 1, HOUR)
    assert schedule.value() == "3600" and not schedule.note.isVisibleTo(panel)

    schedule.set_value("1250")  # not a whole number of minutes: rounded on screen, kept as stored
    assert (schedule.amount.value(), schedule.unit.currentData()) == (21, MINUTE)
    assert schedule.note.isVisibleTo(panel) and "1250 seconds" in schedule.note.text()
    assert schedule.value() == "1250"
    set_every(schedule, 25, MINUTE)
    assert schedule.value() == "1500" and not schedule.note.isVisibleTo(panel)

    schedule.set_value("0 0 1 * * *")  # bili-sync's six fields, seconds first
    assert schedule.current_mode() == CRON and schedule.cron.isVisibleTo(panel)
    assert schedule.cron.text() == "0 0 1 * * *" and not schedule.amount.isVisibleTo(panel)
    runs = schedule.next_runs()
    assert len(runs) == 3 and runs == sorted(runs) and len(set(runs)) == 3
    assert schedule.description.text().startswith("Next rounds: ")
    assert schedule.description.text().count(" 01:00") == 3
    await shot(panel, "settings-schedule-cron")


async def test_every_setting_has_a_control_on_its_page(qtbot: QtBot, bridge: EngineBridge) -> None:
    panel = make_panel(qtbot, bridge)
    assert [panel.sections.item(row).text() for row in range(panel.sections.count())] == [
        "General", "Library", "Quality", "Downloads", "Network", "Playback", "BitTorrent", "Notes",
        "Notifications", "Advanced",
    ]  # fmt: skip
    for spec in catalog.SETTINGS:
        control = panel.findChild(QLabel, f"message:{spec.key}")
        assert control is not None, spec.key
        field = panel.fields[spec.key]
        assert field.widget.objectName() == spec.key
        page = "advanced" if spec.advanced else spec.section
        assert panel.section_of[spec.key] == SECTIONS.index(page), spec.key
        assert field.label.text() == spec.label + ":"
    hosts = panel.groups[("advanced", "Bilibili hosts")]
    assert hosts.keys == [s.key for s in catalog.SETTINGS if s.key.startswith("bilibili.")]


async def test_a_new_setting_in_the_list_appears_in_the_panel(
    qtbot: QtBot, bridge: EngineBridge, monkeypatch: pytest.MonkeyPatch
) -> None:
    fakes = (
        Setting("ui.fake_switch", bool, True, "Do the fake thing.", label="Fake switch"),
        Setting("fake.level", str, "low", "How fake.", choices=("low", "high")),
        Setting("fake.count", int, 2, "How many fakes.", minimum=1, maximum=5, advanced=True),
    )
    monkeypatch.setattr(catalog, "SETTINGS", catalog.SETTINGS + fakes)
    for fake in fakes:
        monkeypatch.setitem(bridge.engine.config.values, fake.key, fake.default)
    panel = make_panel(qtbot, bridge)

    switch = widget(panel, "ui.fake_switch")
    assert isinstance(switch, QCheckBox) and switch.isChecked() and switch.text() == "Do the fake thing"
    assert panel.section_of["ui.fake_switch"] == SECTIONS.index("general")
    level = widget(panel, "fake.level")
    assert isinstance(level, QComboBox) and [level.itemData(i) for i in range(level.count())] == ["low", "high"]
    assert panel.sections.item(panel.section_of["fake.level"]).text() == "Fake", "a page of its own"
    assert panel.section_keys[-2:] == ["fake", "advanced"], "Advanced stays last"
    assert panel.fields["fake.level"].label.text() == "Level:"
    count = widget(panel, "fake.count")
    assert isinstance(count, QSpinBox) and (count.minimum(), count.maximum()) == (1, 5)
    assert panel.section_keys[panel.section_of["fake.count"]] == "advanced"

    switch.setChecked(False)
    level.setCurrentIndex(1)
    assert panel.changes() == {"ui.fake_switch": False, "fake.level": "high"}


async def test_a_section_action_calls_the_engine_and_shows_the_answer(
    qtbot: QtBot, bridge: EngineBridge, monkeypatch: pytest.MonkeyPatch
) -> None:
    webhook = Setting("relay.webhook", str, "", "Where to post notifications.", label="Webhook")
    monkeypatch.setattr(catalog, "SETTINGS", (*catalog.SETTINGS, webhook))
    monkeypatch.setattr(
        catalog, "ACTIONS", {"relay.webhook": SettingAction("Send test", "test_notification", "webhook")}
    )
    monkeypatch.setitem(bridge.engine.config.values, webhook.key, "")
    calls: list[str] = []

    async def test_notification(channel: str) -> str:
        calls.append(channel)
        if len(calls) > 1:
            raise TransientError("the webhook answered 502")
        return "Sent a test message to the webhook."

    monkeypatch.setattr(bridge.engine, "test_notification", test_notification, raising=False)
    panel = make_panel(qtbot, bridge)
    group = panel.groups[("relay", "Relay")]
    button = panel.findChild(QPushButton, "action:test_notification")
    assert isinstance(button, QPushButton) and button.text() == "Send test" and button.isEnabled()
    panel.sections.setCurrentRow(panel.section_of["relay.webhook"])

    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    await until(lambda: group.result.text() == "Sent a test message to the webhook.", what="the answer")
    assert calls == ["webhook"] and button.isEnabled()
    await shot(panel, "settings-section-action")
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    await until(lambda: "502" in group.result.text(), what="the error")
    assert group.result.text() == "the webhook answered 502"

    retype(panel, "relay.webhook", "https://hooks.example/1")
    assert not button.isEnabled() and button.toolTip() == "Save first: this uses the saved settings"


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
    retype(panel, "library.video_name", "{{bvid}}")
    QTest.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    await until(lambda: panel.status.text().startswith("Not saved"), what="the failure")
    assert "cannot read" in panel.status.text()
    assert edit(panel, "library.video_name").text() == "{{bvid}}" and panel.save_button.isEnabled()


class JsonTranslator(QTranslator):
    """Simplified Chinese from the JSON catalogs, as the merged .qm will provide it."""

    def __init__(self, catalog: dict[str, str]) -> None:
        super().__init__()
        self.catalog = catalog

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        return self.catalog.get(source, "")

    def isEmpty(self) -> bool:
        return False


def chinese_catalog() -> dict[str, str]:
    return load_texts(resource("i18n", "zh_CN"))


def chinese_translator() -> JsonTranslator:
    return JsonTranslator(chinese_catalog())


def test_every_text_of_the_settings_list_has_a_chinese_translation() -> None:
    chinese = chinese_catalog()
    missing = [text for text in [*catalog.translatable_texts(), *CAPTIONS] if text not in chinese]
    assert not missing


def english_left(panel: SettingsPanel) -> list[str]:
    """Visible words of the panel that are still English (names such as ffmpeg or 4K aside)."""
    texts = [label.text() for label in panel.findChildren(QLabel) if label.buddy() is not None]
    texts += [field.doc.text() for field in panel.fields.values() if field.doc.text()]
    texts += [box.text() for box in panel.findChildren(QCheckBox)]
    texts += [box.title() for box in panel.findChildren(QGroupBox)]
    texts += [panel.sections.item(row).text() for row in range(panel.sections.count())]
    texts += [title.text() for title in panel.page_titles]
    texts += [panel.save_button.text(), panel.revert_button.text()]
    names = {
        "ffmpeg",
        "API",
        "HDR",
        "Bot API",
        "Webhook",
        "Telegram",
        "STARTTLS",
        "SSL/TLS",  # the same in Chinese
        "BitTorrent",
        "DHT",
        "uTP",
        "LSD",
        "PEX",
        "mpv",
        "LLM",
        "Token",
    }
    return [text for text in texts if not CJK.search(text) and text.rstrip(":：") not in names]


async def test_the_panel_switches_language_while_open(qtbot: QtBot, bridge: EngineBridge) -> None:
    panel = make_panel(qtbot, bridge)
    assert panel.sections.item(0).text() == "General"
    translator = chinese_translator()
    app = QApplication.instance()
    assert app is not None
    app.installTranslator(translator)
    try:
        await until(lambda: panel.sections.item(0).text() == "常规", what="Chinese section names")
        assert panel.title() == "设置"
        assert panel.fields["library.video_name"].label.text() == "视频文件夹："
        assert panel.save_button.text() == "保存"
        theme = widget(panel, "ui.theme")
        assert isinstance(theme, QComboBox) and theme.itemText(theme.findData("dark")) == "深色"
        assert english_left(panel) == []
        for section in ("general", "library", "downloads", "notify", "advanced"):
            panel.sections.setCurrentRow(SECTIONS.index(section))
            await shot(panel, f"settings-{section}-zh")
    finally:
        app.removeTranslator(translator)
    await until(lambda: panel.sections.item(0).text() == "General", what="English again")
    assert QCoreApplication.translate("SettingsPanel", "Save") == "Save"
