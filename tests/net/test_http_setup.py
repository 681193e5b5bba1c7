"""The HTTP layer honours proxy and CA settings: explicit options, the environment, and config.

Everything runs on 127.0.0.1: a plain origin server, a forward proxy that records the
absolute-form request line before relaying, and HTTPS servers whose certificates come from a
CA generated for the test.
"""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import json
import re
import ssl
import urllib.parse
from collections.abc import AsyncIterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from core.config import Config, load_config
from core.errors import ConfigError, TransientError
from core.net import NetOptions, make_client
from core.providers.bilibili import api
from core.providers.bilibili.credential import credential_from_env, credential_to_secret
from core.providers.bilibili.models import SourceKind, SourceRef
from core.providers.bilibili.provider import BilibiliProvider
from tests.fakes.bilibili import FakeBilibili

pytestmark = pytest.mark.timeout(15)

ENVIRONMENT_SETTINGS = (
    "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "all_proxy", "no_proxy",
    "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUEST_METHOD",
)  # fmt: skip
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "upgrade"}
# A port nothing listens on: a proxy there fails every request that tries to use it.
DEAD_PROXY = "http://127.0.0.1:9"
LOGIN_ENV = {"SYNCDECK_BILIBILI_COOKIE": FakeBilibili.COOKIE}


# --- servers --------------------------------------------------------------------------------


@dataclass
class SeenRequest:
    line: str  # "GET /path HTTP/1.1", or "GET http://host:port/path HTTP/1.1" at a proxy
    headers: dict[str, str]  # names in lower case
    body: bytes

    @property
    def method(self) -> str:
        return self.line.split(" ")[0]

    @property
    def target(self) -> str:
        return self.line.split(" ")[1]


async def read_request(reader: asyncio.StreamReader) -> SeenRequest | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
        return None  # the client gave up, e.g. after refusing our certificate
    line, *header_lines = head.decode("latin-1").split("\r\n")[:-2]
    headers = {}
    for header in header_lines:
        name, _, value = header.partition(":")
        headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return SeenRequest(line, headers, body)


