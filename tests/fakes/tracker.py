"""A tiny HTTP BitTorrent tracker (BEP 3 + compact peers, BEP 23) on 127.0.0.1.

    python -m tests.fakes.tracker [HOST]    → prints `PORT <n>`, serves until stdin closes

Every announce registers the peer (its address and `port`) under the info hash and answers
with the other peers. `GET /peers` lists them as JSON (for tests to wait on).
"""

from __future__ import annotations

import json
import socket
import struct
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def bencode(value: object) -> bytes:
    if isinstance(value, int):
        return b"i%de" % value
    if isinstance(value, bytes):
        return b"%d:%s" % (len(value), value)
    if isinstance(value, str):
        return bencode(value.encode())
    if isinstance(value, list):
        return b"l" + b"".join(bencode(v) for v in value) + b"e"
    if isinstance(value, dict):
        return b"d" + b"".join(bencode(k) + bencode(v) for k, v in sorted(value.items())) + b"e"
    raise TypeError(type(value))


class Swarms:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.peers: dict[bytes, dict[tuple[str, int], bool]] = {}  # info hash → peer → seeding

    def announce(self, info_hash: bytes, peer: tuple[str, int], event: str, left: int) -> list[tuple[str, int]]:
        with self.lock:
            swarm = self.peers.setdefault(info_hash, {})
            if event == "stopped":
                swarm.pop(peer, None)
            else:
                swarm[peer] = left == 0
            return [p for p in swarm if p != peer]


def make_handler(swarms: Swarms) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            url = urllib.parse.urlsplit(self.path)
            if url.path == "/peers":
                with swarms.lock:
                    body = json.dumps({k.hex(): [f"{h}:{p}" for h, p in v] for k, v in swarms.peers.items()})
                return self._send(body.encode(), "application/json")
            if url.path != "/announce":
                return self._send(b"not found", "text/plain", 404)
            query: dict[bytes, list[bytes]] = {}
            for pair in url.query.split("&"):  # info_hash is raw bytes, percent-encoded
                key, _, value = pair.partition("=")
                query.setdefault(urllib.parse.unquote_to_bytes(key), []).append(urllib.parse.unquote_to_bytes(value))
            info_hash = query.get(b"info_hash", [b""])[0]
            if len(info_hash) != 20:
                return self._send(bencode({"failure reason": "bad info_hash"}))
            port = int(query.get(b"port", [b"0"])[0])
            event = query.get(b"event", [b""])[0].decode()
            left = int(query.get(b"left", [b"1"])[0] or 1)
            others = swarms.announce(info_hash, (self.client_address[0], port), event, left)
            compact = b"".join(socket.inet_aton(h) + struct.pack(">H", p) for h, p in others)
            self._send(bencode({"interval": 5, "min interval": 1, "peers": compact}))

        def _send(self, body: bytes, kind: str = "text/plain", status: int = 200) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def serve(host: str = "127.0.0.1") -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, 0), make_handler(Swarms()))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


if __name__ == "__main__":
    srv = serve(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1")  # another address: for clients that skip 127/8
    print(f"PORT {srv.server_address[1]}", flush=True)
    sys.stdin.read()
    srv.shutdown()
