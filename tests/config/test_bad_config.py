"""Bad settings and damaged config files: the command line names the file or the setting,
says what is allowed and exits 2; no traceback, and nothing is written where it should not be."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core.cli.main import main
from core.config import load_config
from core.engine.engine import Engine
from core.errors import ConfigError

pytestmark = pytest.mark.timeout(60)


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str, config: Path | None = None) -> tuple[int, str]:
    config = config or tmp_path / "config.toml"
    code = main(["--data-dir", str(tmp_path / "data"), "--config", str(config), *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe[x]", "not UTF-8 text; save it as UTF-8"),
        (b"x = " + b"[" * 5000, "nested too deeply"),
        (b"x = " + b"{a = " * 5000, "nested too deeply"),
        (b"[" + b"a." * 3000 + b"b]\nc = 1\n", "unknown setting 'a.a.a.a'"),
        (b"[limits]\nvideos = " + b"9" * 5000 + b"\n", "not a usable settings file"),
    ],
    ids=["not-utf8", "nested-arrays", "nested-tables", "deep-table-name", "huge-integer"],
)
def test_a_damaged_config_file_is_named_with_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_bytes(content)
    for command in (["config", "show"], ["source", "list"], ["config", "set", "limits.videos=2"]):
        code, err = run(tmp_path, capsys, *command)
        assert code == 2, command
        assert str(config) in err and message in err, err
    assert config.read_bytes() == content, "a file that cannot be read is not overwritten"


def test_a_config_file_that_links_nowhere_is_named_not_read_as_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.symlink_to(tmp_path / "moved" / "config.toml")
    code, err = run(tmp_path, capsys, "config", "show")
    assert code == 2 and "is a link to" in err and "which does not exist" in err
    code, err = run(tmp_path, capsys, "config", "set", "limits.videos=2")
    assert code == 2 and "which does not exist" in err
    assert config.is_symlink() and not config.exists(), "the link is left as it was"


@pytest.fixture
def no_certificate(tmp_path: Path) -> str:
    path = tmp_path / "not-a-bundle.pem"
    path.write_text("this file holds no certificate\n")
    return str(path)


# (key, as written in the TOML file, as given to --set / config set, what the message says)
BAD_VALUES = [
    ("net.timeout_s", "nan", "nan", "between 0.1 and 600 s"),
    ("risk.removal_check_h", "nan", "nan", "between 0 and 8760 h"),
    ("risk.removal_check_h", "inf", "inf", "between 0 and 8760 h"),
    ("risk.removal_check_h", "1e+300", "1e+300", "between 0 and 8760 h"),
    ("limits.chunk_min_mib", "inf", "inf", "between 0.01 and 4096 MiB"),
    ("limits.api_window_ms", "999999999999999999", "999999999999999999", "between 1 and 60000 ms"),
    ("risk.cooldown_s", "9223372036854775807", "9223372036854775807", "between 1 and 604800 s"),
    ("limits.videos", "2.5", "2.5", "a whole number between 1 and 32"),
    ("limits.videos", '"٣"', "٣", "a whole number"),
    ("net.proxy", '"http://[::1"', "http://[::1", "is not a proxy URL"),
    ("bilibili.api_host", '"http://"', "http://", "names no host"),
    ("bilibili.api_host", '"https://[::1"', "https://[::1", "is not an http(s) URL"),
    ("bilibili.api_host", '"https://api.bilibili.com:99999"', "https://api.bilibili.com:99999", "port"),
    ("notify.webhook.url", '"https://exa mple.com/hook"', "https://exa mple.com/hook", "is not a host name"),
    ("quality.codecs", "[]", "", "choose at least one codec"),
    ("schedule.every", '"²"', "²", "invalid cron expression"),
    ("schedule.every", '"' + "9" * 5000 + '"', "9" * 5000, "at most 2592000 seconds"),
    ("library.root", "5", "5", "give a full path"),
    ("library.root", '"../.."', "../..", "give a full path"),
    ("library.people_dir", '"../escape_people_rel"', "../escape_people_rel", "leads outside the library folder"),
    ("library.root", '"/srv/lib\\u0000rary"', "/srv/lib\0rary", "control characters"),
    ("library.root", '"~nosuchuser0/videos"', "~nosuchuser0/videos", "names no user of this computer"),
    ("net.ca_bundle", '"' + "9" * 5000 + '"', "9" * 5000, "file not found"),
]


@pytest.mark.parametrize(
    ("key", "toml", "text", "message"), BAD_VALUES, ids=[f"{k}={t[:20]}" for k, _, t, _ in BAD_VALUES]
)
def test_a_bad_value_is_refused_by_every_door_naming_key_value_and_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    key: str, toml: str, text: str, message: str,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)  # a relative folder must not land here either
    config = tmp_path / "config.toml"
    table, _, name = key.rpartition(".")
    config.write_text(f"[{table}]\n{name} = {toml}\n", encoding="utf-8")
    code, err = run(tmp_path, capsys, "source", "list")
    assert code == 2 and str(config) in err and key in err and message in err, err

    config.write_text("[limits]\nvideos = 2\n", encoding="utf-8")
    code, err = run(tmp_path, capsys, "--set", f"{key}={text}", "sync")
    assert code == 2 and "--set" in err and key in err and message in err, err
    code, err = run(tmp_path, capsys, "config", "set", f"{key}={text}")
    assert code == 2 and key in err and message in err, err
    assert config.read_text(encoding="utf-8") == "[limits]\nvideos = 2\n", "config set wrote nothing"
    assert not (tmp_path / ".bak").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"], (
        "nothing was created next to the config or in the working folder"
    )
    if len(text) < 50:
        assert repr(text)[1:-1][:30] in err or text[:30] in err, "the message quotes the value"


def test_a_ca_bundle_without_certificates_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_certificate: str
) -> None:
    code, err = run(tmp_path, capsys, "--set", f"net.ca_bundle={no_certificate}", "sync")
    assert code == 2 and "net.ca_bundle" in err and no_certificate in err and "holds no usable certificate" in err


def test_environment_values_are_checked_like_the_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SYNCDECK_NET_TIMEOUT_S: net.timeout_s must be a number between"):
        load_config(tmp_path / "c.toml", data_dir=tmp_path, environ={"SYNCDECK_NET_TIMEOUT_S": "nan"})


async def test_the_settings_window_save_path_refuses_what_the_file_would(tmp_path: Path) -> None:
    config_path = tmp_path / "config.toml"
    config_path.write_text("[limits]\nvideos = 2\n", encoding="utf-8")
    engine = Engine(load_config(config_path, data_dir=tmp_path / "data", environ={}))
    try:
        for changes in (
            {"net.timeout_s": float("nan")},
            {"limits.api_window_ms": 10**18},
            {"net.proxy": "http://[::1"},
        ):
            with pytest.raises(ConfigError):
                await engine.apply_settings(changes)
        await engine.apply_settings({"limits.videos": 4})
    finally:
        await engine.close()
    assert config_path.read_text(encoding="utf-8") == "[limits]\nvideos = 4\n"


def test_a_relative_people_folder_lies_inside_the_library(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    library = tmp_path / "lib"
    config = load_config(tmp_path / "c.toml", data_dir=tmp_path, environ={},
                         overrides={"library.root": str(library), "library.people_dir": "meta/people"})  # fmt: skip
    assert config.people_dir == library / "meta" / "people"
    code = main(["--data-dir", str(tmp_path / "data"), "--config", str(tmp_path / "c.toml"),
                 "--set", f"library.root={library}", "--set", "library.people_dir=meta/../people",
                 "config", "show"])  # fmt: skip
    assert code == 0
    assert f"library.people_dir = 'meta/../people' → {library / 'people'}" in capsys.readouterr().out
    for escaping in ("..", "meta/../../x", "./../x"):
        with pytest.raises(ConfigError, match="leads outside the library folder"):
            load_config(tmp_path / "c.toml", data_dir=tmp_path, environ={}, overrides={"library.people_dir": escaping})
    assert os.listdir(tmp_path) == [], "checking wrote nothing"


def test_a_config_path_that_cannot_be_read_or_written_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    code, err = run(tmp_path, capsys, "config", "set", "limits.videos=2", config=a_file / "config.toml")
    assert code == 2 and str(a_file / "config.toml") in err and "cannot" in err
    code, err = run(tmp_path, capsys, "config", "show", config=tmp_path / ("x" * 5000))
    assert code == 2 and "cannot read" in err
    code, err = run(tmp_path, capsys, "config", "show", config=tmp_path)
    assert code == 2 and "cannot read" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]

    config = tmp_path / "config.toml"
    config.write_text("[limits]\nvideos = 2\n")
    (tmp_path / "config.toml.tmp").mkdir()  # where the new file would be written first
    code, err = run(tmp_path, capsys, "config", "set", "limits.videos=3", config=config)
    assert code == 2 and f"cannot write {config}" in err
    assert config.read_text() == "[limits]\nvideos = 2\n"
