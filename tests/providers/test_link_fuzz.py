"""Property-based fuzz of pasted links: through the registry's "who parses this text" and the
Bilibili parser, any text ends in a source or in the product's own error, and a source comes
only from text inside the accepted grammar."""

from __future__ import annotations

import os
import re
import tempfile
import urllib.parse
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.config import load_config
from core.errors import SyncDeckError
from core.providers.bilibili import links
from core.providers.bilibili.models import SourceRef
from core.providers.registry import ProviderRegistry

pytestmark = pytest.mark.timeout(120)
# Hypothesis caches into ./.hypothesis unless told otherwise; the checkout stays as it was.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(Path(tempfile.gettempdir()) / "syncdeck-hypothesis"))

# The same examples on every run (derandomize): CI never fails by chance; run with a larger
# max_examples by hand to explore further.
FUZZ = settings(
    max_examples=400, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
MAX_ID = 2**63 - 1

# The accepted grammar, written independently of the parser.
_SHORT = re.compile(
    r"(fav:[0-9]+|up:[0-9]+|(season|series):[0-9]+:[0-9]+|(ss|ep|md):?[0-9]+|watchlater)(\+all|\+all_seasons)?",
    re.IGNORECASE,
)
_HOSTS = ("bilibili.com", "b23.tv", "bili2233.cn")


def in_grammar(text: str) -> bool:
    text = text.strip()
    if _SHORT.fullmatch(text):
        return True
    if any(c.isspace() or not c.isprintable() for c in text):
        return False
    if "://" in text:
        scheme, _, _ = text.partition("://")
        if scheme.lower() not in ("http", "https"):
            return False
    else:
        text = "https://" + text.lstrip("/")
    try:
        url = urllib.parse.urlsplit(text)
        host, port = url.hostname or "", url.port
    except ValueError:
        return False
    return (
        host.isascii()
        and url.username is None
        and port in (None, 80, 443)
        and any(host == name or host.endswith("." + name) for name in _HOSTS)
    )


def ids_of(ref: SourceRef) -> list[int]:
    return [v for v in (ref.id, ref.mid, ref.ep_id, ref.media_id) if v is not None]


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> ProviderRegistry:
    root: Path = tmp_path_factory.mktemp("fuzz")
    return ProviderRegistry(load_config(root / "config.toml", data_dir=root, environ={}))


def parse_offline(registry: ProviderRegistry, text: str) -> SourceRef:
    """What `source add` does before it goes online: who claims the text, then the parser."""
    parser = registry.parser_for(text)
    assert parser.name == "bilibili"  # type: ignore[attr-defined]
    return links.parse_link(text)


def check(registry: ProviderRegistry, text: str) -> None:
    try:
        ref = parse_offline(registry, text)
    except SyncDeckError as exc:
        assert str(exc) and len(str(exc)) < 3000
        return
    assert in_grammar(text), f"a source from {text!r}"
    assert all(1 <= value <= MAX_ID for value in ids_of(ref)), ref


digits = st.one_of(
    st.from_regex(r"[0-9]{1,25}", fullmatch=True),
    st.text(st.sampled_from("0123456789²③٣０१"), min_size=1, max_size=6),
    st.integers(min_value=0, max_value=2**64).map(str),
    st.just("9" * 4301),
    st.just("../20004"),
)
short_forms = st.builds(
    lambda prefix, a, b, suffix: prefix.format(a=a, b=b) + suffix,
    st.sampled_from(["fav:{a}", "up:{a}", "season:{a}:{b}", "series:{a}:{b}", "ss{a}", "ep:{a}", "md{a}", "FAV:{a}"]),
    digits,
    digits,
    st.sampled_from(["", "+all", "+all_seasons", " ", "\x00"]),
)
hosts = st.sampled_from([
    "space.bilibili.com", "www.bilibili.com", "m.bilibili.com", "b23.tv", "evil.example",
    "space.bilibili.com.evil.com", "evilbilibili.com", "space.bilibili.com\x00.evil.com", "[::1", "bilibili.com:8080",
    "user@space.bilibili.com", "space.bilibili.com:443", "SPACE.BILIBILI.COM", "spаce.bilibili.com", "",
])  # fmt: skip
segments = st.lists(
    st.one_of(digits, st.sampled_from(["favlist", "lists", "channel", "collectiondetail", "seriesdetail", "upload",
                                       "video", "medialist", "detail", "ml12", "bangumi", "play", "ss1", "ep2", "..",
                                       "watchlater", "list", "space", "%2e%2e", "BV1xx411c7mD"])),
    max_size=4,
)  # fmt: skip
queries = st.lists(st.tuples(st.sampled_from(["fid", "sid", "type", "x"]), st.one_of(digits, st.text(max_size=5))),
                   max_size=2)  # fmt: skip
urls = st.builds(
    lambda scheme, host, path, query: (
        f"{scheme}{host}/{'/'.join(path)}" + ("?" + "&".join(f"{k}={v}" for k, v in query) if query else "")
    ),
    st.sampled_from(["https://", "http://", "HTTPS://", "", "//", "javascript://", "file://", "ftp://", "bilibili://"]),
    hosts,
    segments,
    queries,
)


@FUZZ
@given(text=st.one_of(short_forms, urls, st.text(max_size=60)))
def test_any_text_is_a_source_in_the_grammar_or_a_product_error(registry: ProviderRegistry, text: str) -> None:
    check(registry, text)


@pytest.mark.parametrize(
    "text",
    ["fav:1", "up:20004", "season:1:2", "ss1+all", "https://space.bilibili.com/10001/favlist?fid=3000101",
     "space.bilibili.com/1/lists/2?type=series", "https://www.bilibili.com/bangumi/play/ep5"],
)  # fmt: skip
def test_the_grammar_oracle_accepts_what_the_parser_accepts(registry: ProviderRegistry, text: str) -> None:
    assert in_grammar(text) and ids_of(parse_offline(registry, text))
