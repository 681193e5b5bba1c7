"""Property-based fuzz of the settings validator: any value for any setting, and any bytes as
the config file, end in a usable value or in a ConfigError; what is accepted is finite, in
range, free of control characters, and a URL the HTTP client takes."""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.config import SETTINGS, Setting, load_config
from core.errors import ConfigError

pytestmark = pytest.mark.timeout(120)
# Hypothesis caches into ./.hypothesis unless told otherwise; the checkout stays as it was.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(Path(tempfile.gettempdir()) / "syncdeck-hypothesis"))

# The same examples on every run (derandomize): CI never fails by chance; run with a larger
# max_examples by hand to explore further.
FUZZ = settings(
    max_examples=300, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
URL_SETTINGS = {s.key for s in SETTINGS if s.key.startswith("bilibili.") or s.key.endswith(("url", "api_base"))}

scalars = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.booleans(),
    st.sampled_from(["", "nan", "-inf", "1e400", "²", "٣", "9" * 5000, "http://[::1", "https://", "socks5://h:1",
                     "http://h:99999", "http://exa mple.com", "../..", "5", "avc,hevc", "[]", "a\x00b", "https://h/\n"]),
)  # fmt: skip
values = st.one_of(scalars, st.lists(scalars, max_size=3), st.dictionaries(st.text(max_size=3), scalars, max_size=2))


def check_accepted(spec: Setting, value: Any) -> None:
    if spec.kind in (int, float):
        assert type(value) is spec.kind and math.isfinite(value)
        assert spec.minimum is not None and spec.maximum is not None and spec.minimum <= value <= spec.maximum
    for text in value if isinstance(value, list) else [value]:
        if isinstance(text, str):
            assert not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in text), repr(text)
    if spec.key in URL_SETTINGS and value:
        httpx.URL(value)  # the client takes it
        assert httpx.URL(value).host
    if spec.key == "net.proxy" and value:
        httpx.Proxy(value)
    if spec.key == "library.root" and value:
        assert Path(value).expanduser().is_absolute()


@FUZZ
@given(spec=st.sampled_from(SETTINGS), raw=values)
def test_any_value_for_any_setting_is_used_or_refused_by_name(spec: Setting, raw: Any) -> None:
    try:
        value = spec.coerce(raw, "fuzz")
    except ConfigError as exc:
        assert spec.key in str(exc) and len(str(exc)) < 1000
        return
    check_accepted(spec, value)


@FUZZ
@given(
    content=st.one_of(
        st.binary(max_size=200),
        st.builds(
            lambda table, key, value: f"[{table}]\n{key} = {value}\n".encode(),
            st.sampled_from(["limits", "net", "risk", "library", "bilibili", "notify.email", "x" * 3]),
            st.sampled_from([s.key.rpartition(".")[2] for s in SETTINGS]),
            st.sampled_from(["nan", "inf", "-0.0", "1e300", "9223372036854775807", '"http://[::1"', "[]", '"²"',
                             "[[1]]", "{a = 1}", "true", '"../x"', "1979-05-27T07:32:00Z", '"\\u0000"', "0"]),
        ),
    )
)  # fmt: skip
def test_any_config_file_loads_or_is_refused_by_name(tmp_path_factory: pytest.TempPathFactory, content: bytes) -> None:
    folder = tmp_path_factory.mktemp("cfg")
    path = folder / "config.toml"
    path.write_bytes(content)
    try:
        config = load_config(path, data_dir=folder, environ={})
    except ConfigError as exc:
        assert str(path) in str(exc)
        return
    for spec in SETTINGS:
        check_accepted(spec, config.values[spec.key])
    people, given = Path(os.path.normpath(config.people_dir)), config.values["library.people_dir"]
    assert people.is_absolute()
    if given and not Path(given).expanduser().is_absolute():
        assert people.is_relative_to(config.library_root), "a relative people folder stays inside the library"
