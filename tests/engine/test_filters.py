"""Per-source filter rules: what they match, how they are written, what they refuse."""

from __future__ import annotations

import json
import re
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from core.engine.filters import Condition, Field, FilterSubject, Operator, RuleSet, parse_rules
from core.errors import ConfigError
from core.providers.protocols import MediaItem, MediaPart, Person

CST = timezone(timedelta(hours=8))

VIDEO = FilterSubject(
    title="【Python教程】第3集：Lists and Dicts",
    tags=("编程", "音乐现场", "Python"),
    fav_time=datetime(2024, 5, 1, 12, 0, tzinfo=UTC),
    pub_time=datetime(2024, 3, 15, 20, 0, tzinfo=CST),
    page_count=3,
    duration=1800,
    multi_upper=False,
)


def matches(text: str, subject: FilterSubject = VIDEO) -> bool:
    return parse_rules(text).matches(subject)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ('title equals "【Python教程】第3集：Lists and Dicts"', True),
        ('title equals "【python教程】第3集：lists and dicts"', False),
        ("title contains 教程", True),
        ("title contains python", False),
        ("title icontains PYTHON", True),
        ("title icontains LISTS", True),
        (r'title regex "第\d+集"', True),
        (r'title regex "^第\d+集"', False),
        ("title prefix 【Python", True),
        ("title prefix Python", False),
        ("title suffix Dicts", True),
        ("title suffix dicts", False),
    ],
)
def test_text_operators_on_title(rule: str, expected: bool) -> None:
    assert matches(rule) is expected


def test_icontains_folds_case_beyond_ascii() -> None:
    assert matches("title icontains STRASSE", FilterSubject(title="Die Straße"))


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("tags equals 编程", True),
        ("tags equals 音乐", False),
        ("tags contains 音乐", True),
        ("tags icontains python", True),
        ("tags prefix 音乐", True),
        ("tags suffix 现场", True),
        ('tags regex "^Py"', True),
        ("tags contains 游戏", False),
    ],
)
def test_tag_conditions_hold_when_any_tag_satisfies_them(rule: str, expected: bool) -> None:
    assert matches(rule) is expected


def test_video_without_tags_fails_tag_conditions_unless_negated() -> None:
    untagged = FilterSubject(title="x")
    assert not matches("tags contains 音乐", untagged)
    assert matches("not tags contains 音乐", untagged)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("duration > 1799", True),
        ("duration > 1800", False),
        ("duration gt 60", True),
        ("duration < 1801", True),
        ("duration lt 1800", False),
        ("duration = 1800", True),
        ("duration == 1801", False),
        ("duration equals 1800", True),
        ("duration between 1800 and 3600", True),
        ("duration between 60 and 1800", True),
        ("duration between 60 and 1799", False),
        ("page_count > 1", True),
        ("page_count equals 3", True),
        ("page_count between 1 and 2", False),
    ],
)
def test_number_operators(rule: str, expected: bool) -> None:
    assert matches(rule) is expected


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        # pub_time is 2024-03-15 20:00 at +08:00, i.e. 12:00 UTC
        ("pub_time > 2024-03-15T11:59:59+00:00", True),
        ("pub_time > 2024-03-15T12:00:00Z", False),
        ("pub_time < 2024-03-15T20:00:01+08:00", True),
        ("pub_time lt 2024-03-15T20:00:00+08:00", False),
        ("pub_time between 2024-03-15T12:00:00+00:00 and 2024-03-16T00:00:00+00:00", True),
        ("pub_time between 2024-01-01T00:00:00+00:00 and 2024-03-15T11:00:00+00:00", False),
        ("fav_time > 2024-04-30T00:00:00+00:00", True),
        ("fav_time lt 2024-04-30T00:00:00+00:00", False),
    ],
)
def test_time_operators_compare_instants_across_zones(rule: str, expected: bool) -> None:
    assert matches(rule) is expected


def test_a_missing_time_fails_the_condition() -> None:
    not_a_favorite = FilterSubject(title="x", fav_time=None, pub_time=datetime(2024, 1, 1, tzinfo=UTC))
    assert not matches("fav_time > 2000-01-01T00:00:00+00:00", not_a_favorite)
    assert not matches("fav_time < 2100-01-01T00:00:00+00:00", not_a_favorite)
    assert matches("not fav_time < 2100-01-01T00:00:00+00:00", not_a_favorite)


