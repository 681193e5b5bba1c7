from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path, PurePosixPath

import pytest

from core.errors import ConfigError, SyncDeckError
from core.library.naming import (
    BANGUMI_VARIABLES,
    MAX_NAME_BYTES,
    PAGE_VARIABLES,
    VIDEO_VARIABLES,
    check_template,
    render,
    resolve_inside,
    safe_relpath,
    sanitize_name,
)

VIDEO = {
    "bvid": "BV1GJ411x7h7",
    "title": "【4K】Never Gonna Give You Up",
    "upper_name": "索尼音乐",
    "upper_mid": 12345,
    "pubtime": datetime(2024, 3, 9, 21, 30),
    "fav_time": datetime(2024, 5, 1, 8, 0),
    "source_name": "收藏夹",
}


def test_variables_and_dates_are_filled_in() -> None:
    assert render("{{upper_name}} - {{title}} ({{pubtime}})", VIDEO) == (
        "索尼音乐 - 【4K】Never Gonna Give You Up (2024-03-09)"
    )
    assert render("{{ bvid }}_{{fav_time}}", VIDEO, time_format="%Y%m%d %H%M") == "BV1GJ411x7h7_20240501 0800"


def test_truncate_shortens_a_long_value() -> None:
    assert render("{{truncate title 7}}", VIDEO) == "【4K】Nev"
    assert render("{{truncate  bvid 100}}", VIDEO) == "BV1GJ411x7h7"


def test_slash_in_template_makes_folders_but_slash_in_value_does_not() -> None:
    values = {**VIDEO, "title": "AC/DC: Back in Black", "upper_name": "a\\b"}
    rendered = render("{{source_name}}/{{upper_name}}/{{title}}", values)
    assert rendered == "收藏夹/a_b/AC_DC_ Back in Black"
    assert safe_relpath(rendered).parts == ("收藏夹", "a_b", "AC_DC_ Back in Black")


def test_hostile_values_cannot_climb_out() -> None:
    for hostile in ("../../etc", "..", ".", "/etc/passwd", "C:\\Windows\\System32"):
        rendered = render("{{title}}", {"title": hostile})
        path = safe_relpath(rendered)
        assert ".." not in path.parts and not path.is_absolute()
        assert len(path.parts) == 1


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("CON", "CON_"),
        ("con.txt", "con_.txt"),
        ("CON.txt", "CON_.txt"),
        ("Aux.tar.gz", "Aux_.tar.gz"),
        ("LPT9", "LPT9_"),
        ("COM1 .mp4", "COM1 _.mp4"),
        ("COM10", "COM10"),
        ("CONSOLE", "CONSOLE"),
        ('a<b>c:d"e|f?g*h', "a_b_c_d_e_f_g_h"),
        ("tab\there\x00nul\x1besc\x7f", "tab_here_nul_esc_"),
        ("  spaced out  ", "spaced out"),
        ("...hidden", "___hidden"),
        ("trailing dots...", "trailing dots___"),
        ("", "_"),
        ("   ", "_"),
    ],
)
def test_names_are_safe_on_every_system(name: str, safe: str) -> None:
    assert sanitize_name(name) == safe
    assert sanitize_name(safe) == safe  # idempotent


def test_empty_segments_become_underscores() -> None:
    assert render("{{source_name}}//{{upper_name}}", {**VIDEO, "upper_name": ""}) == "收藏夹/_/_"


def test_long_cjk_title_fits_the_file_name_limit(tmp_path: Path) -> None:
    rendered = render("{{title}}", {"title": "长标题" * 100})  # 300 characters, 900 bytes
    assert len(rendered.encode()) <= MAX_NAME_BYTES
    assert rendered == "长标题" * (MAX_NAME_BYTES // 9) + "长标题"[: (MAX_NAME_BYTES % 9) // 3]
    # Real files with the longest suffixes the library adds, plus a temporary-file suffix.
    for suffix in (" - S01E999.zh-CN.default.ass", ".audio.m4s.part.json"):
        name = f".{rendered}{suffix}.0123abcd.tmp"
        assert len(name.encode()) <= 255
        (tmp_path / name).write_bytes(b"ok")


def test_emoji_are_kept_and_never_cut_in_half(tmp_path: Path) -> None:
    title = "🎉👨‍👩‍👧‍👦 party " * 40
    rendered = render("{{title}}", {"title": title})
    assert rendered.startswith("🎉👨‍👩‍👧‍👦 party")
    encoded = rendered.encode("utf-8")  # a half character would raise
    assert len(encoded) <= MAX_NAME_BYTES
    (tmp_path / rendered).mkdir()


def test_names_are_normalised_to_nfc() -> None:
    assert sanitize_name("Cafe\u0301") == "Caf\u00e9"


def test_check_template_accepts_known_variables() -> None:
    check_template("{{source_name}}/{{upper_name}}/{{truncate title 50}}", VIDEO_VARIABLES)
    check_template("{{series_title}} S{{season_pad}}")  # by default any template's variables
    check_template("{{ptitle}} P{{pid_pad}}", PAGE_VARIABLES)
    check_template("{{series_title}} S{{season_pad}}E{{episode_pad}}", BANGUMI_VARIABLES)
    assert VIDEO_VARIABLES < PAGE_VARIABLES < BANGUMI_VARIABLES


@pytest.mark.parametrize(
    ("template", "variables", "message"),
    [
        ("{{title}} {{nope}} {{also_not}}", VIDEO_VARIABLES, "also_not, nope"),
        ("{{ptitle}}", VIDEO_VARIABLES, "ptitle"),
        ("{{title", VIDEO_VARIABLES, "unclosed"),
        ("title}}", VIDEO_VARIABLES, "unclosed"),
        ("{{truncate title 0}}", VIDEO_VARIABLES, "positive length"),
        ("{{truncate title}}", VIDEO_VARIABLES, "cannot understand"),
        ("{{upper title}}", VIDEO_VARIABLES, "cannot understand"),
        ("  ", VIDEO_VARIABLES, "empty"),
    ],
)
def test_check_template_names_the_problem(template: str, variables: frozenset[str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        check_template(template, variables)


def test_render_without_a_value_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="ptitle"):
        render("{{ptitle}}", VIDEO)


def test_resolve_inside_accepts_nested_paths(tmp_path: Path) -> None:
    inside = resolve_inside(tmp_path, PurePosixPath("收藏夹/a/b.mp4"))
    assert inside == tmp_path.resolve() / "收藏夹" / "a" / "b.mp4"
    assert resolve_inside(tmp_path, "x") == tmp_path.resolve() / "x"


@pytest.mark.parametrize("escape", ["../outside", "a/../../outside", "/etc/passwd", "C:\\Windows", "a\\..\\..\\x"])
def test_resolve_inside_refuses_escapes(tmp_path: Path, escape: str) -> None:
    root = tmp_path / "library"
    root.mkdir()
    with pytest.raises(SyncDeckError, match="Refusing"):
        resolve_inside(root, escape)


def test_resolve_inside_refuses_a_symlink_leading_out(tmp_path: Path) -> None:
    root = tmp_path / "library"
    root.mkdir()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    os.symlink(outside, root / "link")
    with pytest.raises(SyncDeckError, match="outside"):
        resolve_inside(root, "link/video.mp4")
