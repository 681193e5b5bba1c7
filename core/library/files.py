"""Crash-safe file writes and paths that stay inside the library.

A reader sees the old file or the new one, never half of either.

Everything in the library (NFOs, covers, danmaku, subtitles, merged videos) and the download
sidecars is written through these helpers: write a temporary file next to the target, flush it
to disk, then `os.replace` it over the target, which is atomic on Windows, macOS and Linux when
both names are on the same file system.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

from core.errors import SyncDeckError

# A temporary name adds at most this many bytes to the target's name (".{name}." + 8 random
# characters + ".tmp"); file name limits in core.library.naming leave room for it.
TEMP_NAME_OVERHEAD = 14
# What a write into a read-only mount, a folder without write permission or a locked-down
# network share answers.
_NOT_WRITABLE_ERRNOS = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})


class LibraryNotWritableError(SyncDeckError):
    """A library folder refuses writes: every step would fail the same way, so the round
    stops with this one message and no attempt is counted."""

    @classmethod
    def from_os_error(cls, exc: OSError, folder: Path | str | None = None) -> LibraryNotWritableError:
        where = folder or exc.filename or "the library folder"
        return cls(
            f"The folder {where} cannot be written ({exc.strerror or exc}). Make it writable, or "
            "choose another library folder in the settings; the videos stay queued and nothing "
            "was counted against them."
        )


def not_writable(exc: BaseException) -> bool:
    """Whether an error means "this folder refuses writes" (not: the disk is full)."""
    return isinstance(exc, OSError) and exc.errno in _NOT_WRITABLE_ERRNOS


def check_writable(folder: Path) -> None:
    """Create `folder` if needed and prove a file can be written in it; raises
    LibraryNotWritableError if not, before any download starts."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp = _create_temp(folder / "write-check")
        os.close(fd)
        os.unlink(temp)
    except OSError as exc:
        if not_writable(exc):
            raise LibraryNotWritableError.from_os_error(exc) from None
        raise


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in `folder` survive a power loss (POSIX only).

    Windows cannot open a directory for fsync and journals metadata itself, so there it is a no-op.
    """
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        # Some file systems (network mounts, FUSE) refuse fsync on directories; the rename
        # itself is still atomic there.
        pass
    finally:
        os.close(fd)


def _create_temp(path: Path) -> tuple[int, Path]:
    # Not tempfile.mkstemp: it creates files with mode 0600, and a media server running as
    # another user must be able to read the library. os.open applies the umask like any program.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(temp, flags, 0o666), temp
        except FileExistsError:
            continue


def write_bytes_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace `path` with `data` in one step, creating missing parent folders.

    With `durable` the data and the rename are flushed to disk first (use it for anything that
    is not rewritten a second later). Without it, a power loss may leave the previous version
    but never a torn file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = _create_temp(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    if durable:
        fsync_dir(path.parent)


def write_text_atomic(path: Path, text: str, *, encoding: str = "utf-8", durable: bool = True) -> None:
    """Like `write_bytes_atomic` for text; line endings are written exactly as given."""
    write_bytes_atomic(path, text.encode(encoding), durable=durable)


def replace_durably(source: Path, target: Path) -> None:
    """Flush a finished file to disk, then move it over `target` atomically."""
    with open(source, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(source, target)
    fsync_dir(target.parent)


def resolve_inside(root: Path, rel: str | PurePath) -> Path:
    """`root / rel`, refusing anything that would end up outside `root`.

    Absolute paths, drive letters, `..` segments and symlinks that lead out of `root` raise
    SyncDeckError, so a hostile title or template can never write elsewhere on the disk.
    """
    text = str(rel)
    if PurePosixPath(text).is_absolute() or PureWindowsPath(text).anchor:
        raise SyncDeckError(f"Refusing absolute path {text!r} inside the library folder {root}")
    parts = PureWindowsPath(text).parts  # splits on both "/" and backslash
    if ".." in parts:
        raise SyncDeckError(f"Refusing path {text!r}: it climbs out of the library folder {root}")
    base = root.resolve()
    candidate = base.joinpath(*parts).resolve()
    if not candidate.is_relative_to(base):
        raise SyncDeckError(f"Refusing path {text!r}: it leads outside the library folder {root}")
    return candidate


def remove_item_folder(root: str | Path, folder: str | Path) -> bool:
    """Delete an item's own folder (an absolute path inside `root`); the folder of a show,
    which is `root` itself and shared by its episodes, is never deleted."""
    rel = os.path.relpath(folder, root)
    return False if rel == "." else remove_tree_inside(root, rel)


def remove_tree_inside(root: str | Path, rel: str | PurePath) -> bool:
    """Delete the file or folder `root / rel`; returns whether something was there.

    Refuses paths outside `root` and `root` itself (a bangumi video's path is "." — deleting
    it would take every other episode with it).
    """
    base = Path(root).resolve()
    if resolve_inside(base, rel) == base:
        raise SyncDeckError(f"Refusing to delete the whole folder {base}")
    # Delete what the name points at in the folder: a symlink itself, never its target.
    target = base.joinpath(*PureWindowsPath(str(rel)).parts)
    if target.is_symlink() or target.is_file():
        target.unlink()
        return True
    if target.is_dir():
        shutil.rmtree(target)
        return True
    return False
