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
