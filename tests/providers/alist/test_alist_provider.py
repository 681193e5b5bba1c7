"""The Alist/OpenList provider against the fake server: logins, renewal, folders, search,
playback links with Range, subtitles and the mirror listing."""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from core.config import Config
from core.errors import FolderPasswordError, InvalidResponseError, LoginExpiredError, TransientError, UnavailableError
from core.providers.alist.client import AlistClient
from core.providers.alist.login import hash_password
from core.providers.alist.provider import AlistProvider, OpenListProvider
from core.providers.protocols import LoginMethod, MediaItem, SourceTarget
from core.providers.serial import item_from_dict, item_to_dict
from core.secrets import SecretRedactor
from tests.fakes.alist import FakeAlist


async def login(provider: AlistProvider, fake: FakeAlist, user: str = FakeAlist.USER,
                password: str = FakeAlist.PASSWORD) -> AlistClient:  # fmt: skip
    result = await provider.login_with(
        LoginMethod.PASSWORD, {"server": fake.base_url, "username": user, "password": password}
    )
    return await provider.open_session(result.secret)


async def test_password_login_keeps_only_the_hash_and_a_token(provider_config: Config, fake_alist: FakeAlist) -> None:
    provider = AlistProvider(provider_config)
    result = await provider.login_with(
        LoginMethod.PASSWORD, {"server": fake_alist.base_url + "/", "username": "alice", "password": "wonderland"}
    )
    secret = json.loads(result.secret)
    assert secret["password"] == "" and secret["password_hash"] == hash_password("wonderland")
    assert "wonderland" not in result.secret and secret["token"].startswith("eyJ")
    assert result.profile.server_url == fake_alist.base_url and result.profile.user_id.startswith("alice@")


async def test_a_server_without_the_hashed_login_gets_the_password(
    provider_config: Config, fake_alist: FakeAlist
) -> None:
    fake_alist.knobs(hash_login=False)
    session = await login(AlistProvider(provider_config), fake_alist)
    assert session.login.password == FakeAlist.PASSWORD and not session.login.password_hash
    assert (await session.me())["username"] == "alice"
    await session.aclose()


@pytest.mark.parametrize("flavour", ["alist", "openlist"])
async def test_a_wrong_password_says_so(provider_config: Config, fake_alist: FakeAlist, flavour: str) -> None:
    fake_alist.knobs(flavour=flavour)
    with pytest.raises(LoginExpiredError, match="wrong user name or password"):
        await login(OpenListProvider(provider_config), fake_alist, password="nope")


async def test_unreachable_and_foreign_servers_are_told_apart(provider_config: Config, fake_alist: FakeAlist) -> None:
    provider = AlistProvider(provider_config)
    with pytest.raises(TransientError, match="cannot reach"):
        await provider.login_with(LoginMethod.PASSWORD, {"server": "http://127.0.0.1:9", "username": "a",
                                                         "password": "b"})  # fmt: skip
    with pytest.raises(InvalidResponseError, match="not an Alist server|does not answer as an Alist"):
        await provider.login_with(LoginMethod.PASSWORD, {"server": fake_alist.base_url + "/_fake/state",
                                                         "username": "a", "password": "b"})  # fmt: skip


async def test_guest_access_only_where_the_server_allows_it(provider_config: Config, fake_alist: FakeAlist) -> None:
    provider = AlistProvider(provider_config)
    fields = {"server": fake_alist.base_url, "username": "", "password": ""}
    with pytest.raises(LoginExpiredError, match="does not let guests in"):
        await provider.login_with(LoginMethod.PASSWORD, fields)
    fake_alist.knobs(guest=True)
    result = await provider.login_with(LoginMethod.PASSWORD, fields)
    assert result.profile.name.startswith("guest@")
    session = await provider.open_session(result.secret)
    page = await provider.browse(session, "/Movies", 1, 50)
    assert "Clip.mp4" in [e.title for e in page.entries]
    await session.aclose()


async def test_a_forgotten_token_is_renewed_without_asking(
    provider_config: Config, fake_alist: FakeAlist, caplog: pytest.LogCaptureFixture
) -> None:
    provider = AlistProvider(provider_config)
    session = await login(provider, fake_alist)
    old_token = session.login.token
    fake_alist.restart()  # the server forgets every token
    caplog.set_level(logging.DEBUG)
    logging.getLogger().addFilter(SecretRedactor())
    page = await provider.browse(session, "/", 1, 50)
    assert {e.title for e in page.entries} >= {"Movies", "Empty", "Locked"}
    assert session.login.token != old_token and fake_alist.state()["logins"] == 2
    check = await provider.check_login(session, refresh=False)
    assert check.secret is not None and json.loads(check.secret)["token"] == session.login.token, "new token kept"
    assert session.login.token not in caplog.text and hash_password(FakeAlist.PASSWORD) not in caplog.text
    await session.aclose()


async def test_folders_page_and_an_empty_folder_is_null(provider_config: Config, fake_alist: FakeAlist) -> None:
    provider = AlistProvider(provider_config)
    session = await login(provider, fake_alist)
    first = await provider.browse(session, "/Many", 1, 50)
    third = await provider.browse(session, "/Many", 3, 50)
    assert first.total == 120 and len(first.entries) == 50 and len(third.entries) == 20
    assert third.entries[-1].key == "/Many/ep120.mp4"
    empty = await provider.browse(session, "/Empty", 1, 50)
    assert empty.entries == () and empty.total == 0
    movies = {e.title: e for e in (await provider.browse(session, "Movies/", 1, 50)).entries}
    assert movies["Extras"].is_folder and movies["Extras"].item is None
    assert movies["notes.txt"].item is None and movies["Clip.srt"].item is None
    clip = movies["Clip.mp4"].item
    assert clip is not None and clip.key == "/Movies/Clip.mp4" and item_from_dict(item_to_dict(clip)) == clip
    await session.aclose()


