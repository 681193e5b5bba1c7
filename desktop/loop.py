"""The one event loop: qasync's QEventLoop, with what asyncio's own loops do at start added."""

from __future__ import annotations

import sys

import qasync
from PySide6.QtWidgets import QApplication


def make_loop(app: QApplication) -> qasync.QEventLoop:
    """A qasync loop that also finalizes async generators on the loop.

    asyncio's run_forever installs these hooks; qasync does not, so an httpx stream left
    half-read (a cancelled download) would be closed later by the garbage collector with no
    loop running, and its clean-up would fail.
    """
    loop = qasync.QEventLoop(app)
    sys.set_asyncgen_hooks(firstiter=loop._asyncgen_firstiter_hook, finalizer=loop._asyncgen_finalizer_hook)
    return loop
