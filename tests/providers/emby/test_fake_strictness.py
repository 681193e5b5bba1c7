"""The fake is as strict as the servers it stands for, so passing against it means something:
Jellyfin 12 refuses the legacy token forms (`api_key` too) and a loosely written header; Jellyfin 10.11 and
Emby take them."""

from __future__ import annotations

import httpx
import pytest

from core.providers.emby.server import authorization
from tests.fakes.emby import PASSWORD, USER, FakeMediaServer

pytestmark = pytest.mark.timeout(60)

STRICT_LOGIN = authorization("Desk", "d" * 32)


def token_of(server: FakeMediaServer, http: httpx.Client) -> str:
    answer = http.post(f"{server.url}/Users/AuthenticateByName", json={"Username": USER, "Pw": PASSWORD},
                       headers={"Authorization": STRICT_LOGIN})  # fmt: skip
    assert answer.status_code == 200
    return str(answer.json()["AccessToken"])


@pytest.mark.parametrize(
    ("flavour", "accepted"),
    [
        ("jellyfin-12", {"strict", "ApiKey"}),
        ("jellyfin-10.11", {"strict", "loose", "x-emby-token", "api_key", "ApiKey"}),
        ("emby", {"strict", "loose", "x-emby-token", "api_key"}),
    ],
)  # fmt: skip
def test_which_token_forms_each_flavour_accepts(
    media_servers: dict[str, FakeMediaServer], flavour: str, accepted: set[str]
) -> None:
    server = media_servers[flavour]
    server.reset()
    with httpx.Client(trust_env=False) as http:
        token = token_of(server, http)
        views = f"{server.url}/Users/{server.world.user_id}/Views"
        loose = f"MediaBrowser Client=SyncDeck,Device=Desk,DeviceId={'d' * 32},Token={token}"
        forms = {
            "strict": ({"Authorization": authorization("Desk", "d" * 32, token)}, {}),
            "loose": ({"Authorization": loose}, {}),
            "x-emby-token": ({"X-Emby-Token": token}, {}),
            "api_key": ({}, {"api_key": token}),
            "ApiKey": ({}, {"ApiKey": token}),
        }  # fmt: skip
        got = {name for name, (headers, params) in forms.items()
               if http.get(views, headers=headers, params=params).status_code == 200}  # fmt: skip
    assert got == accepted


def test_jellyfin_logins_need_the_four_client_fields(media_servers: dict[str, FakeMediaServer]) -> None:
    server = media_servers["jellyfin-10.11"]
    with httpx.Client(trust_env=False) as http:
        answer = http.post(f"{server.url}/Users/AuthenticateByName", json={"Username": USER, "Pw": PASSWORD},
                           headers={"Authorization": 'MediaBrowser Client="SyncDeck"'})  # fmt: skip
    assert answer.status_code == 400