async def test_a_locked_folder_needs_its_password(provider_config: Config, fake_alist: FakeAlist) -> None:
    provider = AlistProvider(provider_config)
    session = await login(provider, fake_alist)
    with pytest.raises(FolderPasswordError) as locked:
        await provider.browse(session, "/Locked", 1, 50)
    assert not locked.value.wrong and locked.value.folder == "/Locked"
    provider.unlock_folder(session, "/Locked", "guess")
    with pytest.raises(FolderPasswordError, match="wrong folder password") as wrong:
        await provider.browse(session, "/Locked", 1, 50)
    assert wrong.value.wrong
    secret = provider.unlock_folder(session, "/Locked", FakeAlist.FOLDER_PASSWORD)
    page = await provider.browse(session, "/Locked", 1, 50)
    assert [e.title for e in page.entries] == ["Secret.mp4"]
    assert json.loads(secret)["folders"] == {"/Locked": FakeAlist.FOLDER_PASSWORD}
    reopened = await provider.open_session(secret)  # a later session (a sync round) has it too
    entry = page.entries[0]
    assert entry.item is not None
    playback = await provider.resolve(reopened, entry.item, entry.item.parts[0])
    assert playback.streams[0].size > 0
    await session.aclose()
    await reopened.aclose()


async def test_search_without_an_index_says_so_plainly(provider_config: Config, fake_alist: FakeAlist) -> None:
    provider = AlistProvider(provider_config)
    session = await login(provider, fake_alist)
    with pytest.raises(UnavailableError, match="this server has no search index"):
        await provider.search(session, "clip", 1)
    fake_alist.knobs(search_index=True)
    found = await provider.search(session, "clip", 1)
    assert [i.key for i in found] == ["/Movies/Clip.mp4"], "videos only; the locked folder stays hidden"
    await session.aclose()


async def test_playback_is_a_signed_link_that_honours_range(provider_config: Config, fake_alist: FakeAlist) -> None:
    provider = AlistProvider(provider_config)
    session = await login(provider, fake_alist)
    page = await provider.browse(session, "/Movies", 1, 50)
    item = next(e.item for e in page.entries if e.title == "Clip.mp4")
    assert isinstance(item, MediaItem)
    playback = await provider.resolve(session, item, item.parts[0])
    stream = playback.streams[0]
    assert stream.urls[0].startswith(fake_alist.base_url + "/d/Movies/Clip.mp4?sign=") and len(stream.urls) == 2
    async with httpx.AsyncClient(trust_env=False, headers=dict(stream.headers)) as http:
        whole = (await http.get(stream.urls[0])).content
        part = await http.get(stream.urls[0], headers={"Range": "bytes=100-199"})
        past = await http.get(stream.urls[0], headers={"Range": f"bytes={len(whole)}-"})
        unsigned = await http.get(stream.urls[0].split("?")[0])
    assert len(whole) == stream.size and whole[4:8] == b"ftyp"
    assert part.status_code == 206 and part.content == whole[100:200]
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(whole)}"
    assert past.status_code == 416
    assert unsigned.json()["code"] == 401
    assert fake_alist.state()["downloads"][0]["user_agent"] == stream.headers["User-Agent"]
    assert [(t.lang, t.label) for t in playback.subtitles] == [("", "Clip.srt"), ("zh", "Clip.zh.ass")]
    await session.aclose()


async def test_subtitles_next_to_a_video_are_read(provider_config: Config, fake_alist: FakeAlist) -> None:
    provider = AlistProvider(provider_config)
    session = await login(provider, fake_alist)
    page = await provider.browse(session, "/Movies", 1, 50)
    item = next(e.item for e in page.entries if e.title == "Clip.mp4")
    assert item is not None
    tracks = await provider.subtitle_tracks(session, item, item.parts[0])
    cues = await provider.subtitle_cues(session, tracks[0])
    assert [c.text for c in cues] == ["Hello from the fake Alist", "你好"] and cues[1].start == 1.0
    assert [c.text for c in await provider.subtitle_cues(session, tracks[1])] == ["中文字幕"]
    await session.aclose()


async def test_mirror_listing_finds_videos_recursively_with_revisions(
    provider_config: Config, fake_alist: FakeAlist
) -> None:
    provider = AlistProvider(provider_config)
    session = await login(provider, fake_alist)
    target = SourceTarget(provider="alist", locator="/Movies", kind="folder", kind_label="Alist")
    listing = await provider.scan(session, target, None)
    revisions = {i.key: i.revision for i in listing.items}
    assert listing.whole and set(revisions) == {"/Movies/Clip.mp4", "/Movies/Other.mp4", "/Movies/Extras/Bonus.mp4"}
    fake_alist.put("/Movies/Other.mp4", media="changed")
    fake_alist.remove("/Movies/Extras/Bonus.mp4")
    again = {i.key: i.revision for i in (await provider.scan(session, target, None)).items}
    assert again["/Movies/Clip.mp4"] == revisions["/Movies/Clip.mp4"]
    assert again["/Movies/Other.mp4"] != revisions["/Movies/Other.mp4"]
    assert await provider.list_keys(session, target) == {"/Movies/Clip.mp4", "/Movies/Other.mp4"}
    await session.aclose()
