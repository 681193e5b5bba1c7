"""The Settings panel: the same config.toml the command line reads, edited with live checks.

Every control is bound to one setting of `core.config.SETTINGS`. Save writes only what
changed, through `Engine.apply_settings`, and stays disabled until something changed and every
value is valid; each problem is explained next to its control. The name templates show the
path a sample video would get, updated as you type.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.config import Config, setting
from core.config.loader import default_library_root
from core.config.schedule import Schedule
from core.config.settings import AUDIO_NAMES, CODECS, QUALITY_NAMES
from core.engine.engine import KIND_FOLDERS
from core.errors import ConfigError
from core.library import layout
from core.library.naming import BANGUMI_VARIABLES, PAGE_VARIABLES, VIDEO_VARIABLES, check_template, render
from core.providers.bilibili.models import SourceKind
from desktop.bridge import EngineBridge
from desktop.format import local_time
from desktop.panels.base import Panel
from desktop.resources import icon

ERROR_COLOR = "#e5484d"
NOTE_COLOR = "#d97706"
OK_COLOR = "#16a34a"

# What each template may use: exactly the values the library fills in for that kind of name.
TEMPLATE_VARIABLES = {
    "library.video_name": VIDEO_VARIABLES,
    "library.page_name": PAGE_VARIABLES,
    "library.bangumi_name": frozenset({"series_title"}),
    "library.episode_name": BANGUMI_VARIABLES - {"ptitle", "pid", "pid_pad"},
}

# Settings shown as "allow …" switches: the file stores the opposite ("no_…").
NEGATED_SWITCHES = ("quality.no_dolby_video", "quality.no_hdr", "quality.no_dolby_audio", "quality.no_hires")

AUDIO_ORDER = list(AUDIO_NAMES)  # worst to best, as the stream chooser ranks them

SAMPLE_SOURCE = "我的收藏"
SAMPLE_VIDEO: dict[str, Any] = {
    "bvid": "BV1GJ411x7h7",
    "title": "【4K】雨夜的城市 延时摄影",
    "upper_name": "摄影师小林",
    "upper_mid": 3493088,
    "pubtime": datetime(2024, 5, 1, 20, 30, tzinfo=UTC),
    "fav_time": datetime(2024, 6, 2, 9, 15, tzinfo=UTC),
    "source_name": SAMPLE_SOURCE,
}
SAMPLE_PAGE = {"ptitle": "第二段 花絮", "pid": 2, "pid_pad": "02"}
SAMPLE_BANGUMI: dict[str, Any] = {
    **SAMPLE_VIDEO,
    "bvid": "BV1Ww411B7Ld",
    "title": "魔法的尽头",
    "upper_name": "",
    "upper_mid": 0,
    "series_title": "葬送的芙莉莲",
    "season": 1,
    "season_pad": "01",
    "episode": 3,
    "episode_pad": "03",
    "ep_id": 733316,
}


def preview_paths(templates: dict[str, str], time_format: str = "%Y-%m-%d") -> dict[str, str]:
    """Where three sample items would be written, relative to the library folder.

    "single": a one-page video (a movie); "multi": page 2 of a multi-page video (an episode of
    season 1); "bangumi": episode 3 of a bangumi season. Raises ConfigError for a template
    that cannot be rendered.
    """
    video_values = {
        **SAMPLE_VIDEO,
        "series_title": SAMPLE_VIDEO["title"],
        "season": 1,
        "season_pad": "01",
        "episode": 1,
        "episode_pad": "01",
        "ep_id": "",
    }
    source_folder = Path(KIND_FOLDERS[SourceKind.FAVORITE]) / render("{{name}}", {"name": SAMPLE_SOURCE})
    video_folder = source_folder / render(templates["library.video_name"], video_values, time_format=time_format)
    first_page = {**video_values, "ptitle": SAMPLE_VIDEO["title"], "pid": 1, "pid_pad": "01"}
    single = layout.movie_files(
        video_folder, render(templates["library.page_name"], first_page, time_format=time_format)
    ).video
    second_page = {**video_values, **SAMPLE_PAGE}
    multi = layout.page_episode_files(
        video_folder, render(templates["library.page_name"], second_page, time_format=time_format), SAMPLE_PAGE["pid"]
    ).video
    series = SAMPLE_BANGUMI["series_title"]
    series_folder = Path(KIND_FOLDERS[SourceKind.BANGUMI]) / render(
        templates["library.bangumi_name"], {"name": series, "series_title": series}, time_format=time_format
    )
    episode = layout.bangumi_episode_files(
        series_folder,
        render(templates["library.episode_name"], SAMPLE_BANGUMI, time_format=time_format),
        SAMPLE_BANGUMI["season"],
        SAMPLE_BANGUMI["episode"],
    ).video
    paths = {"single": single, "multi": multi, "bangumi": episode}
    return {name: PurePosixPath(*path.parts).as_posix() for name, path in paths.items()}


def load_autostart() -> ModuleType | None:
    """The start-at-login helper of this platform, when this build has one."""
    try:
        return importlib.import_module("desktop.autostart")
    except ImportError:
        return None


def _breakable(path: str) -> str:
    # A zero-width space after each separator lets a long path wrap at a folder boundary.
    return path.replace("/", "/\u200b")


@dataclass
class Field:
    """One control bound to one setting, with the label in front and a message line below."""

    key: str
    widget: QWidget
    get: Callable[[], Any]
    put: Callable[[Any], None]
    label: QLabel
    message: QLabel


class SettingsPanel(Panel):
    key = "settings"
    icon_name = "settings"

    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(bridge, parent)
        self.fields: dict[str, Field] = {}
        self.errors: dict[str, str] = {}
        self.preview: dict[str, str] = {}
        self.autostart = load_autostart()
        self._autostart_saved = False
        self._loading = False
        self._saving = False
        self._browse_buttons: list[QToolButton] = []
        self.section_of: dict[str, int] = {}  # setting key → row of its section
        self.section_icons: list[str] = []

        self.sections = QListWidget()
        self.sections.setObjectName("settings-sections")
        self.sections.setFixedWidth(170)
        self.sections.setSpacing(2)
        self.pages = QStackedWidget()
        self.page_titles: list[QLabel] = []
        self.sections.currentRowChanged.connect(self.pages.setCurrentIndex)

        self._build_general()
        self._build_library()
        self._build_quality()
        self._build_downloads()
        self._build_network()

        self.status = QLabel()
        self.status.setObjectName("settings-status")
        self.status.setWordWrap(True)
        self.revert_button = QPushButton()
        self.revert_button.setObjectName("settings-revert")
        self.revert_button.clicked.connect(self.revert)
        self.save_button = QPushButton()
        self.save_button.setObjectName("settings-save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        save_shortcut = QAction(self)
        save_shortcut.setShortcut(QKeySequence.StandardKey.Save)
        save_shortcut.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_shortcut.triggered.connect(self.save)
        self.addAction(save_shortcut)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.revert_button)
        bottom.addWidget(self.save_button)

        body = QHBoxLayout()
        body.setSpacing(12)
        body.addWidget(self.sections)
        body.addWidget(self.pages, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 12, 12, 10)
        outer.addLayout(body, 1)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        outer.addWidget(line)
        outer.addLayout(bottom)

        bridge.stateChanged.connect(self._state_changed)
        self.sections.setCurrentRow(0)
        self.load()
        self.retranslate()

    # ------------------------------------------------------------------ building

    def _page(self, icon_name: str) -> QVBoxLayout:
        content = QWidget()
        content.setObjectName("settings-page")
        column = QVBoxLayout(content)
        column.setContentsMargins(4, 0, 12, 12)
        column.setSpacing(12)
        title = QLabel()
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        title.setFont(font)
        column.addWidget(title)
        self.page_titles.append(title)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        self.pages.addWidget(scroll)
        QListWidgetItem(icon(icon_name), "", self.sections)
        self.section_icons.append(icon_name)
        return column

    @staticmethod
    def _group(column: QVBoxLayout) -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox()
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(8)
        column.addWidget(box)
        return box, form

    def _bind(
        self,
        form: QFormLayout,
        key: str,
        widget: QWidget,
        get: Callable[[], Any],
        put: Callable[[Any], None],
        changed: Any,
        *,
        field_widget: QWidget | None = None,
    ) -> Field:
        label = QLabel()
        label.setBuddy(widget)
        message = QLabel()
        message.setObjectName(f"message:{key}")
        message.setWordWrap(True)
        message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        message.hide()
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(3)
        column.addWidget(field_widget or widget)
        column.addWidget(message)
        form.addRow(label, holder)
        widget.setObjectName(key)
        field = Field(key, widget, get, put, label, message)
        self.fields[key] = field
        self.section_of[key] = self.pages.count() - 1
        changed.connect(self._changed)
        return field

    def _line(self, form: QFormLayout, key: str, *, browse: Callable[[], None] | None = None) -> QLineEdit:
        edit = QLineEdit()
        edit.setClearButtonEnabled(True)
        holder: QWidget | None = None
        if browse is not None:
            holder = QWidget()
            row = QHBoxLayout(holder)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(edit, 1)
            button = QToolButton()
            button.setIcon(icon("folder"))
            button.setObjectName(f"browse:{key}")
            button.clicked.connect(browse)
            row.addWidget(button)
            self._browse_buttons.append(button)
        self._bind(
            form,
            key,
            edit,
            lambda: edit.text().strip(),
            lambda v: edit.setText(str(v)),
            edit.textChanged,
            field_widget=holder,
        )
        return edit

    def _combo(self, form: QFormLayout, key: str, values: list[str]) -> QComboBox:
        combo = QComboBox()
        combo.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.setMinimumWidth(260)
        for value in values:
            combo.addItem("", value)

        def select(value: Any) -> None:
            combo.setCurrentIndex(combo.findData(value))

        self._bind(form, key, combo, combo.currentData, select, combo.currentIndexChanged)
        return combo

    def _check(self, form: QFormLayout, key: str, *, negated: bool = False) -> QCheckBox:
        box = QCheckBox()
        if negated:
            self._bind(form, key, box, lambda: not box.isChecked(), lambda v: box.setChecked(not v), box.toggled)
        else:
            self._bind(form, key, box, box.isChecked, lambda v: box.setChecked(bool(v)), box.toggled)
        return box

    def _spin(self, form: QFormLayout, key: str, low: int, high: int, *, suffix: str = "") -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setSuffix(suffix)
        spin.setMinimumWidth(110)
        spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self._bind(form, key, spin, spin.value, lambda v: spin.setValue(int(v)), spin.valueChanged)
        return spin

    def _build_general(self) -> None:
        column = self._page("general")
        self.appearance_box, form = self._group(column)
        self.language = self._combo(form, "ui.language", ["system", "zh_CN", "en"])
        self.theme = self._combo(form, "ui.theme", ["system", "light", "dark"])
        self.window_box, form = self._group(column)
        self.close_to_tray = self._check(form, "ui.close_to_tray")
        self.start_minimized = self._check(form, "ui.start_minimized")
        self.start_at_login = QCheckBox()
        self.start_at_login.setObjectName("start-at-login")
        self.start_at_login_label = QLabel()
        self.start_at_login_message = QLabel()
        self.start_at_login_message.setWordWrap(True)
        self.start_at_login_message.hide()
        holder = QWidget()
        stack = QVBoxLayout(holder)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.addWidget(self.start_at_login)
        stack.addWidget(self.start_at_login_message)
        form.addRow(self.start_at_login_label, holder)
        self.start_at_login.setEnabled(self.autostart is not None)
        self.start_at_login.toggled.connect(self._changed)
        column.addStretch(1)

    def _build_library(self) -> None:
        column = self._page("folder")
        self.folders_box, form = self._group(column)
        self.library_root = self._line(form, "library.root", browse=self._browse_library)
        self.video_name = self._line(form, "library.video_name")
        self.page_name = self._line(form, "library.page_name")
        self.bangumi_name = self._line(form, "library.bangumi_name")
        self.episode_name = self._line(form, "library.episode_name")
        self.time_format = self._line(form, "library.time_format")
        self.variables_help = QLabel()
        self.variables_help.setWordWrap(True)
        self.variables_help.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.variables_help.setStyleSheet("color: palette(placeholder-text);")
        form.addRow(self.variables_help)

        self.preview_box = QGroupBox()
        self.preview_box.setObjectName("template-preview")
        preview_form = QFormLayout(self.preview_box)
        preview_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        preview_form.setVerticalSpacing(4)
        self.preview_root = QLabel()
        self.preview_root.setWordWrap(True)
        self.preview_root.setStyleSheet("color: palette(placeholder-text);")
        preview_form.addRow(self.preview_root)
        self.preview_labels: dict[str, tuple[QLabel, QLabel]] = {}
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.TypeWriter)
        for name in ("single", "multi", "bangumi"):
            caption, value = QLabel(), QLabel()
            value.setObjectName(f"preview:{name}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            caption.setStyleSheet("font-weight: bold;")
            preview_form.addRow(caption)
            preview_form.addRow(value)
            self.preview_labels[name] = (caption, value)
        column.addWidget(self.preview_box)

        self.extras_box, form = self._group(column)
        self._check(form, "library.danmaku")
        self._check(form, "library.subtitles")
        self._check(form, "library.ai_subtitles")
        self._check(form, "library.upper")
        self._check(form, "library.delete_removed")
        column.addStretch(1)

    def _build_quality(self) -> None:
        column = self._page("quality")
        self.streams_box, form = self._group(column)
        qualities = list(QUALITY_NAMES)
        self.video_max = self._combo(form, "quality.video_max", list(reversed(qualities)))
        self.video_min = self._combo(form, "quality.video_min", list(reversed(qualities)))
        self.audio_max = self._combo(form, "quality.audio_max", list(reversed(AUDIO_ORDER)))
        self.audio_min = self._combo(form, "quality.audio_min", list(reversed(AUDIO_ORDER)))

        self.codecs_box, form = self._group(column)
        self.codecs = QListWidget()
        self.codecs.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.codecs.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.codecs.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.codecs.setSpacing(3)
        self.codecs.setFixedHeight((self.fontMetrics().height() + 12) * len(CODECS) + 8)
        for codec in CODECS:
            item = QListWidgetItem("", self.codecs)
            item.setData(Qt.ItemDataRole.UserRole, codec)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsDragEnabled)
            item.setCheckState(Qt.CheckState.Checked)
        self.codec_up = QToolButton()
        self.codec_up.setIcon(icon("up"))
        self.codec_up.clicked.connect(lambda: self._move_codec(-1))
        self.codec_down = QToolButton()
        self.codec_down.setIcon(icon("down"))
        self.codec_down.clicked.connect(lambda: self._move_codec(1))
        self.codecs.currentRowChanged.connect(self._update_codec_buttons)
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.codecs, 1)
        arrows = QVBoxLayout()
        arrows.addWidget(self.codec_up)
        arrows.addWidget(self.codec_down)
        arrows.addStretch(1)
        row.addLayout(arrows)
        self._bind(
            form,
            "quality.codecs",
            self.codecs,
            self._codec_order,
            self._set_codec_order,
            self.codecs.model().rowsMoved,
            field_widget=holder,
        )
        self.codecs.itemChanged.connect(self._changed)

        self.special_box, form = self._group(column)
        for key in NEGATED_SWITCHES:
            self._check(form, key, negated=True)
        column.addStretch(1)

    def _build_downloads(self) -> None:
        column = self._page("tasks")
        self.limits_box, form = self._group(column)
        self._spin(form, "limits.videos", 1, 10)
        self._spin(form, "limits.pages", 1, 8)
        self._spin(form, "limits.connections", 1, 16)
        calls = QSpinBox()
        calls.setRange(1, 100)
        calls.setAlignment(Qt.AlignmentFlag.AlignRight)
        window = QSpinBox()
        window.setRange(50, 60000)
        window.setSingleStep(50)
        window.setSuffix(" ms")
        window.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.rate_per = QLabel()
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(calls)
        row.addWidget(self.rate_per)
        row.addWidget(window)
        row.addStretch(1)
        self._bind(
            form,
            "limits.api_calls",
            calls,
            calls.value,
            lambda v: calls.setValue(int(v)),
            calls.valueChanged,
            field_widget=holder,
        )
        # The window shares the row of the call count; its own label and message stay unused.
        self.fields["limits.api_window_ms"] = Field(
            "limits.api_window_ms", window, window.value, lambda v: window.setValue(int(v)), QLabel(), QLabel()
        )
        window.setObjectName("limits.api_window_ms")
        self.section_of["limits.api_window_ms"] = self.pages.count() - 1
        window.valueChanged.connect(self._changed)

        self.schedule_box, form = self._group(column)
        self.schedule = self._line(form, "schedule.every")
        self.schedule_description = QLabel()
        self.schedule_description.setObjectName("schedule-description")
        self.schedule_description.setStyleSheet(f"color: {OK_COLOR};")
        form.addRow("", self.schedule_description)
        column.addStretch(1)

    def _build_network(self) -> None:
        column = self._page("network")
        self.network_box, form = self._group(column)
        self.proxy = self._line(form, "net.proxy")
        self.ca_bundle = self._line(form, "net.ca_bundle", browse=self._browse_ca_bundle)
        column.addStretch(1)

    # ------------------------------------------------------------------ text

    def title(self) -> str:
        return self.tr("Settings")

    def retranslate(self) -> None:
        sections = [
            self.tr("General"),
            self.tr("Library"),
            self.tr("Quality"),
            self.tr("Downloads"),
            self.tr("Network"),
        ]
        for row, text in enumerate(sections):
            self.sections.item(row).setText(text)
            self.page_titles[row].setText(text)
        self.appearance_box.setTitle(self.tr("Appearance"))
        self.window_box.setTitle(self.tr("Window and tray"))
        self.folders_box.setTitle(self.tr("Folders and names"))
        self.preview_box.setTitle(self.tr("Preview"))
        self.extras_box.setTitle(self.tr("Extra files"))
        self.streams_box.setTitle(self.tr("Video and audio quality"))
        self.codecs_box.setTitle(self.tr("Codecs"))
        self.special_box.setTitle(self.tr("Special formats"))
        self.limits_box.setTitle(self.tr("Limits"))
        self.schedule_box.setTitle(self.tr("Schedule"))
        self.network_box.setTitle(self.tr("Connection"))

        labels = {
            "ui.language": self.tr("Language:"),
            "ui.theme": self.tr("Theme:"),
            "ui.close_to_tray": self.tr("Closing the window:"),
            "ui.start_minimized": self.tr("On start:"),
            "library.root": self.tr("Library folder:"),
            "library.video_name": self.tr("Video folder:"),
            "library.page_name": self.tr("Video file:"),
            "library.bangumi_name": self.tr("Bangumi folder:"),
            "library.episode_name": self.tr("Episode file:"),
            "library.time_format": self.tr("Dates in names:"),
            "library.danmaku": self.tr("Danmaku:"),
            "library.subtitles": self.tr("Subtitles:"),
            "library.ai_subtitles": self.tr("AI subtitles:"),
            "library.upper": self.tr("Uploaders:"),
            "library.delete_removed": self.tr("Removed videos:"),
            "quality.video_max": self.tr("Best video:"),
            "quality.video_min": self.tr("Lowest video:"),
            "quality.audio_max": self.tr("Best audio:"),
            "quality.audio_min": self.tr("Lowest audio:"),
            "quality.codecs": self.tr("Preferred codecs:"),
            "quality.no_dolby_video": self.tr("Dolby Vision:"),
            "quality.no_hdr": self.tr("HDR:"),
            "quality.no_dolby_audio": self.tr("Dolby Atmos:"),
            "quality.no_hires": self.tr("Hi-Res audio:"),
            "limits.videos": self.tr("Videos at once:"),
            "limits.pages": self.tr("Pages per video at once:"),
            "limits.connections": self.tr("Connections per file:"),
            "limits.api_calls": self.tr("API rate:"),
            "schedule.every": self.tr("Sync every:"),
            "net.proxy": self.tr("Proxy:"),
            "net.ca_bundle": self.tr("CA certificates:"),
        }
        for key, text in labels.items():
            self.fields[key].label.setText(text)
        self.start_at_login_label.setText(self.tr("Startup:"))

        checks = {
            "ui.close_to_tray": self.tr("Keep syncing in the tray"),
            "ui.start_minimized": self.tr("Start hidden in the tray"),
            "library.danmaku": self.tr("Save danmaku as ASS subtitles"),
            "library.subtitles": self.tr("Save CC subtitles as SRT"),
            "library.ai_subtitles": self.tr("Also save AI-generated subtitles"),
            "library.upper": self.tr("Save uploader avatars and person.nfo for media servers"),
            "library.delete_removed": self.tr("Delete local files of videos removed on Bilibili"),
            "quality.no_dolby_video": self.tr("Download Dolby Vision video when offered"),
            "quality.no_hdr": self.tr("Download HDR video when offered"),
            "quality.no_dolby_audio": self.tr("Download Dolby Atmos audio when offered"),
            "quality.no_hires": self.tr("Download Hi-Res lossless audio when offered"),
        }
        for key, text in checks.items():
            widget = self.fields[key].widget
            assert isinstance(widget, QCheckBox)
            widget.setText(text)
        self.start_at_login.setText(self.tr("Start SyncDeck when I log in to the computer"))
        self.start_at_login.setToolTip(
            "" if self.autostart is not None else self.tr("Starting at login is not supported on this system")
        )

        self.language.setItemText(0, self.tr("Follow the system"))
        self.language.setItemText(1, "简体中文")
        self.language.setItemText(2, "English")
        self.theme.setItemText(0, self.tr("Follow the system"))
        self.theme.setItemText(1, self.tr("Light"))
        self.theme.setItemText(2, self.tr("Dark"))
        video_names = {
            "360p": "360P",
            "480p": "480P",
            "720p": "720P",
            "720p60": self.tr("720P 60 fps"),
            "1080p": "1080P",
            "1080p+": self.tr("1080P high bitrate"),
            "1080p60": self.tr("1080P 60 fps"),
            "4k": "4K",
            "hdr": self.tr("HDR"),
            "dolby": self.tr("Dolby Vision"),
            "8k": "8K",
        }
        audio_names = {
            "64k": "64K",
            "132k": "132K",
            "192k": "192K",
            "dolby": self.tr("Dolby Atmos"),
            "hires": self.tr("Hi-Res lossless"),
        }
        for combo, names in (
            (self.video_max, video_names),
            (self.video_min, video_names),
            (self.audio_max, audio_names),
            (self.audio_min, audio_names),
        ):
            for row in range(combo.count()):
                combo.setItemText(row, names[combo.itemData(row)])
        codec_names = {
            "avc": self.tr("AVC (H.264) — plays everywhere"),
            "hevc": self.tr("HEVC (H.265) — smaller files"),
            "av1": self.tr("AV1 — smallest files, needs a recent player"),
        }
        for row in range(self.codecs.count()):
            item = self.codecs.item(row)
            item.setText(codec_names[item.data(Qt.ItemDataRole.UserRole)])
        self.codecs.setToolTip(self.tr("Drag to reorder; unchecked codecs are never downloaded"))
        self.codec_up.setToolTip(self.tr("Prefer this codec more"))
        self.codec_down.setToolTip(self.tr("Prefer this codec less"))
        self.rate_per.setText(self.tr("calls per"))

        self.library_root.setPlaceholderText(self.tr("Default: %1").replace("%1", str(default_library_root())))
        self.time_format.setPlaceholderText("%Y-%m-%d")
        self.schedule.setPlaceholderText(self.tr("Seconds (1200) or a cron expression (0 3 * * *)"))
        self.proxy.setPlaceholderText(self.tr("Empty: use the system proxy (http://, https:// or socks5://)"))
        self.ca_bundle.setPlaceholderText(self.tr("Empty: use the system's certificates"))
        for button in self._browse_buttons:
            button.setToolTip(self.tr("Choose…"))
        self.variables_help.setText(
            self.tr(
                "Names use variables such as {{title}}, {{bvid}}, {{upper_name}}, {{upper_mid}}, {{pubtime}}, "
                "{{fav_time}} and {{source_name}}; files of pages add {{ptitle}}, {{pid}} and {{pid_pad}}; "
                "bangumi add {{series_title}}, {{season}}, {{episode}} and {{ep_id}}. "
                "{{truncate title 40}} keeps at most 40 characters. A / starts a subfolder."
            )
        )
        captions = {
            "single": self.tr("A single video"),
            "multi": self.tr("Page 2 of a multi-page video"),
            "bangumi": self.tr("Episode 3 of a bangumi"),
        }
        for name, (caption, _value) in self.preview_labels.items():
            caption.setText(captions[name])
        self.revert_button.setText(self.tr("Revert"))
        self.revert_button.setToolTip(self.tr("Throw away the changes not saved yet"))
        self.save_button.setText(self.tr("Save"))
        self._update_state()

    # ------------------------------------------------------------------ values

    @property
    def config(self) -> Config:
        return self.bridge.engine.config

    def load(self) -> None:
        """Show the values in force now (after start, Revert and Save)."""
        self._loading = True
        try:
            for key, field in self.fields.items():
                field.put(self.config[key])
            self._autostart_saved = bool(self.autostart is not None and self.autostart.is_enabled())
            self.start_at_login.setChecked(self._autostart_saved)
        finally:
            self._loading = False
        self._update_state()

    def values(self) -> dict[str, Any]:
        return {key: field.get() for key, field in self.fields.items()}

    def changes(self) -> dict[str, Any]:
        """The settings whose control differs from what is in force."""
        return {key: value for key, value in self.values().items() if value != self.config[key]}

    def autostart_changed(self) -> bool:
        return self.autostart is not None and self.start_at_login.isChecked() != self._autostart_saved

    def _codec_order(self) -> list[str]:
        items = [self.codecs.item(row) for row in range(self.codecs.count())]
        return [item.data(Qt.ItemDataRole.UserRole) for item in items if item.checkState() == Qt.CheckState.Checked]

    def _set_codec_order(self, codecs: list[str]) -> None:
        # Wanted codecs first in their order, the others after them, unchecked.
        order = list(codecs) + [c for c in CODECS if c not in codecs]
        items = {}
        while self.codecs.count():
            item = self.codecs.takeItem(0)
            items[item.data(Qt.ItemDataRole.UserRole)] = item
        for codec in order:
            item = items[codec]
            item.setCheckState(Qt.CheckState.Checked if codec in codecs else Qt.CheckState.Unchecked)
            self.codecs.addItem(item)
        self._update_codec_buttons()

    def _move_codec(self, step: int) -> None:
        row = self.codecs.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.codecs.count():
            return
        item = self.codecs.takeItem(row)
        self.codecs.insertItem(target, item)
        self.codecs.setCurrentRow(target)
        self._changed()

    def _update_codec_buttons(self) -> None:
        row = self.codecs.currentRow()
        self.codec_up.setEnabled(row > 0)
        self.codec_down.setEnabled(0 <= row < self.codecs.count() - 1)

    # ------------------------------------------------------------------ checks

    def validate(self) -> dict[str, str]:
        """Problems per setting key, worded for the person fixing them."""
        values = self.values()
        errors: dict[str, str] = {}
        for key, allowed in TEMPLATE_VARIABLES.items():
            try:
                check_template(values[key], allowed)
            except ConfigError as exc:
                errors[key] = str(exc)
        if QUALITY_NAMES[values["quality.video_min"]] > QUALITY_NAMES[values["quality.video_max"]]:
            errors["quality.video_min"] = self.tr("The lowest video quality is above the best one.")
        if AUDIO_ORDER.index(values["quality.audio_min"]) > AUDIO_ORDER.index(values["quality.audio_max"]):
            errors["quality.audio_min"] = self.tr("The lowest audio quality is above the best one.")
        if not values["quality.codecs"]:
            errors["quality.codecs"] = self.tr("Check at least one codec.")
        try:
            Schedule.parse(values["schedule.every"])
        except ConfigError as exc:
            errors["schedule.every"] = str(exc)
        try:
            setting("net.proxy").coerce(values["net.proxy"], "proxy")
        except ConfigError as exc:
            errors["net.proxy"] = str(exc).removeprefix("proxy: net.proxy: ")
        bundle = values["net.ca_bundle"]
        if bundle and not Path(bundle).expanduser().is_file():
            errors["net.ca_bundle"] = self.tr("There is no file at this path.")
        root = values["library.root"]
        if root and not Path(root).expanduser().is_absolute():
            errors["library.root"] = self.tr("Give a full path, starting from the drive or /.")
        try:
            datetime(2024, 5, 1).strftime(values["library.time_format"] or "%Y-%m-%d")
        except ValueError as exc:
            errors["library.time_format"] = str(exc)
        return errors

    def _changed(self, *_args: object) -> None:
        if not self._loading:
            self._update_state()

    def _update_state(self) -> None:
        self.errors = self.validate()
        for key, field in self.fields.items():
            origin = self.config.origins.get(key, "default")
            if key in self.errors:
                field.message.setText(self.errors[key])
                field.message.setStyleSheet(f"color: {ERROR_COLOR};")
                field.message.show()
            elif origin in ("environment", "command line"):
                source = setting(key).env if origin == "environment" else "--set " + key
                field.message.setText(
                    self.tr("%1 sets this for now; it wins over the saved value.").replace("%1", source)
                )
                field.message.setStyleSheet(f"color: {NOTE_COLOR};")
                field.message.show()
            else:
                field.message.hide()
        broken = self.error_sections()
        for row, icon_name in enumerate(self.section_icons):
            self.sections.item(row).setIcon(icon("warning" if row in broken else icon_name))
        self._show_preview()
        self._show_schedule()
        pending = bool(self.changes()) or self.autostart_changed()
        self.save_button.setEnabled(pending and not self.errors and not self._saving)
        self.revert_button.setEnabled(pending and not self._saving)
        if self._saving:
            return
        if self.errors:
            names = ", ".join(self.sections.item(row).text() for row in sorted(self.error_sections()))
            self._set_status(
                self.tr("Fix the settings marked in red before saving: %1.").replace("%1", names), ERROR_COLOR
            )
        elif pending:
            self._set_status(self.tr("Changes not saved yet."), "")
        elif self.status.property("saved"):
            return
        else:
            self._set_status("", "")

    def error_sections(self) -> set[int]:
        return {self.section_of[key] for key in self.errors}

    def _show_preview(self) -> None:
        values = self.values()
        root = values["library.root"] or str(default_library_root())
        self.preview_root.setText(self.tr("Inside the library folder %1:").replace("%1", root))
        problem = ""
        if any(key in self.errors for key in (*TEMPLATE_VARIABLES, "library.time_format")):
            problem = self.tr("(fix the name templates to see the path)")
        else:
            try:
                self.preview = preview_paths(values, values["library.time_format"] or "%Y-%m-%d")
            except ConfigError as exc:
                problem = str(exc)
        for name, (_caption, value) in self.preview_labels.items():
            if problem:
                value.setText(problem)
                value.setStyleSheet("color: palette(placeholder-text);")
            else:
                value.setText(_breakable(self.preview[name]))
                value.setStyleSheet("")

    def _show_schedule(self) -> None:
        if "schedule.every" in self.errors:
            self.schedule_description.clear()
            return
        schedule = Schedule.parse(self.fields["schedule.every"].get())
        if schedule.interval is not None:
            minutes, seconds = divmod(schedule.interval, 60)
            hours, minutes = divmod(minutes, 60)
            units = ((hours, self.tr("%1 h")), (minutes, self.tr("%1 min")), (seconds, self.tr("%1 s")))
            parts = [unit.replace("%1", str(amount)) for amount, unit in units if amount]
            text = self.tr("A round starts every %1.").replace("%1", " ".join(parts))
        else:
            upcoming = schedule.next_after(None, datetime.now(UTC))
            assert schedule.cron is not None
            text = self.tr("Runs on the cron schedule “%1”; next round at %2.").replace("%1", schedule.cron)
            text = text.replace("%2", local_time(upcoming))
        self.schedule_description.setText(text)

    def _set_status(self, text: str, color: str, *, saved: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {color};" if color else "")
        self.status.setProperty("saved", saved)

    # ------------------------------------------------------------------ actions

    def revert(self) -> None:
        self.status.setProperty("saved", False)
        self.load()

    def save(self) -> None:
        changes = self.changes()
        if self.validate() or self._saving or not (changes or self.autostart_changed()):
            return
        self._saving = True
        self.save_button.setEnabled(False)
        self.revert_button.setEnabled(False)
        self._set_status(self.tr("Saving…"), "")
        if changes:
            self.bridge.run(
                self.bridge.engine.apply_settings(changes),
                what=self.tr("Save settings"),
                done=lambda _result: self._saved(),
                failed=self._save_failed,
            )
        else:
            self._saved()

    def _saved(self) -> None:
        if self.autostart_changed():
            assert self.autostart is not None
            try:
                self.autostart.set_enabled(self.start_at_login.isChecked())
            except OSError as exc:
                self.start_at_login_message.setText(
                    self.tr("Could not change the start at login: %1").replace("%1", str(exc))
                )
                self.start_at_login_message.setStyleSheet(f"color: {ERROR_COLOR};")
                self.start_at_login_message.show()
            else:
                self.start_at_login_message.hide()
        self._saving = False
        self.load()
        self._set_status(
            self.tr("Saved. The command line and the next round use these settings."), OK_COLOR, saved=True
        )

    def _save_failed(self, message: str) -> None:
        self._saving = False
        self._update_state()
        self._set_status(self.tr("Not saved: %1").replace("%1", message), ERROR_COLOR)

    def _state_changed(self, what: str) -> None:
        # Settings saved elsewhere (the command line, a hot reload): show them unless the
        # person is in the middle of editing.
        if what == "settings" and not self._saving and not self.changes() and not self.autostart_changed():
            self.load()

    def _browse_library(self) -> None:
        start = self.library_root.text().strip() or str(default_library_root())
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the library folder"), start)
        if folder:
            self.library_root.setText(folder)

    def _browse_ca_bundle(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a CA bundle"),
            self.ca_bundle.text().strip() or str(Path.home()),
            self.tr("Certificates (*.pem *.crt *.cer);;All files (*)"),
        )
        if path:
            self.ca_bundle.setText(path)
