"""The fake Alist's world: a file tree, users, tokens and the knobs tests turn.

Default tree (every file's bytes are real media or subtitles):

    /Movies/Clip.mp4  Clip.srt  Clip.zh.ass  Other.mp4  notes.txt
    /Movies/Extras/Bonus.mp4
    /Empty/                      (an empty folder: `content: null`)
    /Locked/Secret.mp4           (folder password "sesame")
    /Many/ep001.mp4 … ep120.mp4  (paging)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from tests.fakes.alist.media import AlistMedia

HASH_SALT = "-https://github.com/alist-org/alist"
USER = "alice"
PASSWORD = "wonderland"
FOLDER_PASSWORD = "sesame"
SIGN_KEY = b"fake-alist-site-token"
CST = timezone(timedelta(hours=8))

VIDEO_EXT = {"mp4", "mkv", "avi", "mov", "rmvb", "webm", "flv", "m3u8"}
AUDIO_EXT = {"mp3", "flac", "ogg", "m4a", "wav", "opus", "wma"}
TEXT_EXT = {"txt", "htm", "html", "xml", "java", "properties", "sql", "js", "md", "json", "conf", "ini", "vue",
            "php", "py", "bat", "gitignore", "yml", "go", "sh", "c", "cpp", "h", "hpp", "tsx", "vtt", "srt", "ass",
            "rs", "lrc"}  # fmt: skip
IMAGE_EXT = {"jpg", "tiff", "jpeg", "png", "gif", "bmp", "svg", "ico", "swf", "webp"}


def file_type(name: str, is_dir: bool) -> int:
    """Alist's type codes: 0 unknown, 1 folder, 2 video, 3 audio, 4 text, 5 image."""
    if is_dir:
        return 1
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    for code, known in ((2, VIDEO_EXT), (3, AUDIO_EXT), (4, TEXT_EXT), (5, IMAGE_EXT)):
        if ext in known:
            return code
    return 0


def hashed(password: str) -> str:
    return hashlib.sha256((password + HASH_SALT).encode()).hexdigest()


def sign(path: str) -> str:
    digest = hmac.new(SIGN_KEY, f"{path}:0".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode() + ":0"


@dataclass
class Node:
    name: str
    is_dir: bool
    data: bytes = b""
    modified: datetime = field(default_factory=lambda: datetime(2024, 5, 17, 13, 47, 55, 417491, tzinfo=CST))
    children: dict[str, Node] = field(default_factory=dict)
    password: str = ""  # folder ("meta") password

    def item(self, parent: str) -> dict[str, Any]:
        path = (parent.rstrip("/") + "/" + self.name) if self.name else "/"
        stamp = self.modified.isoformat()
        return {
            "name": self.name, "size": 0 if self.is_dir else len(self.data), "is_dir": self.is_dir,
            "modified": stamp, "created": stamp, "sign": "" if self.is_dir else sign(path), "thumb": "",
            "type": file_type(self.name, self.is_dir), "hashinfo": "null", "hash_info": None,
        }  # fmt: skip


def _dir(name: str, *children: Node, password: str = "") -> Node:
    return Node(name, True, children={c.name: c for c in children}, password=password)


def _file(name: str, data: bytes) -> Node:
    return Node(name, False, data)


@dataclass
class Knobs:
    flavour: str = "alist"  # "alist" or "openlist": how failures are worded
    guest: bool = False  # guest access (disabled by default, as on a real server)
    hash_login: bool = True  # /api/auth/login/hash exists (older servers lack it)
    search_index: bool = False  # a search index was built ("none" by default)
    rate: int = 0  # bytes per second for /d and /p downloads, 0 = unlimited


class FakeState:
    def __init__(self, base_url: str, media: AlistMedia) -> None:
        self.base_url = base_url
        self.media = media
        self.reset()

    def reset(self) -> None:
        m = self.media
        clip = m.clips["clip"]
        many = [_file(f"ep{n:03d}.mp4", clip) for n in range(1, 121)]
        self.root = _dir(
            "",
            _dir("Movies", _file("Clip.mp4", clip), _file("Clip.srt", m.srt), _file("Clip.zh.ass", m.ass),
                 _file("Other.mp4", clip), _file("notes.txt", b"not a video\n"),
                 _dir("Extras", _file("Bonus.mp4", clip))),
            _dir("Empty"),
            _dir("Locked", _file("Secret.mp4", clip), password=FOLDER_PASSWORD),
            _dir("Many", *many),
        )  # fmt: skip
        self.knobs = Knobs()
        self.tokens: set[str] = set()
        self.calls: dict[str, int] = {}
        self.logins = 0
        self.downloads: list[dict[str, str]] = []  # path, range, user-agent of each /d or /p request

    def restart(self) -> None:
        """A server restart: every token is forgotten (clients see "token is invalidated")."""
        self.tokens.clear()

    def new_token(self) -> str:
        token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + secrets.token_urlsafe(24)
        self.tokens.add(token)
        return token

    def find(self, path: str) -> Node | None:
        node = self.root
        for segment in [s for s in path.split("/") if s]:
            if not node.is_dir or segment not in node.children:
                return None
            node = node.children[segment]
        return node

    def meta_password(self, path: str) -> str:
        """The folder password that applies at `path` (set on it or on a folder above)."""
        node, found = self.root, self.root.password
        for segment in [s for s in path.split("/") if s]:
            node = node.children.get(segment) if node.is_dir else None  # type: ignore[assignment]
            if node is None:
                break
            found = node.password or found
        return found

    def put(self, path: str, media: str = "clip", text: str | None = None) -> None:
        """Create or replace a file (a newer modified time, as a real upload gives)."""
        *folders, name = [s for s in path.split("/") if s]
        node = self.root
        for segment in folders:
            node = node.children.setdefault(segment, _dir(segment))
        data = text.encode() if text is not None else self.media.clips[media]
        old = node.children.get(name)
        stamp = (old.modified if old else datetime(2024, 5, 17, tzinfo=CST)) + timedelta(hours=1)
        node.children[name] = Node(name, False, data, modified=stamp)

    def remove(self, path: str) -> None:
        *folders, name = [s for s in path.split("/") if s]
        parent = self.find("/" + "/".join(folders))
        if parent is not None:
            parent.children.pop(name, None)
