"""Layered configuration: defaults < TOML file < SYNCDECK_* environment < command line."""

from core.config.loader import Config, default_config_path, default_data_dir, load_config, save_config
from core.config.settings import SETTINGS, Setting, setting

__all__ = [
    "SETTINGS",
    "Config",
    "Setting",
    "default_config_path",
    "default_data_dir",
    "load_config",
    "save_config",
    "setting",
]
