"""No secret reaches the log output, however it is logged."""

from __future__ import annotations

import io
import json
import logging
import time
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from core.secrets import SecretRedactor, register_secret

LOGGER_NAME = "syncdeck.test.redaction"


@pytest.fixture
def log() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    output = io.StringIO()
    handler = logging.StreamHandler(output)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(SecretRedactor())
    # The redactor sits on the root handler, the record comes from a child logger: the usual setup.
    root = logging.getLogger()
    root.addHandler(handler)
    logger = logging.getLogger(f"{LOGGER_NAME}.child")
    logger.setLevel(logging.DEBUG)
    try:
        yield logger, output
    finally:
        root.removeHandler(handler)


def fresh_secret() -> str:
    return f"s3cr3t-{uuid.uuid4().hex}"


def test_registered_secret_is_hidden_in_message_args_and_containers(log) -> None:
    logger, output = log
    secret = fresh_secret()
    register_secret(secret)
    logger.info("cookie is %s", secret)
    logger.info(f"inline {secret} in the format string")
    logger.info("in a dict: %s", {"SESSDATA-ish": secret})
    logger.info("%(value)s by name", {"value": secret})
    logger.warning("in a list %r", [secret, "harmless"])
    text = output.getvalue()
    assert secret not in text
    assert "cookie is ***" in text
    assert "harmless" in text


def test_registered_secret_is_hidden_in_tracebacks_and_stacks(log) -> None:
    logger, output = log
    secret = fresh_secret()
    register_secret(secret)
    try:
        raise RuntimeError(f"server rejected token {secret}")
    except RuntimeError:
        logger.exception("request failed")
    logger.info("where am I", stack_info=True, extra={"unrelated": 1})
    text = output.getvalue()
    assert "RuntimeError: server rejected token ***" in text
    assert "Traceback (most recent call last)" in text
    assert secret not in text


def test_other_spellings_of_a_registered_secret_are_hidden(log) -> None:
    logger, output = log
    secret = f'a,b c/d+{uuid.uuid4().hex}"é'
    register_secret(secret)
    logger.info("url-encoded %s", quote(secret, safe=""))
    logger.info("as json %s", json.dumps({"v": secret}))
    logger.info("as utf-8 json %s", json.dumps({"v": secret}, ensure_ascii=False))
    logger.info("as repr %r", secret)
    text = output.getvalue()
    for leaked in (secret, quote(secret, safe=""), json.dumps(secret)[1:-1], secret.replace('"', '\\"')):
        assert leaked not in text
    assert text.count("***") == 4


@pytest.mark.parametrize(
    ("line", "value"),
    [
        (
            "Cookie: buvid3=abc; SESSDATA=9a1b%2C1767225600%2Cxy*11; bili_jct=0f1e2d3c",
            "9a1b%2C1767225600%2Cxy*11",
        ),
        ("Cookie: buvid3=abc; SESSDATA=9a1b%2C1767225600%2Cxy*11; bili_jct=0f1e2d3c", "0f1e2d3c"),
        ("POST /x/passport-login/web/cookie/refresh refresh_token=77aa88bb&source=main_web", "77aa88bb"),
        ("GET /pgc/player/api/playurl?access_key=de0f9a8b7c6d&cid=1", "de0f9a8b7c6d"),
        ("GET http://emby.lan/Items?api_key=5f4e3d2c1b0a&Recursive=true", "5f4e3d2c1b0a"),
        (
            "headers {'Authorization': 'Bearer eyJhbGciOi.payload.sig', 'Accept': '*/*'}",
            "eyJhbGciOi.payload.sig",
        ),
        ('Authorization: MediaBrowser Client="SyncDeck", Token="c0ffee1234"', "c0ffee1234"),
        ('{"SESSDATA": "json0value", "bili_jct": "json1value"}', "json0value"),
        ("X-Emby-Token: c0ffee5678", "c0ffee5678"),
        (
            "Credential(sessdata='repr0value', bili_jct='repr1value', ac_time_value='repr2value')",
            "repr2value",
        ),
    ],
)
def test_credential_shapes_are_hidden_without_registration(log, line: str, value: str) -> None:
    logger, output = log
    logger.info("%s", line)
    text = output.getvalue()
    assert value not in text
    assert "***" in text


def test_keys_and_ordinary_text_survive_redaction(log) -> None:
    logger, output = log
    logger.info("SESSDATA=abcd1234; buvid3=device-id; 12 tokens left; page 3 of 7")
    assert output.getvalue().strip() == "INFO SESSDATA=***; buvid3=device-id; 12 tokens left; page 3 of 7"


def test_too_short_values_are_not_registered(log) -> None:
    logger, output = log
    register_secret("42")
    logger.info("page 42 of 420")
    assert "page 42 of 420" in output.getvalue()


def test_mismatched_format_args_neither_crash_nor_leak(log) -> None:
    logger, output = log
    secret = fresh_secret()
    register_secret(secret)
    logger.info("only one placeholder %s", secret, "extra")
    text = output.getvalue()
    assert "only one placeholder" in text
    assert secret not in text


@pytest.mark.timeout(10)
def test_huge_messages_are_redacted_quickly(log) -> None:
    logger, output = log
    secret = fresh_secret()
    register_secret(secret)
    blob = "x" * 2_000_000 + secret + "-token" * 50_000
    started = time.perf_counter()
    logger.info("blob %s", blob)
    assert time.perf_counter() - started < 2
    assert secret not in output.getvalue()
