from __future__ import annotations

import contextlib
import os
import shutil
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs
import tomli_w

from core.config.paths import user_path
from core.config.settings import SETTINGS, check_together, setting
from core.errors import ConfigError

APP_NAME = "SyncDeck"


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_library_root() -> Path:
    return Path(platformdirs.user_videos_dir()) / APP_NAME


@dataclass
class Config:
    """Resolved settings plus where they came from; read with `cfg["limits.videos"]`."""

    path: Path
    data_dir: Path
    values: dict[str, Any]
    origins: dict[str, str] = field(default_factory=dict)
    overrides: dict[str, str] = field(default_factory=dict)
    environ: Mapping[str, str] | None = None  # None = the process environment
    _mtime: float | None = None

    def __getitem__(self, key: str) -> Any:
        setting(key)
        return self.values[key]

    @property
    def library_root(self) -> Path:
        root = self.values["library.root"]
        return user_path(root) if root else default_library_root()

    @property
    def people_dir(self) -> Path:
        # A relative folder is inside the library folder (the setting's check refuses "..").
        people = self.values["library.people_dir"]
        if not people:
            return self.library_root / "people"
        return Path(os.path.normpath(self.library_root / user_path(people)))

    @property
    def database_path(self) -> Path:
        return self.data_dir / "syncdeck.db"

    def file_changed(self) -> bool:
        return _mtime(self.path) != self._mtime

    def reloaded(self) -> Config:
        """The same layers read again (hot reload); raises ConfigError and keeps nothing on bad input."""
        return load_config(self.path, data_dir=self.data_dir, overrides=self.overrides, environ=self.environ)


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


_DEPTH = max(key.count(".") for key in (s.key for s in SETTINGS)) + 1


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        # Tables deeper than any setting stay one (unknown) key, so a file nested thousands
        # deep is refused by name instead of running into Python's recursion limit.
        if isinstance(value, Mapping) and key.count(".") < _DEPTH:
            flat.update(_flatten(value, key + "."))
        else:
            flat[key] = value
    return flat


def read_toml(path: Path) -> dict[str, Any]:
    """The file's tables; {} when there is no file. ConfigError says what is wrong with it."""
    try:
        if path.is_symlink() and not path.exists():
            raise ConfigError(
                f"{path} is a link to {os.readlink(path)}, which does not exist; "
                "restore that file, remove the link or give another file with --config"
            )
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix that line or move the file away") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text; save it as UTF-8 (without a byte order mark)") from None
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply to be a settings file; fix it or move it away") from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise ConfigError(f"{path}: not a usable settings file ({exc}); fix it or move it away") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc}); check that it is a readable file") from None


def load_config(
    path: Path | None = None,
    *,
    data_dir: Path | None = None,
    overrides: Mapping[str, str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Config:
    env = os.environ if environ is None else environ
    path = user_path(path or env.get("SYNCDECK_CONFIG") or default_config_path())
    data = user_path(data_dir or env.get("SYNCDECK_DATA_DIR") or default_data_dir())
    values = {s.key: s.default for s in SETTINGS}
    origins = dict.fromkeys(values, "default")

    for key, raw in _flatten(read_toml(path)).items():
        try:
            spec = setting(key)
        except ConfigError:
            shown = key if len(key) <= 80 else key[:77] + "…"
            raise ConfigError(
                f"{path}: unknown setting {shown!r}; `syncdeck config show` lists every setting"
            ) from None
        values[key] = spec.coerce(raw, str(path))
        origins[key] = "file"
    for spec in SETTINGS:
        if spec.env in env:
            values[spec.key] = spec.coerce(env[spec.env], spec.env)
            origins[spec.key] = "environment"
    for key, raw in (overrides or {}).items():
        values[key] = setting(key).coerce(raw, "--set")
        origins[key] = "command line"
    problems = check_together(values)  # rules that span settings (quality min <= max)
    if problems:
        raise ConfigError("; ".join(problems.values()))
    return Config(path, data, values, origins, dict(overrides or {}), environ, _mtime(path))


def save_config(path: Path, changes: Mapping[str, Any]) -> None:
    """Write changed settings into the TOML file, keeping other keys and a `.bak` copy.

    The values are validated first, the new file is written next to the old one and
    renamed over it, so a crash or a bad value never leaves a broken config behind.
    """
    document = read_toml(path)
    for key, raw in changes.items():
        value = setting(key).coerce(raw, "settings")
        table = document
        *parents, leaf = key.split(".")
        for part in parents:
            table = table.setdefault(part, {})
        table[leaf] = value
    tmp = path.with_suffix(".toml.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(tomli_w.dumps(document), encoding="utf-8")
        try:
            load_config(tmp, environ={})  # rules that span settings (quality min <= max) hold
        except ConfigError as exc:
            raise ConfigError(str(exc).replace(str(tmp), str(path))) from None
        if path.exists():
            shutil.copy2(path, path.with_suffix(".toml.bak"))
        os.replace(tmp, path)
    except OSError as exc:
        raise ConfigError(
            f"cannot write {path} ({exc.strerror or exc}); check the folder exists and may be written, "
            "or give another file with --config"
        ) from None
    finally:
        with contextlib.suppress(OSError):  # gone after the rename; anything else was reported above
            tmp.unlink(missing_ok=True)
