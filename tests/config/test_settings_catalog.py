"""The settings list is the one source: every setting is complete enough for the window, the
docs table is generated from it, and rules that span settings hold on every path in."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from core.config import load_config
from core.config import settings as catalog
from core.config.docs import BEGIN, END, replace_tables, tables
from core.config.settings import SECTIONS, SETTINGS, Setting, check_together
from core.engine.engine import Engine
from core.errors import ConfigError

CLI_DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


@pytest.mark.parametrize("spec", SETTINGS, ids=lambda s: s.key)
def test_every_setting_says_where_and_how_the_window_shows_it(spec: Setting) -> None:
    assert spec.section in {s.key for s in SECTIONS} - {"advanced"}
    assert spec.group and spec.label and spec.doc.endswith(".")
    assert spec.coerce(spec.default, "default") == spec.default
    if spec.choices and spec.kind is not list:
        assert spec.default in spec.choices
    assert set(spec.choice_labels) <= set(spec.choices)


def test_derived_placement_follows_the_key_prefix() -> None:
    spec = Setting("limits.fake_ms", int, 1, "A fake window.", minimum=1, maximum=10)
    assert (spec.section, spec.group, spec.label, spec.unit) == ("downloads", "Limits", "Fake ms", "ms")
    other = Setting("relay.webhook", str, "", "Where to post.")
    assert (other.section, other.group) == ("relay", "Relay")
    with pytest.raises(ValueError, match="unknown widget"):
        Setting("ui.x", str, "", "X.", widget="password")
    with pytest.raises(ValueError, match="lists its variables"):
        Setting("library.x_name", str, "", "X.", widget="template")
    with pytest.raises(ValueError, match="declares its minimum and maximum"):
        Setting("limits.unbounded", float, 1.0, "X.", minimum=0)


def test_every_action_names_an_engine_coroutine_for_a_known_setting() -> None:
    keys = {s.key for s in SETTINGS}
    for key, action in catalog.ACTIONS.items():
        assert key in keys
        assert inspect.iscoroutinefunction(getattr(Engine, action.method, None)), action.method


def test_the_cli_docs_list_every_setting_from_the_generated_tables() -> None:
    text = CLI_DOCS.read_text(encoding="utf-8")
    assert replace_tables(text) == text, "run: python -m core.config.docs --write docs/cli.md"
    generated = text[text.index(BEGIN) : text.index(END)]
    for spec in SETTINGS:
        assert f"| `{spec.key}` |" in generated
    assert (
        "| `limits.attempts` | `4` | Attempts per sub-task before giving up (1-4). At least 1 and at most 4. |"
        in tables()
    )


def test_a_new_setting_lands_in_the_docs_tables() -> None:
    fake = Setting("relay.webhook", str, "", "Where to post | notifications.")
    generated = tables((*SETTINGS, fake))
    assert generated.endswith("### Relay\n\n| setting | default | meaning |\n|---|---|---|\n"
                              "| `relay.webhook` | (empty) | Where to post \\| notifications. |")  # fmt: skip


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"quality.audio_min": "hires", "quality.audio_max": "192k"}, "quality.audio_min is better than"),
        ({"quality.video_min": "4k", "quality.video_max": "1080p"}, "quality.video_min is better than"),
        ({"limits.attempts": "5"}, "limits.attempts must be between 1 and 4"),
        ({"library.root": "relative/folder"}, "give a full path"),
        ({"library.time_format": "year"}, "has no date code"),
        ({"quality.codecs": ""}, "choose at least one codec"),
        ({"quality.video_max": "9k"}, "quality.video_max must be one of 8k, dolby, hdr"),
    ],
)
def test_values_the_window_rejects_are_rejected_everywhere(
    tmp_path: Path, overrides: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path / "config.toml", environ={}, overrides=overrides)


def test_rules_across_settings_name_the_setting_to_change() -> None:
    values = {s.key: s.default for s in SETTINGS}
    assert check_together(values) == {}
    values.update({"quality.video_min": "8k", "quality.video_max": "360p", "quality.audio_min": "nonsense"})
    assert check_together(values) == {"quality.video_min": "quality.video_min is better than quality.video_max"}
