"""Sub-paths inside a dynamic folder, and the refusal of any that would leave it.

A dynamic folder's `root` is either a path at the provider ("/movies", Alist style) or an
opaque id (an Emby library). Below a path root a sub-path is a relative path joined to the
root; below an id root it is the chain of child ids from the root, each percent-encoded,
and each step must be a folder the provider listed under the step before (checked by the
book, which has the provider).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, unquote

from core.engine.playlists.views import OutsideFolder

MAX_SUB_PATH = 4096
# ACCOUNT:PATH, as opposed to a link: a short name and a colon before a path (not a URL's //),
# or an account id, a colon and anything
ACCOUNT_PATH = re.compile(r"[^\s:/]+:/(?!/).*|\d+:.+")


def looks_like_ref(text: str) -> bool:
    return ACCOUNT_PATH.fullmatch(text.strip()) is not None


def path_style(root: str) -> bool:
    return root.startswith("/")


def _refuse(sub_path: str, why: str) -> OutsideFolder:
    shown = sub_path if len(sub_path) <= 120 else sub_path[:120] + "…"
    return OutsideFolder(f"{shown!r} is not inside this dynamic folder: {why}")


def _fully_decoded(text: str) -> str:
    """Percent-decoding repeated until nothing changes (so %252e%252e shows as ..)."""
    for _ in range(4):
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    return text


def _looks_like_parent(segment: str) -> bool:
    return unicodedata.normalize("NFKC", segment).strip() in ("..", ".")


def clean_sub_path(root: str, sub_path: str) -> str:
    """`sub_path` as a clean relative path under a path root ("" = the root itself).

    Refused: a `..` that climbs above the root, an absolute path elsewhere, backslashes,
    control characters, and percent-encoded or look-alike (full-width, one-dot-leader)
    dots and slashes that a server might decode into either.
    """
    if len(sub_path) > MAX_SUB_PATH:
        raise _refuse(sub_path, "it is too long")
    if any(ord(c) < 32 or ord(c) == 127 for c in sub_path):
        raise _refuse(sub_path, "it contains control characters")
    decoded = _fully_decoded(sub_path)
    if decoded != sub_path:
        if "\\" in decoded or "\x00" in decoded or any(_looks_like_parent(s) for s in decoded.split("/")):
            raise _refuse(sub_path, "it hides a parent folder or a separator in percent-encoding")
        if decoded.count("/") != sub_path.count("/"):
            raise _refuse(sub_path, "it hides a separator in percent-encoding")
    if "\\" in sub_path:
        raise _refuse(sub_path, "backslashes are not separators here")
    base = root.rstrip("/")
    if sub_path.startswith("/"):
        if sub_path == base or sub_path.startswith(base + "/") or base == "":
            sub_path = sub_path[len(base) :]
        else:
            raise _refuse(sub_path, f"it is an absolute path outside {root}")
    kept: list[str] = []
    for segment in sub_path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if not kept:
                raise _refuse(sub_path, "it climbs above the folder with ..")
            kept.pop()
            continue
        if _looks_like_parent(segment):
            raise _refuse(sub_path, "a look-alike of . or .. is not a folder name")
        kept.append(segment)
    return "/".join(kept)


def full_path(root: str, clean: str) -> str:
    base = root.rstrip("/")
    return f"{base}/{clean}" if clean else (root or "/")


def id_chain(sub_path: str) -> list[str]:
    """The child ids of a sub-path under an id root (each percent-encoded in the path)."""
    if any(ord(c) < 32 for c in sub_path):
        raise _refuse(sub_path, "it contains control characters")
    return [unquote(step) for step in sub_path.split("/") if step]


def chain_sub_path(chain: list[str]) -> str:
    return "/".join(quote(step, safe="") for step in chain)


def child_name(key: str) -> str:
    """The last segment of a provider path ("/movies/Film.mkv" → "Film.mkv")."""
    return key.rstrip("/").rsplit("/", 1)[-1]
