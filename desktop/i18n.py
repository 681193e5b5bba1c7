"""Simplified Chinese and English through Qt Linguist catalogs (resources/i18n/*.qm)."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from desktop.resources import resource

LANGUAGES = {"zh_CN": "简体中文", "en": "English"}


def effective_language(setting: str) -> str:
    """ "system" follows the system locale: Chinese systems get Chinese, everyone else English."""
    if setting in LANGUAGES:
        return setting
    return "zh_CN" if QLocale.system().language() == QLocale.Language.Chinese else "en"


class Translations:
    """Keeps the installed translators so the language can be switched while running."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self._installed: list[QTranslator] = []
        self.language = "en"

    def apply(self, setting: str) -> str:
        for translator in self._installed:
            self.app.removeTranslator(translator)
        self._installed.clear()
        self.language = effective_language(setting)
        if self.language != "en":
            ours = QTranslator(self.app)
            if ours.load(str(resource("i18n", f"syncdeck_{self.language}.qm"))):
                self.app.installTranslator(ours)
                self._installed.append(ours)
            qt = QTranslator(self.app)  # Qt's own strings: OK/Cancel buttons, context menus
            if qt.load(f"qtbase_{self.language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
                self.app.installTranslator(qt)
                self._installed.append(qt)
        return self.language
