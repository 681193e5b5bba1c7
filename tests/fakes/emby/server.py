"""The fake Emby/Jellyfin HTTP server: routes, JSON shapes, statuses and what it recorded.

Runs on 127.0.0.1 in a thread of the test process (`FakeMediaServer` is a context manager),
or alone with `python -m tests.fakes.emby --flavour jellyfin-12 --media-dir DIR`. Tests read
and change its state directly: `server.world` (the library), `server.reports` (playback
reports received), `server.requests` (every request line), `server.logins`.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.parse
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.fakes.emby import world as world_module
from tests.fakes.emby.auth import AuthRules
from tests.fakes.emby.media import Media

FLAVOURS = {
    "emby": ("4.8.10.0", None),
    "jellyfin-10.10": ("10.10.7", "Jellyfin Server"),
    "jellyfin-10.11": ("10.11.0", "Jellyfin Server"),
    "jellyfin-12": ("12.0.0", "Jellyfin Server"),
}
# Fields a listing includes only when `Fields=` asks for them (a single item has them all).
OPTIONAL_FIELDS = {"Overview", "Path", "MediaSources", "MediaStreams", "Genres", "Tags", "People", "ProviderIds",
                   "DateCreated", "Etag", "ChildCount", "RecursiveItemCount", "ParentId", "Studios"}  # fmt: skip
PLAYED_AT = 0.9  # stopped past 90 % of the runtime: played


@dataclass
class Recorded:
    method: str
    path: str  # without the base path
    query: dict[str, str]
    headers: dict[str, str]
    auth: str = ""  # how the token came ("Authorization", "api_key"…), or why none was accepted


@dataclass
class Report:
    route: str  # "start", "progress", "stopped"
    body: dict[str, Any]
    device_id: str


@dataclass
class Knobs:
    direct_play: bool = True  # False: only the transcode is offered
    fail_status: int = 0  # answer every API call with this status (after login)


class FakeMediaServer:
    def __init__(self, media: Media, flavour: str = "jellyfin-10.11", base_path: str = "") -> None:
        if flavour not in FLAVOURS:
            raise ValueError(f"unknown flavour {flavour!r}: {', '.join(FLAVOURS)}")
        self.media = media
        self.flavour = flavour
        self.version, self.product = FLAVOURS[flavour]
        self.base_path = base_path.rstrip("/")
        self.rules = AuthRules(flavour)
        self.server_id = uuid.uuid5(uuid.NAMESPACE_URL, flavour).hex
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.world = world_module.build(emby_ids=self.flavour == "emby")
        self.tokens: dict[str, tuple[str, str]] = {}  # token → (user id, device id)
        self.logins: list[dict[str, str]] = []  # the client fields of each login
        self.reports: list[Report] = []
        self.ended_encodings: list[str] = []  # PlaySessionIds whose transcode a client ended
        self.requests: list[Recorded] = []
        self.knobs = Knobs()

    @property
    def is_emby(self) -> bool:
        return self.flavour == "emby"

    @property
    def url(self) -> str:
        """What a person types: the host and port (plus a Jellyfin base path, if any)."""
        host, port = self._http.server_address[:2]
        return f"http://{host!s}:{port}{self.base_path}"

    def __enter__(self) -> FakeMediaServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.shutdown()
        self._http.server_close()

    def seen(self, path_part: str) -> list[Recorded]:
        return [r for r in self.requests if path_part.lower() in r.path.lower()]

    # ---- item JSON -----------------------------------------------------------------------

    def media_source_id(self, item_id: str) -> str:
        return ("mediasource_" + item_id) if self.is_emby else item_id

    def media_streams(self, item: dict[str, Any]) -> list[dict[str, Any]]:
        streams: list[dict[str, Any]] = [
            {"Index": 0, "Type": "Video", "Codec": "h264", "Width": 160, "Height": 90, "IsDefault": True},
            {"Index": 1, "Type": "Audio", "Codec": "aac", "Language": "eng", "Channels": 1, "IsDefault": True},
        ]
        if item.get("_subtitles"):
            text = {"IsExternal": True, "IsTextSubtitleStream": True, "SupportsExternalStream": True,
                    "DeliveryMethod": "External"}  # fmt: skip
            streams += [
                {"Index": 2, "Type": "Subtitle", "Codec": "subrip", "Language": "chi",
                 "DisplayTitle": "Chinese - SUBRIP", "Path": "/media/Film One.chi.srt", **text},
                {"Index": 3, "Type": "Subtitle", "Codec": "ass", "Language": "eng", "DisplayTitle": "English - ASS",
                 "Path": "/media/Film One.eng.ass", **text},
                {"Index": 4, "Type": "Subtitle", "Codec": "PGSSUB", "Language": "jpn", "DisplayTitle": "Japanese - PGS",
                 "IsExternal": False, "IsTextSubtitleStream": False, "SupportsExternalStream": False},
            ]  # fmt: skip
        return streams

    def media_source(self, item: dict[str, Any]) -> dict[str, Any]:
        return {
            "Id": self.media_source_id(item["Id"]), "Name": item["Name"], "Path": item.get("Path", ""),
            "Protocol": "File", "Type": "Default", "Container": "mp4", "Size": len(self.media.mp4),
            "Bitrate": 300_000, "RunTimeTicks": item.get("RunTimeTicks"), "IsRemote": False,
            "SupportsDirectPlay": self.knobs.direct_play, "SupportsDirectStream": self.knobs.direct_play,
            "SupportsTranscoding": True, "RequiredHttpHeaders": {}, "MediaStreams": self.media_streams(item),
            "DefaultAudioStreamIndex": 1,
        }  # fmt: skip

    def dto(self, item: dict[str, Any], fields: set[str] | None) -> dict[str, Any]:
        """A BaseItemDto: always-present fields, plus the optional ones asked for (None: all)."""
        out = {key: value for key, value in item.items() if not key.startswith("_")}
        out["ServerId"] = self.server_id
        if item["Id"] in self.world.user_data:
            out["UserData"] = dict(self.world.user_data[item["Id"]])
        if item.get("Type") == "Series":
            episodes = [i for i in self.world.descendants(item["Id"]) if i.get("Type") == "Episode"]
            out["RecursiveItemCount"] = len(episodes)
            out["ChildCount"] = len(self.world.children(item["Id"]))
        elif item.get("IsFolder"):
            out["ChildCount"] = len(self.world.children(item["Id"]))
        if item.get("MediaType") == "Video":
            out["MediaSources"] = [self.media_source(item)]
            out["MediaStreams"] = self.media_streams(item)
        if fields is not None:
            for name in OPTIONAL_FIELDS - fields:
                out.pop(name, None)
        return out

    def image_tag_ok(self, item_id: str) -> bool:
        person_ids = {self.world.id("person:director"), self.world.id("person:actor")}
        return item_id in self.world.items or item_id in person_ids or item_id == self.world.user_id


def _q(query: dict[str, str], name: str, default: str = "") -> str:
    """Query names are case-insensitive on both servers."""
    for key, value in query.items():
        if key.lower() == name.lower():
            return value
    return default


def _fields(query: dict[str, str]) -> set[str]:
    return {f.strip() for f in _q(query, "Fields").split(",") if f.strip()}


def _handler(server: FakeMediaServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
            pass

        def do_GET(self) -> None:
            self._route("GET")

        def do_HEAD(self) -> None:
            self._route("HEAD")

        def do_POST(self) -> None:
            self._route("POST")

        def do_DELETE(self) -> None:
            self._route("DELETE")

        # ---- answers ---------------------------------------------------------------------

        def _send(self, status: int, body: bytes = b"", content_type: str = "application/json",
                  extra: dict[str, str] | None = None) -> None:  # fmt: skip
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _json(self, payload: Any, status: int = 200) -> None:
            self._send(status, json.dumps(payload).encode(), "application/json; charset=utf-8")

        def _unauthorized(self) -> None:
            body = b"Access token is invalid or expired." if server.is_emby else b""
            self._send(401, body, "text/plain")

        def _bytes(self, data: bytes, content_type: str) -> None:
            start, end, status = 0, len(data) - 1, 200
            wanted = self.headers.get("Range", "")
            if wanted:
                match = re.fullmatch(r"bytes=(\d*)-(\d*)", wanted.strip())
                if match is None or (not match.group(1) and not match.group(2)):
                    self._send(416, extra={"Content-Range": f"bytes */{len(data)}"})
                    return
                if match.group(1):
                    start = int(match.group(1))
                    end = min(int(match.group(2)), end) if match.group(2) else end
                else:
                    start = max(0, len(data) - int(match.group(2)))
                if start >= len(data) or start > end:
                    self._send(416, extra={"Content-Range": f"bytes */{len(data)}"})
                    return
                status = 206
            extra = {"Accept-Ranges": "bytes"}
            if status == 206:
                extra["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
            self._send(status, data[start : end + 1], content_type, extra)

        # ---- routing ---------------------------------------------------------------------

        def _route(self, method: str) -> None:
            parts = urllib.parse.urlsplit(self.path)
            path = urllib.parse.unquote(parts.path)
            query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
            if server.base_path:
                if not path.startswith(server.base_path + "/"):
                    self._send(404, b"", "text/plain")
                    return
                path = path[len(server.base_path) :]
            if server.is_emby and path.lower().startswith("/emby/"):
                path = path[len("/emby") :]
            length = int(self.headers.get("Content-Length") or 0)
            raw_body = self.rfile.read(length) if length else b""
            headers = {key: value for key, value in self.headers.items()}
            token, how = server.rules.token(headers, query)
            record = Recorded(method, path, query, headers, how)
            with server.lock:
                server.requests.append(record)
            lowered = path.lower().rstrip("/")
            try:
                body = json.loads(raw_body) if raw_body else {}
            except ValueError:
                self._send(400, b"bad json", "text/plain")
                return
            # no auth needed
            if lowered == "/system/info/public" and method == "GET":
                return self._public_info()
            if lowered == "/users/authenticatebyname" and method == "POST":
                return self._login(headers, body)
            if re.fullmatch(r"/items/[^/]+/images/primary", lowered) and method in ("GET", "HEAD"):
                return self._bytes(server.media.jpeg, "image/jpeg")
            # everything else needs a token this server accepts
            owner = server.tokens.get(token) if token else None
            if owner is None:
                return self._unauthorized()
            record.auth = how
            if server.knobs.fail_status:
                return self._send(server.knobs.fail_status, b"knob", "text/plain")
            user_id, device_id = owner
            self._authorized(method, lowered, path, query, body, user_id, device_id)

        def _public_info(self) -> None:
            info: dict[str, Any] = {"LocalAddress": server.url, "ServerName": world_module.SERVER_NAME,
                                    "Version": server.version, "Id": server.server_id}  # fmt: skip
            if server.product:
                info |= {"ProductName": server.product, "OperatingSystem": "Linux", "StartupWizardCompleted": True}
            else:
                info |= {"LocalAddresses": [server.url], "WanAddress": "", "RemoteAddresses": []}
            self._json(info)

        def _login(self, headers: dict[str, str], body: dict[str, Any]) -> None:
            fields = server.rules.client_fields(headers)
            if not server.is_emby and not all(fields.get(k) for k in ("Client", "Device", "DeviceId", "Version")):
                return self._send(400, b"Client, Device, DeviceId and Version are required", "text/plain")
            if body.get("Username") != world_module.USER or body.get("Pw") != world_module.PASSWORD:
                return self._send(401, b"Error processing request.", "text/plain")
            device_id = fields.get("DeviceId", "")
            with server.lock:
                if not server.is_emby:  # a new login from a device replaces that device's token
                    for old in [t for t, (_, d) in server.tokens.items() if d == device_id]:
                        del server.tokens[old]
                token = uuid.uuid4().hex
                server.tokens[token] = (server.world.user_id, device_id)
                server.logins.append(fields)
            user = self._user()
            self._json({"User": user, "SessionInfo": {"DeviceId": device_id, "UserId": user["Id"]},
                        "AccessToken": token, "ServerId": server.server_id})  # fmt: skip

        def _user(self) -> dict[str, Any]:
            return {"Id": server.world.user_id, "Name": world_module.USER, "ServerId": server.server_id,
                    "HasPassword": True, "PrimaryImageTag": "ualice",
                    "Policy": {"IsAdministrator": False, "EnableMediaPlayback": True},
                    "Configuration": {}}  # fmt: skip

        def _authorized(self, method: str, lowered: str, path: str, query: dict[str, str], body: dict[str, Any],
                        user_id: str, device_id: str) -> None:  # fmt: skip
            world = server.world
            segments = path.strip("/").split("/")
            low = [s.lower() for s in segments]
            if method == "GET" and low == ["users", user_id.lower()]:
                return self._json(self._user())
            if low[:1] == ["users"] and len(low) >= 2 and low[1] != user_id.lower():
                return self._send(403, b"", "text/plain")
            if method == "GET" and low[2:] == ["views"]:
                views = [server.dto(i, set()) for i in world.items.values() if i["Type"] == "CollectionFolder"]
                return self._json(self._page(views, 0, None))
            if method == "GET" and (low[2:] == ["items"] or low == ["items"]):
                return self._items(query)
            if method == "GET" and low[:1] == ["users"] and len(low) == 4 and low[2] == "items":
                item = world.items.get(segments[3])
                return self._json(server.dto(item, None)) if item else self._send(404, b"", "text/plain")
            if method == "GET" and low[:1] == ["shows"] and len(low) == 3:
                return self._show(segments[1], low[2], query)
            if low[:1] == ["items"] and low[2:] == ["playbackinfo"] and method in ("GET", "POST"):
                return self._playback_info(segments[1], query, body, device_id)
            if low[:1] == ["videos"] and len(low) == 3 and re.fullmatch(r"stream(\.\w+)?", low[2]):
                item = world.items.get(segments[1])
                return self._bytes(server.media.mp4, "video/mp4") if item else self._send(404)
            if low[:1] == ["videos"] and low[2:] == ["master.m3u8"]:
                playlist = ("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"
                            f"#EXTINF:2.0,\nhls/0.ts?{urllib.parse.urlencode(query)}\n#EXT-X-ENDLIST\n")  # fmt: skip
                return self._send(200, playlist.encode(), "application/vnd.apple.mpegurl")
            if low[:1] == ["videos"] and low[2:] == ["hls", "0.ts"]:
                return self._bytes(server.media.ts, "video/mp2t")
            if low[:1] == ["videos"] and len(low) == 6 and low[3] == "subtitles":
                return self._subtitle(segments[1], int(segments[4]), low[5].rsplit(".", 1)[-1])
            if method == "POST" and low[:2] == ["sessions", "playing"]:
                return self._report(low[2] if len(low) > 2 else "start", body, device_id)
            encodings = (method == "DELETE" and low == ["videos", "activeencodings"]) or (
                server.is_emby and method == "POST" and low == ["videos", "activeencodings", "delete"])  # fmt: skip
            if encodings:
                with server.lock:
                    server.ended_encodings.append(_q(query, "PlaySessionId"))
                return self._send(204)
            if method == "POST" and low == ["sessions", "logout"]:
                with server.lock:
                    for token, owner in list(server.tokens.items()):
                        if owner[1] == device_id:
                            del server.tokens[token]
                return self._send(204)
            self._send(404, b"", "text/plain")

        def _page(self, rows: list[dict[str, Any]], start: int, limit: int | None) -> dict[str, Any]:
            chosen = rows[start : None if limit is None else start + limit]
            page: dict[str, Any] = {"Items": chosen, "TotalRecordCount": len(rows)}
            if not server.is_emby:  # Emby leaves StartIndex out
                page["StartIndex"] = start
            return page

        def _items(self, query: dict[str, str]) -> None:
            world = server.world
            parent = _q(query, "ParentId")
            recursive = _q(query, "Recursive").lower() == "true"
            if parent:
                if parent not in world.items:
                    return self._send(404, b"", "text/plain")
                rows = world.descendants(parent) if recursive else world.children(parent)
            elif recursive:
                rows = [i for i in world.items.values() if i["Type"] != "CollectionFolder"]
            else:
                rows = [i for i in world.items.values() if i["Type"] == "CollectionFolder"]
            types = {t.strip().lower() for t in _q(query, "IncludeItemTypes").split(",") if t.strip()}
            if types:
                rows = [i for i in rows if i["Type"].lower() in types]
            term = _q(query, "SearchTerm").lower()
            if term:
                rows = [i for i in rows if term in i["Name"].lower()]
            if "datecreated" in _q(query, "SortBy").lower():
                rows.sort(key=lambda i: (i.get("DateCreated", ""), i["Name"]))
            else:
                rows.sort(key=lambda i: i["Name"])
            start = int(_q(query, "StartIndex") or 0)
            limit = int(_q(query, "Limit")) if _q(query, "Limit") else None
            fields = _fields(query)
            self._json(self._page([server.dto(i, fields) for i in rows], start, limit))

        def _show(self, series_id: str, what: str, query: dict[str, str]) -> None:
            world = server.world
            if series_id not in world.items:
                return self._send(404, b"", "text/plain")
            fields = _fields(query)
            if what == "seasons":
                rows = sorted(world.children(series_id), key=lambda i: i.get("IndexNumber", 0))
                return self._json(self._page([server.dto(i, fields) for i in rows], 0, None))
            if what == "episodes":
                episodes = [i for i in world.descendants(series_id) if i["Type"] == "Episode"]
                season = _q(query, "SeasonId")
                if season:
                    episodes = [i for i in episodes if i.get("SeasonId") == season]
                episodes.sort(key=lambda i: (i.get("ParentIndexNumber", 0), i.get("IndexNumber", 0)))
                start = int(_q(query, "StartIndex") or 0)
                limit = int(_q(query, "Limit")) if _q(query, "Limit") else None
                return self._json(self._page([server.dto(i, fields) for i in episodes], start, limit))
            self._send(404, b"", "text/plain")

        def _playback_info(self, item_id: str, query: dict[str, str], body: dict[str, Any], device_id: str) -> None:
            item = server.world.items.get(item_id)
            if item is None:
                return self._send(404, b"", "text/plain")
            if item.get("MediaType") != "Video":
                return self._json({"MediaSources": [], "ErrorCode": "NoCompatibleStream"})
            play_session = uuid.uuid4().hex
            source = server.media_source(item)
            msid = source["Id"]
            token = next(t for t, owner in server.tokens.items() if owner[1] == device_id)
            key = "api_key" if server.is_emby else "ApiKey"
            common = {"DeviceId": device_id, "MediaSourceId": msid, "PlaySessionId": play_session}
            transcode = {**common, "VideoCodec": "h264", "AudioCodec": "aac", "VideoBitrate": 2_000_000,
                         "SegmentContainer": "ts", "TranscodeReasons": "ContainerNotSupported", key: token}  # fmt: skip
            prefix = "/emby" if server.is_emby else ""
            source["TranscodingUrl"] = f"{prefix}/videos/{item_id}/master.m3u8?{urllib.parse.urlencode(transcode)}"
            source["TranscodingSubProtocol"] = "hls"
            source["TranscodingContainer"] = "ts"
            if server.is_emby and source["SupportsDirectStream"]:
                direct = {**common, "Static": "true", key: token}
                source["DirectStreamUrl"] = f"/videos/{item_id}/stream.mp4?{urllib.parse.urlencode(direct)}"
            self._json({"MediaSources": [source], "PlaySessionId": play_session})

        def _subtitle(self, item_id: str, index: int, fmt: str) -> None:
            item = server.world.items.get(item_id)
            if item is None or not item.get("_subtitles") or index not in (2, 3):
                return self._send(404, b"", "text/plain")
            import pysubs2  # only the subtitle route converts

            source = pysubs2.SSAFile.from_string(server.media.srt if index == 2 else server.media.ass)
            wanted = {"srt": "srt", "ass": "ass", "ssa": "ssa", "vtt": "vtt"}.get(fmt)
            if wanted is None:
                return self._send(400, b"unknown subtitle format", "text/plain")
            text = source.to_string(wanted)
            self._send(200, text.encode("utf-8"), "text/plain; charset=utf-8")

        def _report(self, route: str, body: dict[str, Any], device_id: str) -> None:
            if route not in ("start", "progress", "stopped"):
                return self._send(404, b"", "text/plain")
            with server.lock:
                server.reports.append(Report(route, body, device_id))
                data = server.world.user_data.get(str(body.get("ItemId")))
                if route == "stopped" and data is not None:
                    item = server.world.items[str(body["ItemId"])]
                    position = int(body.get("PositionTicks") or 0)
                    if position >= PLAYED_AT * int(item.get("RunTimeTicks") or 1):
                        data.update(Played=True, PlaybackPositionTicks=0, PlayCount=data["PlayCount"] + 1)
                    else:
                        data["PlaybackPositionTicks"] = position
            self._send(204)

    return Handler
