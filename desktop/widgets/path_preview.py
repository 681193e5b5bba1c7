"""Where sample videos would be written with the settings being edited, as the person types."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel

from core.errors import ConfigError
from core.library.preview import CAPTIONS, example_paths
from desktop.widgets.setting_editors import setting_text


def _breakable(path: str) -> str:
    # A zero-width space after each separator lets a long path wrap at a folder boundary.
    return path.replace("/", "/\u200b")


class PathPreview(QGroupBox):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("template-preview")
        form = QFormLayout(self)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setVerticalSpacing(4)
        self.root = QLabel()
        self.root.setWordWrap(True)
        self.root.setStyleSheet("color: palette(placeholder-text);")
        form.addRow(self.root)
        self.rows: list[tuple[QLabel, QLabel]] = []
        for number, caption_text in enumerate(CAPTIONS):
            caption, path = QLabel(caption_text), QLabel()
            caption.setStyleSheet("font-weight: bold;")
            path.setObjectName(f"preview:{number}")
            path.setWordWrap(True)
            path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(caption)
            form.addRow(path)
            self.rows.append((caption, path))

    def show_paths(self, values: Mapping[str, Any], root: str, problem: str = "") -> None:
        """Sample paths for these settings, or `problem` (or the template's error) in their place."""
        self.setTitle(self.tr("Preview"))
        self.root.setText(self.tr("Inside the library folder %1:").replace("%1", root))
        examples: list[tuple[str, str]] = [(caption, "") for caption in CAPTIONS]
        if not problem:
            try:
                examples = example_paths(values)
            except ConfigError as exc:
                problem = str(exc)
        for (caption, path), (caption_text, example) in zip(self.rows, examples, strict=True):
            caption.setText(setting_text(caption_text))
            path.setText(problem or _breakable(example))
            path.setStyleSheet("color: palette(placeholder-text);" if problem else "")

    def paths(self) -> list[str]:
        return [path.text().replace("\u200b", "") for _caption, path in self.rows]
