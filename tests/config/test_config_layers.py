"""defaults < TOML file < SYNCDECK_* environment < command line, with clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import load_config, save_config
from core.errors import ConfigError


def test_each_layer_overrides_the_one_below(tmp_path: Path) -> None:
    cfg_file = tmp_path / "config.toml"
    cfg_file.write_text('[limits]\nvideos = 5\npages = 3\nconnections = 6\n[net]\nproxy = "http://127.0.0.1:1"\n')
    env = {"SYNCDECK_LIMITS_PAGES": "4", "SYNCDECK_LIMITS_CONNECTIONS": "7"}
    cfg = load_config(cfg_file, data_dir=tmp_path, environ=env, overrides={"limits.connections": "8"})
    assert cfg["limits.attempts"] == 4  # default
    assert cfg["limits.videos"] == 5  # file
    assert cfg["limits.pages"] == 4  # environment
    assert cfg["limits.connections"] == 8  # command line
    assert cfg.origins["limits.pages"] == "environment"
    assert cfg["net.proxy"] == "http://127.0.0.1:1"


def test_data_dir_comes_from_flag_then_environment(tmp_path: Path) -> None:
    env = {"SYNCDECK_DATA_DIR": str(tmp_path / "env")}
    assert load_config(tmp_path / "none.toml", environ=env).data_dir == tmp_path / "env"
    assert load_config(tmp_path / "none.toml", data_dir=tmp_path / "flag", environ=env).data_dir == tmp_path / "flag"


def test_every_bilibili_host_can_be_overridden(tmp_path: Path) -> None:
    env = {f"SYNCDECK_BILIBILI_{h.upper()}_HOST": f"http://127.0.0.1:9/{h}" for h in
           ("api", "passport", "www", "comment", "b23")}  # fmt: skip
    cfg = load_config(tmp_path / "none.toml", environ=env)
    assert cfg["bilibili.comment_host"] == "http://127.0.0.1:9/comment"
    assert cfg["bilibili.b23_host"] == "http://127.0.0.1:9/b23"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[limits]\nvideos = 0\n", "limits.videos must be between 1 and 32"),
        ("[limits]\nvideos = 'many'\n", "limits.videos must be a whole number"),
        ("[quality]\ncodecs = ['avc', 'vp9']\n", "quality.codecs must be one of"),
        ("[nope]\nx = 1\n", "unknown setting 'nope.x'"),
        ("[limits\n", "not valid TOML"),
        ("[library]\nvideo_name = '{{nosuch}}'\n", "nosuch"),
        ("[schedule]\nevery = '30'\n", "schedule.every"),
    ],
)
def test_bad_values_name_the_setting_and_the_file(tmp_path: Path, text: str, message: str) -> None:
    cfg_file = tmp_path / "config.toml"
    cfg_file.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_config(cfg_file, environ={})
    assert message in str(err.value)


def test_save_keeps_other_keys_and_a_backup_and_validates_first(tmp_path: Path) -> None:
    cfg_file = tmp_path / "config.toml"
    cfg_file.write_text("# mine\n[limits]\nvideos = 2\n")
    save_config(cfg_file, {"limits.pages": 5, "ui.language": "zh_CN"})
    cfg = load_config(cfg_file, environ={})
    assert (cfg["limits.videos"], cfg["limits.pages"], cfg["ui.language"]) == (2, 5, "zh_CN")
    assert (tmp_path / "config.toml.bak").read_text().startswith("# mine")
    before = cfg_file.read_text()
    with pytest.raises(ConfigError):
        save_config(cfg_file, {"limits.pages": -1})
    assert cfg_file.read_text() == before


def test_hot_reload_sees_file_changes(tmp_path: Path) -> None:
    cfg_file = tmp_path / "config.toml"
    cfg_file.write_text("[limits]\nvideos = 2\n")
    cfg = load_config(cfg_file, environ={})
    assert not cfg.file_changed()
    import os

    cfg_file.write_text("[limits]\nvideos = 6\n")
    os.utime(cfg_file, (1, 1))
    assert cfg.file_changed()
    assert cfg.reloaded()["limits.videos"] == 6
