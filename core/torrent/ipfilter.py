"""IP filter lists: eMule ipfilter.dat ("1.2.3.0 - 1.2.3.255 , 000 , name", access < 128
blocks) and P2P/PeerGuardian ("name:1.2.3.0-1.2.3.255"). Lines that cannot be read are
counted and skipped, so one bad line does not drop the whole list."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import TorrentError

Range = tuple[str, str]


@dataclass
class FilterList:
    ranges: list[Range]
    skipped: int = 0


def _addr(text: str) -> str:
    text = text.strip()
    if "." in text and ":" not in text:  # eMule pads: 001.002.003.004
        text = ".".join(str(int(p)) for p in text.split("."))
    return str(ipaddress.ip_address(text))


def _range(first: str, last: str) -> Range:
    a, b = ipaddress.ip_address(_addr(first)), ipaddress.ip_address(_addr(last))
    if a.version != b.version or a > b:  # type: ignore[operator]
        raise ValueError("bad range")
    return str(a), str(b)


def parse_lines(lines: Any) -> FilterList:
    out = FilterList([])
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith(("#", "//")):
            continue
        try:
            if "," in line:  # eMule: range , access , description
                fields = [f.strip() for f in line.split(",")]
                first, _, last = fields[0].partition("-")
                access = int(fields[1]) if len(fields) > 1 and fields[1] else 0
                if access >= 128:
                    continue  # allowed by the list
                out.ranges.append(_range(first, last or first))
            else:  # P2P: description:first-last (the description may hold colons)
                span = line.rpartition(":")[2] if ":" in line else line
                first, _, last = span.partition("-")
                out.ranges.append(_range(first, last or first))
        except (ValueError, IndexError):
            out.skipped += 1
    return out


def parse_file(path: Path) -> FilterList:
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            result = parse_lines(f)
    except OSError as exc:
        raise TorrentError(f"cannot read the IP filter {path}: {exc.strerror or exc}") from None
    if not result.ranges and result.skipped:
        raise TorrentError(f"{path} is not an eMule .dat or P2P IP filter list ({result.skipped} lines unreadable)")
    return result


def to_libtorrent(ranges: list[Range]) -> Any:
    from core.torrent.lt import load

    f = load().ip_filter()
    for first, last in ranges:
        f.add_rule(first, last, 1)  # 1 = blocked
    return f
