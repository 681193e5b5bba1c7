"""Writing a gateway's file so that a failure never leaves a broken one behind.

Backup (`backup/<name>.backup.<UTC time>` next to the file, as uni-load does), write to a
temporary file, validate that, move it into place, validate the file in place; if anything
fails the previous file comes back from the backup (or the new one is removed if there was none).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from core.errors import LlmError


def write_validated(path: Path, text: str, validate: Callable[[Path], None]) -> Path | None:
    """Write `text` to `path`; `validate(path)` raises on a bad file. Returns the backup's path."""
    path = path.expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    backup: Path | None = None
    if path.exists():
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H-%M-%S.%fZ")
        backup = path.parent / "backup" / f"{path.name}.backup.{stamp}"
        backup.parent.mkdir(exist_ok=True)
        shutil.copy2(path, backup)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if backup is not None:
            shutil.copymode(backup, temp)
        validate(temp)
        os.replace(temp, path)
        validate(path)
    except Exception as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        if backup is not None:
            shutil.copy2(backup, path)
        else:
            with contextlib.suppress(OSError):
                path.unlink()
        raise LlmError(f"{path} was not changed: the new file did not pass its check ({exc})") from exc
    return backup