class LoopbackServer:
    """HTTP/1.1 on 127.0.0.1 (HTTPS with `tls`): one request per connection, all of them recorded."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.tls = tls
        self.requests: list[SeenRequest] = []
        self._server: asyncio.Server | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    @property
    def lines(self) -> list[str]:
        return [request.line for request in self.requests]

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=self.tls)
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await read_request(reader)
            if request is None:
                return
            self.requests.append(request)
            writer.write(await self.respond(request))
            await writer.drain()
        finally:
            writer.close()
            with suppress(ConnectionError, ssl.SSLError):
                await writer.wait_closed()

    async def respond(self, request: SeenRequest) -> bytes:
        raise NotImplementedError


class Origin(LoopbackServer):
    """Answers every request with the target it received, so a test can see what arrived."""

    async def respond(self, request: SeenRequest) -> bytes:
        body = f"origin saw {request.target}".encode()
        return b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n" + (
            f"Content-Length: {len(body)}\r\n\r\n".encode() + body
        )


class Relay(LoopbackServer):
    """A forward proxy: an absolute-form target is fetched from its own host.

    With `upstream` it is a front instead (e.g. TLS in front of the plain fake Bilibili):
    origin-form targets go to `upstream`. Either way the reply is passed back with
    `Connection: close`, since this server answers one request per connection.
    """

    def __init__(self, tls: ssl.SSLContext | None = None, upstream: str = "") -> None:
        super().__init__(tls)
        self.upstream = upstream

    async def respond(self, request: SeenRequest) -> bytes:
        absolute = "://" in request.target
        parts = urllib.parse.urlsplit(request.target if absolute else self.upstream + request.target)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = {name: value for name, value in request.headers.items() if name not in HOP_BY_HOP}
        headers.update(host=parts.netloc, connection="close")
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            head = f"{request.method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
            writer.write(head.encode("latin-1") + b"\r\n" + request.body)
            reply = await reader.read()  # the upstream closes after one answer
        finally:
            writer.close()
        reply_head, _, reply_body = reply.partition(b"\r\n\r\n")
        status_line, *reply_headers = reply_head.split(b"\r\n")
        kept = [header for header in reply_headers if not header.lower().startswith(b"connection:")]
        return b"\r\n".join([status_line, *kept, b"Connection: close"]) + b"\r\n\r\n" + reply_body


class Tunnel(LoopbackServer):
    """A proxy that only does CONNECT: it joins the client to the target and copies bytes both ways."""

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await read_request(reader)
        if request is None or request.method != "CONNECT":
            writer.close()
            return
        self.requests.append(request)
        host, _, port = request.target.rpartition(":")
        upstream_reader, upstream_writer = await asyncio.open_connection(host, int(port))
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while chunk := await source.read(65536):
                    sink.write(chunk)
                    await sink.drain()
            except ConnectionError:
                pass
            finally:
                sink.close()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))


# --- certificates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Pki:
    ca_file: Path
    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


def _certificate(
    subject: x509.Name, issuer: x509.Name, public_key: ec.EllipticCurvePublicKey, signer: ec.EllipticCurvePrivateKey
) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), critical=False)
    )


def make_pki(folder: Path) -> Pki:
    """A CA and a server certificate for 127.0.0.1 signed by it, as PEM files."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "SyncDeck Test CA")])
    ca_cert = (
        _certificate(ca_name, ca_name, ca_key.public_key(), ca_key)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )  # fmt: skip
        .sign(ca_key, hashes.SHA256())
    )
    server_key = ec.generate_private_key(ec.SECP256R1())
    server_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    server_cert = (
        _certificate(server_name, ca_name, server_key.public_key(), ca_key)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pki = Pki(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    pki.ca_file.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    pki.cert_file.write_bytes(server_cert.public_bytes(serialization.Encoding.PEM))
    pki.key_file.write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return pki


Server = TypeVar("Server", bound=LoopbackServer)


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever proxy or CA the machine has configured must not decide these tests."""
    for name in ENVIRONMENT_SETTINGS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


async def _running(server: Server) -> AsyncIterator[Server]:
    await server.start()
    try:
        yield server
    finally:
        await server.close()


@pytest.fixture
async def origin() -> AsyncIterator[Origin]:
    async for server in _running(Origin()):
        yield server


@pytest.fixture
async def proxy() -> AsyncIterator[Relay]:
    async for server in _running(Relay()):
        yield server


@pytest.fixture
async def tls_origin(pki: Pki) -> AsyncIterator[Origin]:
    async for server in _running(Origin(pki.server_context())):
        yield server


async def fetch(options: NetOptions, url: str) -> httpx.Response:
    async with make_client(options) as client:
        return await client.get(url)


def certificate_refused(error: BaseException) -> bool:
    """True when `error` was caused, somewhere down its chain, by a failed certificate check."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


# --- proxies --------------------------------------------------------------------------------


async def test_explicit_proxy_carries_requests_in_absolute_form(origin: Origin, proxy: Relay) -> None:
    response = await fetch(NetOptions(proxy=proxy.url), f"{origin.url}/list?pn=2")

    assert response.status_code == 200 and response.text == "origin saw /list?pn=2"
    assert proxy.lines == [f"GET {origin.url}/list?pn=2 HTTP/1.1"]
    assert origin.lines == ["GET /list?pn=2 HTTP/1.1"]  # the proxy, not the client, reached the origin


async def test_explicit_proxy_wins_over_the_environment(
    origin: Origin, proxy: Relay, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", DEAD_PROXY)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")

    response = await fetch(NetOptions(proxy=proxy.url), f"{origin.url}/explicit")

    assert response.text == "origin saw /explicit"
    assert proxy.lines == [f"GET {origin.url}/explicit HTTP/1.1"]


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "ALL_PROXY", "http_proxy"])
async def test_environment_proxy_is_used_when_the_environment_is_trusted(
    variable: str, origin: Origin, proxy: Relay, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, proxy.url)

    response = await fetch(NetOptions(), f"{origin.url}/from-env")

    assert response.text == "origin saw /from-env"
    assert proxy.lines == [f"GET {origin.url}/from-env HTTP/1.1"]

    await fetch(NetOptions(trust_env=False), f"{origin.url}/direct")
    assert len(proxy.requests) == 1, "trust_env=False ignores the proxy variables"
    assert origin.lines[-1] == "GET /direct HTTP/1.1"