def test_subject_times_without_zone_are_taken_as_utc() -> None:
    naive = FilterSubject(title="x", pub_time=datetime(2024, 1, 1, 12, 0))
    assert matches("pub_time > 2024-01-01T19:59:00+08:00", naive)
    assert not matches("pub_time > 2024-01-01T20:00:00+08:00", naive)


def test_dates_without_zone_mean_the_local_clock() -> None:
    rules = parse_rules("pub_time > 2024-01-01")
    (condition,) = rules.groups[0]
    assert condition.value == datetime(2024, 1, 1).astimezone()


def test_joint_uploads() -> None:
    joint = FilterSubject(title="x", multi_upper=True)
    assert matches("multi_upper", joint)
    assert not matches("multi_upper")
    assert matches("not multi_upper")
    assert matches("multi_upper equals false")
    assert not matches("multi_upper equals FALSE", joint)


def test_and_binds_tighter_than_or() -> None:
    rules = "title contains 游戏 and duration > 60 or tags contains 音乐"
    # (false and true) or true
    assert matches(rules)
    # (false and true) or false
    assert not matches(rules, FilterSubject(title="教程", duration=100))
    # (true and false) or false
    assert not matches(rules, FilterSubject(title="游戏", duration=10))
    # (true and true) or false
    assert matches(rules, FilterSubject(title="游戏", duration=100))
    assert len(parse_rules(rules).groups) == 2


def test_negation_applies_to_one_condition() -> None:
    assert matches("not title contains 预告")
    assert not matches("not title contains 教程")
    assert matches("not title contains 预告 and not duration < 60")
    assert not matches("not title contains 预告 and not duration > 60")


def test_keywords_fields_and_operators_ignore_case() -> None:
    assert matches("NOT Title CONTAINS 预告 AND Duration GT 60 OR tags contains x")


def test_empty_rules_match_everything() -> None:
    for rules in (
        RuleSet(),
        parse_rules(""),
        parse_rules("   "),
        RuleSet.from_json(""),
        RuleSet.from_json("[]"),
    ):
        assert rules == RuleSet()
        assert rules.matches(FilterSubject(title=""))
        assert rules.describe() == ""


RICH_RULES = (
    'title icontains "hello world" and not tags contains 预告 and duration between 60 and 3600 '
    "or pub_time > 2024-01-01T00:00:00+08:00 and page_count < 5 and multi_upper equals true "
    "or fav_time between 2023-01-01T00:00:00+00:00 and 2023-12-31T23:59:59+00:00 "
    r'or title regex ^\[(中字|熟肉)\]$ and title equals "say \"hi\" \ or" and title suffix "" '
    'and not title prefix "a=b<c>"'
)


def test_text_round_trip_is_exact() -> None:
    rules = parse_rules(RICH_RULES)
    assert rules.describe() == RICH_RULES
    assert parse_rules(rules.describe()) == rules


@pytest.mark.parametrize(
    "value",
    [
        "",
        " ",
        "or",
        "AND",
        "it's",
        'say "hi"',
        "a=b",
        "<",
        "tab\there\nnewline",
        "\\",
        "end\\",
        '\\"',
        "\\'",
        r"C:\Program Files\\",
        r"第\d+集",
        r"\"quoted\" and \\",
    ],
)
def test_any_text_value_survives_the_text_round_trip(value: str) -> None:
    rules = RuleSet(((Condition(Field.TITLE, Operator.EQUALS, value),),))
    assert parse_rules(rules.describe()) == rules


def test_regex_backslashes_are_read_as_typed() -> None:
    rules = parse_rules(r'title regex "第\d+集" or title regex \bLists\b')
    assert [group[0].value for group in rules.groups] == [r"第\d+集", r"\bLists\b"]
    assert rules.describe() == r"title regex 第\d+集 or title regex \bLists\b"


def test_describe_normalises_spelling() -> None:
    rules = parse_rules("  TITLE   contains 'single quoted'   AND duration GT 60 or NOT multi_upper ")
    assert rules.describe() == 'title contains "single quoted" and duration > 60 or not multi_upper equals true'


def test_json_round_trip_and_shape() -> None:
    rules = parse_rules(RICH_RULES)
    stored = rules.to_json()
    assert RuleSet.from_json(stored) == rules
    data = json.loads(stored)
    assert data[0][1] == {"field": "tags", "operator": "contains", "value": "预告", "not": True}
    assert data[0][2] == {"field": "duration", "operator": "between", "value": [60, 3600]}
    assert data[1][0] == {"field": "pub_time", "operator": "gt", "value": "2024-01-01T00:00:00+08:00"}
    assert data[1][2] == {"field": "multi_upper", "operator": "equals", "value": True}
    assert "预告" in stored  # readable in the database, not \\u-escaped


