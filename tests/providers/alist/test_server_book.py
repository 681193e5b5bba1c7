"""engine.servers (ServerBook) over the Alist provider with a real keyring: what playlists and
the sources book rely on — ACCOUNT:PATH, entries carrying their item, lookups, kept folder
passwords, a wrong password that is not kept."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.config import load_config
from core.engine.engine import Engine
from core.engine.servers.service import normalise_path, path_inside
from core.errors import ConfigError, FolderPasswordError, LoginExpiredError
from core.providers.serial import item_from_dict
from core.secrets import SERVICE_NAME
from tests.fakes.alist import FakeAlist
from tests.keyring_service import PrivateSecretService, secret_service  # noqa: F401

pytestmark = [pytest.mark.keyring, pytest.mark.timeout(60)]


@pytest.fixture
async def engine(tmp_path: Path, secret_service: PrivateSecretService) -> AsyncIterator[Engine]:  # noqa: F811
    config = load_config(tmp_path / "config.toml", data_dir=tmp_path / "data",
                         environ={"SYNCDECK_LIBRARY_ROOT": str(tmp_path / "library")})  # fmt: skip
    engine = Engine(config)
    yield engine
    await engine.close()


@pytest.mark.parametrize(
    ("given", "normal"),
    [("/Movies/./a/../b/", "/Movies/b"), ("", ""), ("/", "/"), ("Movies//x", "Movies/x"), ("\\a\\b", "/a/b")],
)
def test_paths_are_normalised(given: str, normal: str) -> None:
    assert normalise_path(given) == normal


@pytest.mark.parametrize("escaping", ["..", "/..", "/Movies/../..", "a/../../b"])
def test_a_path_above_the_root_is_refused(escaping: str) -> None:
    with pytest.raises(ConfigError, match="outside the server's root"):
        normalise_path(escaping)


def test_a_sub_path_stays_inside_its_root() -> None:
    assert path_inside("/Movies", "Extras/./Bonus.mp4") == "/Movies/Extras/Bonus.mp4"
    assert path_inside("/Movies/", "/Extras") == "/Movies/Extras" and path_inside("/", "") == "/"
    assert path_inside("/Movies", "a/../b") == "/Movies/b"
    for escaping in ("..", "../Locked", "/../Locked", "a/../../x"):
        with pytest.raises(ConfigError, match="outside"):
            path_inside("/Movies", escaping)


async def test_refs_entries_and_lookups(engine: Engine, fake_alist: FakeAlist) -> None:
    servers = engine.servers
    account = await servers.login("openlist", fake_alist.base_url, "alice", FakeAlist.PASSWORD, name="nas")
    assert [a.id for a in await servers.server_accounts()] == [account.id]
    for text in (f"{account.id}:/Movies/x/../Clip.mp4", "nas:/Movies/Clip.mp4", f"{account.name}:Movies/Clip.mp4"):
        where = await servers.resolve_ref(text)
        assert (where.account_id, where.provider) == (account.id, "openlist") and where.path.endswith("Movies/Clip.mp4")
    assert await servers.claims_ref("alice@127.0.0.1:99:/x") is False and not await servers.claims_ref("BV1xx")
    with pytest.raises(ConfigError, match="not ACCOUNT:PATH"):
        await servers.resolve_ref("nobody:/Movies")

    entry = await servers.lookup("nas:/Movies/Clip.mp4")
    assert entry.playable and entry.ref == f"{account.id}:/Movies/Clip.mp4" and entry.item_json is not None
    item = item_from_dict(entry.item_json)
    assert item.key == "/Movies/Clip.mp4" and item.parts[0].details["path"] == "/Movies/Clip.mp4"
    provider = engine.registry.for_stored(entry.provider)
    playback = await provider.resolve(await engine.accounts.session(provider, entry.account_id), item, item.parts[0])  # type: ignore[attr-defined]
    assert playback.streams[0].urls[0].startswith(fake_alist.base_url + "/d/Movies/Clip.mp4")


async def test_folder_passwords_are_kept_only_when_right(
    engine: Engine,
    fake_alist: FakeAlist,
    secret_service: PrivateSecretService,  # noqa: F811
) -> None:
    servers = engine.servers
    account = await servers.login("alist", fake_alist.base_url, "alice", FakeAlist.PASSWORD)
    ref = f"alist/account/{account.id}"
    with pytest.raises(FolderPasswordError):
        await servers.browse(account.id, "/Locked")
    with pytest.raises(FolderPasswordError, match="wrong"):
        await servers.unlock(account.id, "/Locked", "guess")
    assert json.loads(secret_service.backend.get_password(SERVICE_NAME, ref) or "{}")["folders"] == {}
    await servers.unlock(account.id, "/Locked/", FakeAlist.FOLDER_PASSWORD)
    kept = json.loads(secret_service.backend.get_password(SERVICE_NAME, ref) or "{}")
    assert kept["folders"] == {"/Locked": FakeAlist.FOLDER_PASSWORD} and "wonderland" not in json.dumps(kept)
    await engine.accounts.close()  # a fresh session reads the keyring again
    assert [e.title for e in (await servers.browse(account.id, "/Locked")).entries] == ["Secret.mp4"]


async def test_a_login_the_server_no_longer_takes_marks_the_account_expired(
    engine: Engine, fake_alist: FakeAlist
) -> None:
    fake_alist.knobs(guest=True)
    account = await engine.servers.login("alist", fake_alist.base_url, "", "")
    assert account.user_name.startswith("guest@")
    fake_alist.knobs(guest=False)
    with pytest.raises(LoginExpiredError, match="does not let guests in"):
        await engine.servers.browse(account.id, "/")
    [listed] = await engine.list_accounts()
    assert listed.state == "expired"
