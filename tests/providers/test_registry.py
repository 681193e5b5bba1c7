"""The registry answers capability questions; pasted text reaches only the provider that claims it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from core.config import Config, load_config
from core.errors import ConfigError, LinkError
from core.providers.bilibili.provider import BilibiliProvider
from core.providers.protocols import (
    Authenticator,
    DanmakuSource,
    FolderBrowser,
    LinkParser,
    LoginMethod,
    PlaybackResolver,
    Searcher,
    SourceScanner,
)
from core.providers.registry import PROVIDERS, ProviderInfo, ProviderRegistry
from tests.providers.toy_provider import ToyServer, bound_toy_provider

REPO_ROOT = Path(__file__).resolve().parents[2]


def names(providers: list[object]) -> list[str]:
    return [provider.name for provider in providers]  # type: ignore[attr-defined]


def test_describe_lists_each_provider_with_what_it_can_do(toy_registry: ProviderRegistry) -> None:
    described = {info.name: info for info in toy_registry.describe()}
    bilibili, torrent, toy = described["bilibili"], described["torrent"], described["toy"]
    servers = ("scan", "playback", "subtitles", "browse", "search", "login")
    assert [described[n].capabilities for n in ("alist", "openlist", "emby", "jellyfin")] == [servers] * 4
    assert described["openlist"].login_methods == (LoginMethod.PASSWORD,)
    assert described["direct"].capabilities == ("playback",)
    assert described["local"].capabilities == ("playback", "browse")
    assert torrent[:4] == ("torrent", "BitTorrent", ("parse", "scan", "playback"), ())  # playback: torrent:TASK/FILE
    assert bilibili[:4] == (
        "bilibili",
        "Bilibili",
        ("parse", "scan", "playback", "danmaku", "subtitles", "login"),
        (LoginMethod.QR, LoginMethod.COOKIE),
    )
    assert bilibili.login_methods == ("qr", "cookie") and "fav:ID" in bilibili.link_help
    assert toy == ProviderInfo(
        "toy", "Toy", ("parse", "scan", "playback"), (), "Accepted toy sources:\n  shelves       toy:NAME"
    )


def test_capable_answers_by_protocol(toy_registry: ProviderRegistry) -> None:
    assert names(toy_registry.capable(LinkParser)) == ["bilibili", "torrent", "toy"]
    assert names(toy_registry.capable(SourceScanner)) == [
        "bilibili",
        "alist",
        "openlist",
        "emby",
        "jellyfin",
        "torrent",
        "toy",
    ]
    assert names(toy_registry.capable(PlaybackResolver)) == [
        "bilibili",
        "alist",
        "openlist",
        "emby",
        "jellyfin",
        "direct",
        "local",
        "torrent",
        "toy",
    ]
    assert names(toy_registry.capable(Authenticator)) == ["bilibili", "alist", "openlist", "emby", "jellyfin"]
    assert names(toy_registry.capable(DanmakuSource)) == ["bilibili"]
    assert names(toy_registry.capable(FolderBrowser)) == ["alist", "openlist", "emby", "jellyfin", "local"]
    assert names(toy_registry.capable(Searcher)) == ["alist", "openlist", "emby", "jellyfin"]
    assert names(toy_registry.all()) == [
        "bilibili",
        "alist",
        "openlist",
        "emby",
        "jellyfin",
        "direct",
        "local",
        "torrent",
        "toy",
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("https://space.bilibili.com/1001/favlist?fid=101", "bilibili"),
        ("space.bilibili.com/1001/favlist?fid=101", "bilibili"),
        ("  fav:101\n", "bilibili"),
        ("ss:401+all", "bilibili"),
        ("https://b23.tv/Fav101a", "bilibili"),
        ("https://www.bilibili.com/video/BV1xx411c7mD", "bilibili"),  # claimed, to be refused with a reason
        ("toy:shelf", "toy"),
        ("watch:/srv/torrents", "torrent"),
        ("rss:https://example.org/feed.xml", "torrent"),
    ],
)
def test_parser_for_finds_the_provider_that_claims_the_text(
    toy_registry: ProviderRegistry, text: str, name: str
) -> None:
    assert toy_registry.parser_for(text).name == name  # type: ignore[attr-defined]


def test_text_nobody_claims_lists_every_accepted_form(toy_registry: ProviderRegistry) -> None:
    with pytest.raises(LinkError) as caught:
        toy_registry.parser_for("https://example.com/watch?v=1")
    message = str(caught.value)
    assert "https://example.com/watch?v=1" in message
    assert "Accepted Bilibili sources" in message and "toy:NAME" in message
    with pytest.raises(LinkError, match="Nothing was given"):
        toy_registry.parser_for("   ")


HOSTILE = [
    "javascript://space.bilibili.com/10001/favlist?fid=1",
    "javascript:alert(1)//space.bilibili.com/1",
    "file:///etc/passwd",
    "file://space.bilibili.com/10001/favlist?fid=1",
    "ftp://space.bilibili.com/10001/favlist?fid=1",
    "https://evil.example/10001/favlist?fid=1",
    "https://space.bilibili.com.evil.com/1/favlist?fid=2",
    "https://evilbilibili.com/1/favlist?fid=2",
    "bilibili://space/20004",
    "https://space.bilibili.com\x00.evil.com/1/favlist?fid=2",
    "https://evil.com\x00.bilibili.com/1/favlist?fid=2",
    "https://space.bilibili.com/1/favlist?fid=2\x00",
    "https://user:pw@space.bilibili.com/1/favlist?fid=2",
    "https://space.bilibili.com@evil.com/1/favlist?fid=2",
    "https://space.bilibili.com:99999/1/favlist?fid=2",
    "https://[space.bilibili.com/1/favlist?fid=2",
    "https://ｓｐａｃｅ.bilibili.com/1/favlist?fid=2",
    "https://space.bilibili.com/²",
    "https://space.bilibili.com/1/favlist?fid=²",
    "https://space.bilibili.com/٣/favlist?fid=1",
    "fav:٣",
    "fav:9223372036854775808",
    "up:99999999999999999999999999999",
    "season:1:" + "9" * 5000,
    "https://space.bilibili.com/9223372036854775808",
    "https://space.bilibili.com/1/favlist?fid=" + "9" * 5000,
    "https://space.bilibili.com/" + "a" * 10000,
    "up:../20004",
    "up:20004/../../etc",
    "fav: 1",
    "toy:../etc",
    "toy:",
    "toy:shelf\nfav:1",
    "",
]


@pytest.mark.parametrize("text", HOSTILE, ids=[repr(text[:60]) for text in HOSTILE])
async def test_hostile_text_is_not_claimed_or_refused_as_a_link(
    tmp_path: Path, toy_server: ToyServer, text: str
) -> None:
    # Hosts on a closed port: whatever happens, nothing leaves the machine.
    closed = "http://127.0.0.1:9"
    overrides = {f"bilibili.{name}_host": closed for name in ("api", "passport", "www", "comment", "b23")}
    config = load_config(tmp_path / "config.toml", data_dir=tmp_path, environ={}, overrides=overrides)
    registry = ProviderRegistry(config, [*PROVIDERS, bound_toy_provider(toy_server.base_url)])
    try:
        parser = registry.parser_for(text)
    except LinkError:
        return
    session = await registry.for_stored(parser.name).open_session(None)  # type: ignore[attr-defined]
    try:
        with pytest.raises(LinkError):
            await parser.resolve_link(session, text)
    finally:
        await session.aclose()


async def test_the_largest_id_is_still_an_id(provider_config: Config) -> None:
    provider = BilibiliProvider(provider_config)
    session = await provider.open_session(None)
    try:
        target = await provider.resolve_link(session, "fav:9223372036854775807")
    finally:
        await session.aclose()
    assert target.locator == "fav:9223372036854775807"


def test_for_stored_names_what_is_missing(toy_registry: ProviderRegistry) -> None:
    assert toy_registry.for_stored("bilibili").name == "bilibili"
    assert toy_registry.for_stored("toy").display_name == "Toy"
    with pytest.raises(ConfigError) as caught:
        toy_registry.for_stored("plex")
    assert "'plex'" in str(
        caught.value
    ) and "bilibili, alist, openlist, emby, jellyfin, direct, local, torrent, toy" in str(caught.value)


def test_two_providers_of_one_name_are_refused(provider_config: Config, toy_server: ToyServer) -> None:
    toy = bound_toy_provider(toy_server.base_url)
    with pytest.raises(ConfigError, match="two providers are named 'toy'"):
        ProviderRegistry(provider_config, [toy, toy])


def test_providers_load_only_when_a_registry_is_built() -> None:
    probe = (
        "import sys, core.providers.registry; "
        "print(sorted(m for m in ('httpx', 'core.providers.bilibili.provider') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


async def test_toy_provider_from_link_to_bytes(toy_registry: ProviderRegistry, toy_server: ToyServer) -> None:
    parser = toy_registry.parser_for("toy:shelf")
    provider = toy_registry.for_stored("toy")
    assert isinstance(provider, SourceScanner) and isinstance(provider, PlaybackResolver)
    session = await provider.open_session(None)
    try:
        target = await parser.resolve_link(session, "toy:shelf")
        preview = await parser.describe(session, target)
        listing = await provider.scan(session, target, None)
        first = listing.items[0]
        playback = await provider.resolve(session, first, first.parts[0])
        with pytest.raises(LinkError, match="no toy shelf"):
            await parser.resolve_link(session, "toy:nowhere")
    finally:
        await session.aclose()
    assert (target.provider, target.locator, target.kind_label) == ("toy", "toy:shelf", "Toys")
    assert (preview.title, preview.count) == ("Toy shelf shelf", 3)
    assert listing.whole and [item.key for item in listing.items] == ["one", "two", "three"]
    stream = playback.streams[0]
    expected = toy_server.media("shelf", "one")
    assert stream.kind == "muxed" and stream.size == len(expected or b"")
    with httpx.Client(trust_env=False) as http:
        assert http.get(stream.urls[0]).content == expected
        ranged = http.get(stream.urls[0], headers={"Range": "bytes=0-0"})
    assert ranged.status_code == 206 and ranged.headers["Content-Range"] == f"bytes 0-0/{len(expected or b'')}"
