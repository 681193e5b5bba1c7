from __future__ import annotations

from typing import Any

import pytest

from core.errors import (
    ApiError,
    InvalidResponseError,
    LoginExpiredError,
    RiskControlError,
    UnavailableError,
)
from core.providers.bilibili.envelope import check_http_status, parse_json, unwrap


def envelope(code: int, data: Any = None, message: str = "msg") -> dict[str, Any]:
    return {"code": code, "message": message, "ttl": 1, "data": data}


def test_code_zero_returns_data_or_result() -> None:
    assert unwrap(envelope(0, {"a": 1}), "/x") == {"a": 1}
    assert unwrap({"code": 0, "message": "success", "result": [1]}, "/pgc", "result") == [1]


@pytest.mark.parametrize("code", [-352, -412, -799])
def test_risk_control_codes(code: int) -> None:
    with pytest.raises(RiskControlError) as caught:
        unwrap(envelope(code), "/x/space/wbi/arc/search")
    assert str(code) in caught.value.reason


def test_v_voucher_is_risk_control_even_with_code_zero() -> None:
    with pytest.raises(RiskControlError, match="v_voucher"):
        unwrap(envelope(0, {"v_voucher": "voucher_123"}), "/x/player/wbi/playurl")


def test_not_logged_in() -> None:
    with pytest.raises(LoginExpiredError):
        unwrap(envelope(-101, message="账号未登录"), "/x/v2/history/toview")


@pytest.mark.parametrize("code", [-404, 62002, 62004, 62012])
def test_unavailable_codes_keep_the_code(code: int) -> None:
    with pytest.raises(UnavailableError) as caught:
        unwrap(envelope(code), "/x/web-interface/wbi/view")
    assert caught.value.code == code


@pytest.mark.parametrize("code", [-400, -403, -503, 53013, 86095])
def test_other_codes_are_api_errors(code: int) -> None:
    with pytest.raises(ApiError) as caught:
        unwrap(envelope(code, message="服务暂不可用"), "/x")
    assert caught.value.code == code and caught.value.api_message.startswith("服务暂不可用")


def test_missing_code_and_non_json_are_invalid() -> None:
    with pytest.raises(InvalidResponseError):
        parse_json(b'{"message": "no code"}', "/x")
    with pytest.raises(InvalidResponseError):
        parse_json(b"<html>blocked</html>", "/x")
    with pytest.raises(InvalidResponseError):
        parse_json(b"[1, 2]", "/x")
    assert parse_json(b'{"code": 0, "data": 1}', "/x")["data"] == 1


@pytest.mark.parametrize("status", [403, 412])
def test_blocking_http_statuses_are_risk_control(status: int) -> None:
    with pytest.raises(RiskControlError) as caught:
        check_http_status(status, "/x")
    assert str(status) in caught.value.reason


def test_ordinary_http_statuses_pass() -> None:
    for status in (200, 206, 302, 404):
        check_http_status(status, "/x")


@pytest.mark.parametrize(
    ("path", "code", "words"),
    [
        ("/x/v3/fav/folder/info", -404, "this favorites folder does not exist or is private (Bilibili answered -404)"),
        ("/x/v3/fav/folder/info", -403, "this favorites folder does not exist or is private (Bilibili answered -403)"),
        ("/x/polymer/web-space/seasons_archives_list", -404, "this collection does not exist or is private"),
        ("/x/web-interface/card", -404, "this UP does not exist (Bilibili answered -404)"),
        ("/pgc/view/web/season", -404, "this bangumi season does not exist or is private"),
        ("/x/web-interface/wbi/view", -404, "this video was deleted (-404)"),
        ("/x/player/wbi/playurl", 62012, "this video is visible to its uploader only (62012)"),
    ],
)
def test_errors_name_the_users_thing_not_the_api_path(path: str, code: int, words: str) -> None:
    with pytest.raises(UnavailableError) as caught:
        unwrap(envelope(code), path)
    assert str(caught.value).startswith(words) and caught.value.code == code


@pytest.mark.parametrize("code", [-352, -101, -500])
def test_no_error_shows_an_api_path(code: int) -> None:
    with pytest.raises(Exception) as caught:
        unwrap(envelope(code, message="服务错误"), "/x/series/archives")
    assert "/x/" not in str(caught.value) and "this series" in str(caught.value)
