"""Danmaku encodings: the protobuf segment (`seg.so`) and the deflated XML (`list.so`).

The protobuf is written by hand in the wire format of
`DmSegMobileReply { repeated DanmakuElem elems = 1; }` with
`DanmakuElem { int64 id = 1; int32 progress = 2; int32 mode = 3; int32 fontsize = 4;
uint32 color = 5; string midHash = 6; string content = 7; int64 ctime = 8; int32 weight = 9;
int32 pool = 11; string idStr = 12; int32 attr = 13; }`. Zero-valued scalars are left out,
as proto3 encoders do.
"""

from __future__ import annotations

import zlib
from xml.sax.saxutils import escape, quoteattr

from tests.fakes.bilibili.world import Danmaku

SEGMENT_MS = 360_000


def _varint(value: int) -> bytes:
    if value < 0:
        value += 1 << 64  # proto int32/int64 negatives are ten-byte two's complement
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _varint_field(number: int, value: int) -> bytes:
    return _varint(number << 3) + _varint(value) if value else b""


def _bytes_field(number: int, value: bytes) -> bytes:
    return _varint((number << 3) | 2) + _varint(len(value)) + value if value else b""


def _element(comment: Danmaku) -> bytes:
    return b"".join(
        (
            _varint_field(1, comment.dmid),
            _varint_field(2, comment.progress_ms),
            _varint_field(3, comment.mode),
            _varint_field(4, comment.fontsize),
            _varint_field(5, comment.color),
            _bytes_field(6, comment.mid_hash.encode()),
            _bytes_field(7, comment.content.encode()),
            _varint_field(8, comment.ctime),
            _varint_field(9, comment.weight),
            _varint_field(11, comment.pool),
            _bytes_field(12, str(comment.dmid).encode()),
            _varint_field(13, comment.attr),
        )
    )


def segment_protobuf(comments: list[Danmaku], segment_index: int) -> bytes:
    """Segment i (1-based) covers [360(i-1), 360i) seconds."""
    start = (segment_index - 1) * SEGMENT_MS
    in_segment = sorted(
        (comment for comment in comments if start <= comment.progress_ms < start + SEGMENT_MS),
        key=lambda comment: comment.progress_ms,
    )
    return b"".join(_bytes_field(1, _element(comment)) for comment in in_segment)


def deflated_xml(cid: int, comments: list[Danmaku]) -> bytes:
    """`list.so` body: raw DEFLATE (no zlib header) of the classic XML document."""
    rows = [
        "<d p={}>{}</d>".format(
            quoteattr(
                f"{comment.progress_ms / 1000:.5f},{comment.mode},{comment.fontsize},{comment.color},"
                f"{comment.ctime},{comment.pool},{comment.mid_hash},{comment.dmid},{comment.weight}"
            ),
            escape(comment.content),
        )
        for comment in sorted(comments, key=lambda comment: comment.progress_ms)
    ]
    document = (
        '<?xml version="1.0" encoding="UTF-8"?><i><chatserver>chat.bilibili.com</chatserver>'
        f"<chatid>{cid}</chatid><mission>0</mission><maxlimit>1500</maxlimit><state>0</state>"
        f"<real_name>0</real_name><source>e-r</source>{''.join(rows)}</i>"
    )
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(document.encode()) + compressor.flush()