@pytest.mark.parametrize("no_proxy", ["127.0.0.1", "localhost,127.0.0.1", "*"])
async def test_no_proxy_bypasses_the_environment_proxy(
    no_proxy: str, origin: Origin, proxy: Relay, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", no_proxy)

    response = await fetch(NetOptions(), f"{origin.url}/bypass")

    assert response.text == "origin saw /bypass"
    assert proxy.requests == []
    assert origin.lines == ["GET /bypass HTTP/1.1"]


async def test_an_unreachable_proxy_fails_instead_of_going_direct(origin: Origin) -> None:
    with pytest.raises((httpx.ProxyError, httpx.ConnectError)):
        await fetch(NetOptions(proxy=DEAD_PROXY), f"{origin.url}/never")
    assert origin.requests == []


# --- certificate authorities ----------------------------------------------------------------


async def test_custom_ca_bundle_lets_the_client_trust_the_server(tls_origin: Origin, pki: Pki) -> None:
    response = await fetch(NetOptions(ca_bundle=str(pki.ca_file)), f"{tls_origin.url}/secure")

    assert response.status_code == 200 and response.text == "origin saw /secure"


async def test_without_the_ca_the_server_certificate_is_refused(tls_origin: Origin) -> None:
    with pytest.raises(httpx.ConnectError) as refused:
        await fetch(NetOptions(), f"{tls_origin.url}/secure")

    assert certificate_refused(refused.value), repr(refused.value)
    assert tls_origin.requests == []


async def test_ssl_cert_file_in_the_environment_is_trusted(
    tls_origin: Origin, pki: Pki, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(pki.ca_file))

    response = await fetch(NetOptions(), f"{tls_origin.url}/from-env")
    assert response.text == "origin saw /from-env"

    with pytest.raises(httpx.ConnectError) as refused:
        await fetch(NetOptions(trust_env=False), f"{tls_origin.url}/ignored")
    assert certificate_refused(refused.value), "trust_env=False ignores SSL_CERT_FILE"


def test_a_missing_ca_bundle_is_reported_with_its_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "corporate" / "ca.pem"
    with pytest.raises(ConfigError, match=re.escape(str(missing))):
        make_client(NetOptions(ca_bundle=str(missing)))

    monkeypatch.setenv("SSL_CERT_FILE", str(missing))
    with pytest.raises(ConfigError, match=re.escape(str(missing))):
        make_client(NetOptions())


async def test_https_through_a_proxy_and_a_custom_ca_together(tls_origin: Origin, pki: Pki) -> None:
    """HTTPS goes through a proxy as a CONNECT tunnel; the CA still decides the certificate."""
    tunnel = Tunnel()
    await tunnel.start()
    try:
        response = await fetch(NetOptions(proxy=tunnel.url, ca_bundle=str(pki.ca_file)), f"{tls_origin.url}/tunnel")
    finally:
        await tunnel.close()

    assert response.text == "origin saw /tunnel"
    assert tunnel.lines == [f"CONNECT 127.0.0.1:{tls_origin.port} HTTP/1.1"]


# --- the Bilibili client built from config --------------------------------------------------


def config_for(tmp_path: Path, *, api_host: str, fake: FakeBilibili, **net: str) -> Config:
    hosts = {**fake.hosts(), "api": api_host}
    path = tmp_path / "config.toml"
    path.write_text(
        "[net]\n"
        + "".join(f"{key} = {json.dumps(value)}\n" for key, value in net.items())
        + "[bilibili]\n"
        + "".join(f"{name}_host = {json.dumps(url)}\n" for name, url in hosts.items()),
        encoding="utf-8",
    )
    return load_config(path, data_dir=tmp_path / "data", environ={})


def login_secret() -> str:
    credential = credential_from_env(LOGIN_ENV)
    assert credential is not None
    return credential_to_secret(credential)


async def test_bili_client_from_config_reaches_the_fake_through_the_proxy(
    fake_bili: FakeBilibili, proxy: Relay, tmp_path: Path
) -> None:
    config = config_for(tmp_path, api_host=fake_bili.base_url, fake=fake_bili, proxy=proxy.url)
    async with await BilibiliProvider(config).open_session(login_secret()) as client:
        nav = await api.ensure_login(client)
        folder = await api.describe_source(client, SourceRef(SourceKind.FAVORITE, id=FakeBilibili.FAV_ID))
        cover = await client.media_bytes(folder.cover)

    assert nav.mid == FakeBilibili.MID and folder.title == "同步测试收藏夹" and cover
    api_lines = [line for line in proxy.lines if "/bfs/" not in line]
    assert api_lines == [
        f"GET {fake_bili.base_url}/x/web-interface/nav HTTP/1.1",
        f"GET {fake_bili.base_url}/x/v3/fav/folder/info?media_id={FakeBilibili.FAV_ID} HTTP/1.1",
    ]
    assert proxy.lines[-1] == f"GET {folder.cover} HTTP/1.1", "media downloads use the proxy too"
    # the login travelled through the proxy to the fake, which accepted it
    assert "SESSDATA=" in proxy.requests[0].headers["cookie"]
    assert fake_bili.calls("/x/web-interface/nav") == 1


async def test_bili_client_from_config_trusts_the_configured_ca(
    fake_bili: FakeBilibili, pki: Pki, tmp_path: Path
) -> None:
    front = Relay(pki.server_context(), upstream=fake_bili.base_url)  # HTTPS in front of the plain fake
    await front.start()
    try:
        trusting = config_for(tmp_path, api_host=front.url, fake=fake_bili, ca_bundle=str(pki.ca_file))
        async with await BilibiliProvider(trusting).open_session(login_secret()) as client:
            nav = await api.ensure_login(client)
        assert nav.mid == FakeBilibili.MID
        assert front.lines == ["GET /x/web-interface/nav HTTP/1.1"]

        default = config_for(tmp_path, api_host=front.url, fake=fake_bili)
        async with await BilibiliProvider(default).open_session(None) as client:
            with pytest.raises(TransientError) as refused:
                await api.nav(client)
        assert certificate_refused(refused.value), repr(refused.value)
        assert len(front.requests) == 1 and fake_bili.calls("/x/web-interface/nav") == 1
    finally:
        await front.close()