def test_rules_built_in_python_validate_and_compare() -> None:
    built = RuleSet(((Condition("title", "contains", "教程"), Condition(Field.DURATION, Operator.GT, 60)),))
    assert built == parse_rules("title contains 教程 and duration > 60")
    assert built.groups[0][0].field is Field.TITLE
    with pytest.raises(ConfigError, match="duration needs a whole number of seconds"):
        Condition(Field.DURATION, Operator.GT, "60")
    with pytest.raises(ConfigError, match="pub_time needs a date-time with a time zone"):
        Condition(Field.PUB_TIME, Operator.GT, datetime(2024, 1, 1))
    with pytest.raises(ConfigError, match="cannot be empty"):
        RuleSet(((),))


def test_the_subject_of_an_item_counts_its_parts_and_its_people() -> None:
    owner = Person("1", "UP")
    pubtime = datetime(2024, 3, 15, tzinfo=UTC)
    item = MediaItem(
        key="BV1xx", title="detail title", owner=owner, published_at=pubtime,
        added_at=datetime(2024, 5, 1, tzinfo=UTC), duration=150, tags=("音乐",), complete=True,
        people=(Person("1", "UP", role="UP主"), Person("2", "Guest", role="剪辑")),
        parts=(MediaPart("10", 1, "a", 100), MediaPart("11", 2, "b", 50)),
    )  # fmt: skip
    assert FilterSubject.from_item(item) == FilterSubject(
        title="detail title",
        tags=("音乐",),
        fav_time=datetime(2024, 5, 1, tzinfo=UTC),
        pub_time=pubtime,
        page_count=2,
        duration=150,
        multi_upper=True,
    )
    assert not FilterSubject.from_item(replace(item, people=())).multi_upper
    assert not FilterSubject.from_item(replace(item, people=(owner,))).multi_upper, "the owner alone is no joint work"
    episode = MediaItem(key="ep1", title="第1话", duration=1400, complete=True, parts=(MediaPart("9", 1, "第1话"),))
    assert FilterSubject.from_item(episode).duration == 1400, "parts without a duration fall back to the item's"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("titel contains x", "position 1: unknown field 'titel' (fields: title, tags,"),
        ("title bigger x", "position 7: unknown operator 'bigger' for title (use equals, contains"),
        ("title > x", "position 7: title cannot use gt"),
        ("pub_time equals 2024-01-01", "position 10: pub_time cannot use equals (use gt, lt, between)"),
        ("multi_upper contains x", "position 13: multi_upper cannot use contains"),
        ("duration > 1.5", "position 12: duration needs a whole number of seconds, got '1.5'"),
        ("duration > -5", "position 12: duration needs a whole number of seconds"),
        ("page_count > ３", "position 14: page_count needs a whole number, got '３'"),
        ("pub_time > yesterday", "position 12: pub_time needs a date or date-time like 2024-05-01"),
        ("multi_upper equals maybe", "position 20: multi_upper needs true or false"),
        ("duration between 600 and 60", "position 18: duration between: the low value comes after the high"),
        ("duration between 60 or 600", "position 21: between takes two values"),
        ("title contains", "position 15: the rules end where a value for title should follow"),
        ("title contains x and", "position 21: the rules end where a condition should follow"),
        ("title contains x y", "position 18: expected 'and' or 'or' before 'y'"),
        ("title contains =", "position 16: expected a value for title, got '='"),
        ('title contains "open', "position 16: the quote opened here is never closed"),
        ('"title" contains x', "position 1: unknown field 'title'"),
        ("not not title contains x", "position 5: unknown field 'not'"),
        ("(title contains x)", "position 1: unknown field '(title'"),
    ],
)
def test_text_errors_point_at_the_problem(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_rules(text)
    assert str(error.value).startswith("filter rules, ")
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (
            "(unclosed",
            "bad regular expression '(unclosed': missing ), unterminated subpattern at character 1",
        ),
        ("[z-a]", "bad regular expression '[z-a]': bad character range z-a at character 2"),
        ("(a+)+$", "nests one repetition inside another"),
        (r"(\w+\s?)*$", "nests one repetition inside another"),
        ("(?:x*y*)*z", "nests one repetition inside another"),
        ("a" * 1001, "longer than 1000 characters"),
        ("(" * 450 + ")" * 450, "regular expression is nested too deeply"),
    ],
)
def test_bad_and_dangerous_regexes_are_refused(pattern: str, message: str) -> None:
    with pytest.raises(ConfigError, match="position 13: .*" + re.escape(message)):
        parse_rules(f"title regex {json.dumps(pattern)}")


