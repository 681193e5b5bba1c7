"""Hand-written protobuf encoding of Bilibili's DmSegMobileReply, the danmaku segment format.

message DanmakuElem { int64 id = 1; int32 progress = 2 (ms); int32 mode = 3; int32 fontsize = 4;
  uint32 color = 5; string midHash = 6; string content = 7; int64 ctime = 8; int32 weight = 9;
  int32 pool = 11; string idStr = 12; }
message DmSegMobileReply { repeated DanmakuElem elems = 1; }
"""

from __future__ import annotations

from dataclasses import dataclass


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        low, value = value & 0x7F, value >> 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def _number(field: int, value: int) -> bytes:
    return _varint(field << 3) + _varint(value)


def _text(field: int, value: str) -> bytes:
    data = value.encode()
    return _varint(field << 3 | 2) + _varint(len(data)) + data


@dataclass(frozen=True)
class Comment:
    id: int
    progress_ms: int
    content: str
    mode: int = 1  # 1 scroll, 4 bottom, 5 top
    fontsize: int = 25
    color: int = 0xFFFFFF

    def encode(self) -> bytes:
        return b"".join(
            [
                _number(1, self.id),
                _number(2, self.progress_ms),
                _number(3, self.mode),
                _number(4, self.fontsize),
                _number(5, self.color),
                _text(6, "6c1f6d9a"),
                _text(7, self.content),
                _number(8, 1_700_000_000 + self.id),
                _number(9, 10),
                _number(11, 0),
                _text(12, str(self.id)),
            ]
        )


def segment(comments: list[Comment]) -> bytes:
    """One DmSegMobileReply holding `comments`."""
    out = bytearray()
    for comment in comments:
        body = comment.encode()
        out += _varint(1 << 3 | 2) + _varint(len(body)) + body
    return bytes(out)
