"""Which playback engine this machine has: libmpv through python-mpv, loaded on first use.

A machine without libmpv still starts the app; the player window then says what to install.
"""

from __future__ import annotations

import locale
import logging
from types import ModuleType

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

log = logging.getLogger(__name__)

INSTALL_HINT = QT_TRANSLATE_NOOP(
    "Player",
    "Install libmpv (apt install libmpv2 / dnf install mpv-libs / brew install mpv; on Windows put "
    "libmpv-2.dll next to SyncDeck) to play videos here, or use Open in external player.",
)

_loaded: ModuleType | None = None
_failure = ""


def load_mpv() -> ModuleType:
    """python-mpv, or raise RuntimeError saying what is missing.

    python-mpv loads libmpv with ctypes at import time and raises OSError when the library is
    not there; mpv refuses to start unless numbers are parsed with the C locale, which Qt
    changes on start-up, so LC_NUMERIC is set back each time.
    """
    global _loaded, _failure
    locale.setlocale(locale.LC_NUMERIC, "C")
    if _loaded is not None:
        return _loaded
    try:
        import mpv
    except (ImportError, OSError, AttributeError) as error:
        _failure = str(error)
        log.info("libmpv is not usable: %s", error)
        raise RuntimeError(_failure) from error
    _loaded = mpv
    return mpv


def engine_available() -> bool:
    try:
        load_mpv()
    except RuntimeError:
        return False
    return True


def install_hint() -> str:
    return QCoreApplication.translate("Player", INSTALL_HINT)