def test_bounded_repetition_is_allowed() -> None:
    assert matches(r'title regex "(第\d{1,3}集)+"')
    assert matches(r'title regex "^【[^】]+】"')


@pytest.mark.parametrize(
    ("stored", "message"),
    [
        ("{", "filter rules are not valid JSON"),
        ('{"field": "title"}', "must be a JSON list of groups"),
        ("[{}]", "group 1: must be a non-empty list of conditions"),
        ("[[]]", "group 1: must be a non-empty list of conditions"),
        ('[["title"]]', "group 1, condition 1: a condition must be an object"),
        ('[[{"field": "titel", "operator": "contains", "value": "x"}]]', "unknown field 'titel'"),
        ('[[{"field": "title", "operator": "has", "value": "x"}]]', "unknown operator 'has' for title"),
        ('[[{"field": "title", "operator": "contains"}]]', "condition lacks value"),
        ('[[{"field": "title", "operator": "contains", "value": "x", "nto": true}]]', "unknown key 'nto'"),
        ('[[{"field": "title", "operator": "contains", "value": 5}]]', "title needs a text value, got 5"),
        ('[[{"field": "duration", "operator": "gt", "value": "60"}]]', "duration needs a whole number"),
        ('[[{"field": "duration", "operator": "gt", "value": true}]]', "duration needs a whole number"),
        ('[[{"field": "duration", "operator": "gt", "value": 1.5}]]', "duration needs a whole number"),
        ('[[{"field": "duration", "operator": "between", "value": [1]}]]', "between needs two values"),
        (
            '[[{"field": "pub_time", "operator": "gt", "value": 1700000000}]]',
            "needs a date-time with a time zone",
        ),
        (
            '[[{"field": "pub_time", "operator": "gt", "value": "soon"}]]',
            "pub_time needs a date or date-time",
        ),
        ('[[{"field": "multi_upper", "operator": "equals", "value": "yes"}]]', "needs true or false"),
        (
            '[[{"field": "title", "operator": "contains", "value": "x", "not": "yes"}]]',
            "'not' must be true or false",
        ),
        (
            '[[{"field": "title", "operator": "contains", "value": "x"}], [{"field": 7}]]',
            "group 2, condition 1",
        ),
    ],
)
def test_json_errors_point_at_the_problem(stored: str, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        RuleSet.from_json(stored)


@pytest.mark.timeout(10)
def test_hostile_input_fails_fast_with_short_messages() -> None:
    started = time.perf_counter()
    with pytest.raises(ConfigError) as deep:
        RuleSet.from_json("[" * 200_000 + "]" * 200_000)
    assert len(str(deep.value)) < 300
    deep_value = json.dumps([[{"field": "title", "operator": "contains", "value": [[[[[[[[["x"]]]]]]]]]}]])
    with pytest.raises(ConfigError, match="title needs a text value") as nested:
        RuleSet.from_json(deep_value)
    assert len(str(nested.value)) < 300
    with pytest.raises(ConfigError, match="unknown field") as huge:
        parse_rules("x" * 1_000_000 + " contains y")
    assert len(str(huge.value)) < 300
    many = " or ".join(f"title contains w{i}" for i in range(5000))
    assert not parse_rules(many).matches(VIDEO)
    assert time.perf_counter() - started < 5


def test_regex_on_hostile_titles_stays_fast() -> None:
    rules = parse_rules(r'title regex "^(a|b)+c$"')
    started = time.perf_counter()
    assert not rules.matches(FilterSubject(title="ab" * 5000))
    assert time.perf_counter() - started < 1


def test_size_takes_units_and_an_unknown_size_fails() -> None:
    rules = parse_rules("size<2GiB and size > 100MiB")
    assert rules.describe() == "size < 2GiB and size > 100MiB"
    assert parse_rules(rules.describe()) == rules and RuleSet.from_json(rules.to_json()) == rules
    assert rules.matches(FilterSubject("film", size=700 * 2**20))
    assert not rules.matches(FilterSubject("remux", size=3 * 2**30))
    assert not rules.matches(FilterSubject("magnet without a size"))
    assert parse_rules("size between 1.5GB and 2GB").describe() == "size between 1500MB and 2GB"
    with pytest.raises(ConfigError, match="size needs a whole number of bytes, or a size like 2GiB, got '2XB'"):
        parse_rules("size < 2XB")
