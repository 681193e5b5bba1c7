"""The interface language the core names things in (default folders) when the window is not
there to ask Qt: the `ui.language` setting, or for "system" the process locale."""

from __future__ import annotations

import locale
import os

from core.config.loader import Config

LANGUAGES = ("zh_CN", "en")


def ui_language(config: Config) -> str:
    chosen = config["ui.language"]
    if chosen in LANGUAGES:
        return str(chosen)
    # as the window decides for "system": Chinese systems get Chinese, everyone else English
    for variable in ("LC_ALL", "LC_MESSAGES", "LANGUAGE", "LANG"):
        if value := os.environ.get(variable):
            return "zh_CN" if value.lower().startswith("zh") else "en"
    found = locale.getlocale()[0] or ""
    return "zh_CN" if found.lower().startswith("zh") else "en"
