"""Per-source filter rules: which videos of a source are worth downloading.

A rule set is an OR of AND-groups of conditions, as in bili-sync. Each condition tests one
field of a video, optionally negated. The same rules have three spellings:

- Python objects (`RuleSet`, `Condition`), validated on construction;
- JSON, stored with the source: a list of groups, each a list of
  `{"field": "duration", "operator": "gt", "value": 60, "not": true}` objects
  (`"not"` is omitted when false, `between` takes a two-element list);
- a compact text for the command line and the UI:
  `title icontains 教程 and duration > 60 or tags contains 音乐`, `not title contains 预告`,
  `pub_time between 2024-01-01 and 2024-06-30`, `multi_upper` (short for `multi_upper equals true`),
  `size < 2GiB and size > 100MiB` (bytes, with an optional unit: KB/MB/GB/TB or KiB/MiB/GiB/TiB).
  "and" binds tighter than "or"; values with spaces or quotes go in double quotes.

An empty rule set matches everything.
"""

from __future__ import annotations

import dataclasses
import json
import re
import re._constants as regex_constants  # the parsed form is the only way to spot (a+)+ reliably
import re._parser as regex_parser
import reprlib
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum, StrEnum
from typing import Any

from core.errors import ConfigError
from core.providers.protocols import MediaItem


class Field(StrEnum):
    TITLE = "title"
    TAGS = "tags"  # a text condition holds when it holds for any one tag
    FAV_TIME = "fav_time"
    PUB_TIME = "pub_time"
    PAGE_COUNT = "page_count"
    DURATION = "duration"  # seconds, summed over the pages
    MULTI_UPPER = "multi_upper"  # joint upload (several credited uploaders)
    SIZE = "size"  # bytes (a feed entry's enclosure length); an item of unknown size fails the test


class Operator(StrEnum):
    EQUALS = "equals"
    CONTAINS = "contains"
    ICONTAINS = "icontains"  # case-insensitive contains
    REGEX = "regex"  # re.search: anywhere in the text
    PREFIX = "prefix"
    SUFFIX = "suffix"
    GT = "gt"
    LT = "lt"
    BETWEEN = "between"  # inclusive at both ends


class _Kind(Enum):
    TEXT = "text"
    NUMBER = "number"
    TIME = "time"
    BOOL = "bool"


_FIELD_KIND = {
    Field.TITLE: _Kind.TEXT,
    Field.TAGS: _Kind.TEXT,
    Field.FAV_TIME: _Kind.TIME,
    Field.PUB_TIME: _Kind.TIME,
    Field.PAGE_COUNT: _Kind.NUMBER,
    Field.DURATION: _Kind.NUMBER,
    Field.MULTI_UPPER: _Kind.BOOL,
    Field.SIZE: _Kind.NUMBER,
}
_TEXT_OPERATORS = (
    Operator.EQUALS,
    Operator.CONTAINS,
    Operator.ICONTAINS,
    Operator.REGEX,
    Operator.PREFIX,
    Operator.SUFFIX,
)
_OPERATORS_BY_KIND = {
    _Kind.TEXT: _TEXT_OPERATORS,
    _Kind.NUMBER: (Operator.EQUALS, Operator.GT, Operator.LT, Operator.BETWEEN),
    # An exact instant almost never matches a video's time, so times have no `equals`.
    _Kind.TIME: (Operator.GT, Operator.LT, Operator.BETWEEN),
    _Kind.BOOL: (Operator.EQUALS,),
}
_SYMBOLS = {"=": Operator.EQUALS, "==": Operator.EQUALS, ">": Operator.GT, "<": Operator.LT}
_SYMBOL_OF = {Operator.GT: ">", Operator.LT: "<"}
_KEYWORDS = ("and", "or", "not")
_MAX_REGEX_LENGTH = 1000

# Error messages quote the offending input, but never a megabyte or a thousand levels of it.
_SHORT_REPR = reprlib.Repr()
_SHORT_REPR.maxstring = 80
_SHORT_REPR.maxother = 80
_SHORT_REPR.maxlevel = 3


def _shown(value: object) -> str:
    return _SHORT_REPR.repr(value)


Scalar = str | int | bool | datetime
Value = Scalar | tuple[int, int] | tuple[datetime, datetime]


@dataclass(frozen=True)
class FilterSubject:
    """What the rules look at for one video."""

    title: str
    tags: tuple[str, ...] = ()
    fav_time: datetime | None = None  # only favorites have one
    pub_time: datetime | None = None
    page_count: int = 1
    duration: int = 0  # seconds, all pages together
    multi_upper: bool = False
    size: int | None = None  # bytes; None = unknown

    @classmethod
    def from_item(cls, item: MediaItem) -> FilterSubject:
        """The one place a subject is built: from the item with its details (`complete`)."""
        parts_duration = sum(part.duration for part in item.parts)
        owner = item.owner.id if item.owner else None
        return cls(
            title=item.title,
            tags=tuple(item.tags),
            fav_time=item.added_at,
            pub_time=item.published_at,
            page_count=len(item.parts) or 1,
            duration=parts_duration or item.duration,
            # Whether or not the service lists the owner among the people, anyone else means joint.
            multi_upper=any(person.id != owner for person in item.people),
        )


def _field_names() -> str:
    return ", ".join(Field)


def _operator_names(kind: _Kind) -> str:
    return ", ".join(_OPERATORS_BY_KIND[kind])


def _nested_unbounded_repeat(pattern: Any, inside_repeat: bool = False) -> bool:
    """True when an unbounded repetition sits inside another, like `(a+)+` or `(\\w+\\s?)*`.

    Such patterns take exponential time on text that almost matches, and `re` has no timeout:
    one careless rule would stall every scan.
    """
    if isinstance(pattern, (list, tuple, regex_parser.SubPattern)):
        items = list(pattern)
        if (
            len(items) == 2
            and items[0] in (regex_constants.MAX_REPEAT, regex_constants.MIN_REPEAT)
            and isinstance(items[1], tuple)
        ):
            _low, high, body = items[1]
            unbounded = high == regex_constants.MAXREPEAT
            if unbounded and inside_repeat:
                return True
            return _nested_unbounded_repeat(body, inside_repeat or unbounded)
        return any(_nested_unbounded_repeat(child, inside_repeat) for child in items)
    return False


def _compile_regex(pattern: str) -> re.Pattern[str]:
    if len(pattern) > _MAX_REGEX_LENGTH:
        raise ConfigError(f"regular expression is longer than {_MAX_REGEX_LENGTH} characters")
    try:
        compiled = re.compile(pattern)
        nested = _nested_unbounded_repeat(regex_parser.parse(pattern))
    except re.error as exc:
        where = f" at character {exc.pos + 1}" if exc.pos is not None else ""
        raise ConfigError(f"bad regular expression {_shown(pattern)}: {exc.msg}{where}") from None
    except RecursionError:
        raise ConfigError("regular expression is nested too deeply") from None
    if nested:
        raise ConfigError(
            f"regular expression {_shown(pattern)} nests one repetition inside another (like (a+)+), "
            "which can take forever to evaluate; rewrite it without the nesting"
        )
    return compiled


def _check_scalar(field: Field, kind: _Kind, value: object) -> None:
    match kind:
        case _Kind.TEXT:
            if not isinstance(value, str):
                raise ConfigError(f"{field} needs a text value, got {_shown(value)}")
        case _Kind.NUMBER:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                unit = _NUMBER_UNITS.get(field, "")
                raise ConfigError(f"{field} needs a whole number{unit} (0 or more), got {_shown(value)}")
        case _Kind.TIME:
            if not isinstance(value, datetime) or value.utcoffset() is None:
                raise ConfigError(f"{field} needs a date-time with a time zone, got {_shown(value)}")
        case _Kind.BOOL:
            if not isinstance(value, bool):
                raise ConfigError(f"{field} needs true or false, got {_shown(value)}")


@dataclass(frozen=True)
class Condition:
    field: Field
    operator: Operator
    value: Value  # `between`: a (low, high) pair
    negate: bool = False
    _regex: re.Pattern[str] | None = dataclasses.field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            field = Field(self.field)
        except ValueError:
            raise ConfigError(f"unknown field {_shown(self.field)} (fields: {_field_names()})") from None
        kind = _FIELD_KIND[field]
        try:
            operator = Operator(self.operator)
        except ValueError:
            raise ConfigError(
                f"unknown operator {_shown(self.operator)} for {field} (use {_operator_names(kind)})"
            ) from None
        if operator not in _OPERATORS_BY_KIND[kind]:
            raise ConfigError(f"{field} cannot use {operator} (use {_operator_names(kind)})")
        value = self.value
        if operator is Operator.BETWEEN:
            if not isinstance(value, (tuple, list)) or len(value) != 2:
                raise ConfigError(f"{field} between needs two values, low and high; got {_shown(value)}")
            for bound in value:
                _check_scalar(field, kind, bound)
            value = (value[0], value[1])
            if value[0] > value[1]:
                raise ConfigError(f"{field} between: the low value comes after the high value")
        else:
            _check_scalar(field, kind, value)
        if not isinstance(self.negate, bool):
            raise ConfigError(f"'not' must be true or false, got {_shown(self.negate)}")
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "operator", operator)
        object.__setattr__(self, "value", value)
        if operator is Operator.REGEX:
            assert isinstance(value, str)
            object.__setattr__(self, "_regex", _compile_regex(value))

    def matches(self, subject: FilterSubject) -> bool:
        return self._holds(subject) != self.negate

    def _holds(self, subject: FilterSubject) -> bool:
        match self.field:
            case Field.TITLE:
                return self._text_holds(subject.title)
            case Field.TAGS:
                return any(self._text_holds(tag) for tag in subject.tags)
            case Field.FAV_TIME | Field.PUB_TIME:
                moment = subject.fav_time if self.field is Field.FAV_TIME else subject.pub_time
                if moment is None:  # a video that has no such time fails the test
                    return False
                if moment.utcoffset() is None:  # provider times without a zone are UTC
                    moment = moment.replace(tzinfo=UTC)
                return self._order_holds(moment)
            case Field.PAGE_COUNT:
                return self._order_holds(subject.page_count)
            case Field.DURATION:
                return self._order_holds(subject.duration)
            case Field.MULTI_UPPER:
                return subject.multi_upper == self.value
            case Field.SIZE:
                return subject.size is not None and self._order_holds(subject.size)
        raise AssertionError(self.field)

    def _text_holds(self, text: str) -> bool:
        value = self.value
        assert isinstance(value, str)
        match self.operator:
            case Operator.EQUALS:
                return text == value
            case Operator.CONTAINS:
                return value in text
            case Operator.ICONTAINS:
                return value.casefold() in text.casefold()
            case Operator.REGEX:
                assert self._regex is not None
                return self._regex.search(text) is not None
            case Operator.PREFIX:
                return text.startswith(value)
            case Operator.SUFFIX:
                return text.endswith(value)
        raise AssertionError(self.operator)

    def _order_holds(self, actual: Any) -> bool:
        value: Any = self.value
        match self.operator:
            case Operator.EQUALS:
                return bool(actual == value)
            case Operator.GT:
                return bool(actual > value)
            case Operator.LT:
                return bool(actual < value)
            case Operator.BETWEEN:
                return bool(value[0] <= actual <= value[1])
        raise AssertionError(self.operator)

    def to_dict(self) -> dict[str, Any]:
        value: Any = self.value
        value = [_json_scalar(bound) for bound in value] if isinstance(value, tuple) else _json_scalar(value)
        data: dict[str, Any] = {"field": str(self.field), "operator": str(self.operator), "value": value}
        if self.negate:
            data["not"] = True
        return data

    @classmethod
    def from_dict(cls, data: object) -> Condition:
        if not isinstance(data, dict):
            raise ConfigError(f"a condition must be an object, got {_shown(data)}")
        unknown = set(data) - {"field", "operator", "value", "not"}
        if unknown:
            raise ConfigError(f"unknown key {_shown(sorted(unknown)[0])} (keys: field, operator, value, not)")
        missing = [key for key in ("field", "operator", "value") if key not in data]
        if missing:
            raise ConfigError(f"condition lacks {', '.join(missing)}")
        field = data["field"]
        try:
            kind = _FIELD_KIND[Field(field)]
        except (ValueError, TypeError):
            raise ConfigError(f"unknown field {_shown(field)} (fields: {_field_names()})") from None
        raw = data["value"]
        value: Any
        if kind is _Kind.TIME:
            bounds = raw if isinstance(raw, list) else [raw]
            parsed = [_parse_time(Field(field), bound) if isinstance(bound, str) else bound for bound in bounds]
            value = parsed if isinstance(raw, list) else parsed[0]
        else:
            value = raw
        return cls(field=field, operator=data["operator"], value=value, negate=data.get("not", False))

    def describe(self) -> str:
        operator = _SYMBOL_OF.get(self.operator, str(self.operator))
        shown = _size_text if self.field is Field.SIZE else _text_scalar
        if isinstance(self.value, tuple):
            low, high = (shown(bound) for bound in self.value)  # type: ignore[arg-type]
            text = f"{self.field} {operator} {low} and {high}"
        else:
            text = f"{self.field} {operator} {shown(self.value)}"  # type: ignore[arg-type]
        return f"not {text}" if self.negate else text


_NUMBER_UNITS = {Field.DURATION: " of seconds", Field.SIZE: " of bytes, or a size like 2GiB"}
_SIZE_UNITS = {
    "": 1, "b": 1, "k": 1000, "kb": 1000, "m": 1000**2, "mb": 1000**2, "g": 1000**3, "gb": 1000**3,
    "t": 1000**4, "tb": 1000**4, "kib": 1024, "mib": 1024**2, "gib": 1024**3, "tib": 1024**4,
}  # fmt: skip
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]*)", re.IGNORECASE)


def parse_size(text: str) -> int | None:
    """ "2GiB" → 2147483648, "1.5 GB" → 1500000000, "700" → 700; None when it is not a size."""
    match = _SIZE.fullmatch(text.strip()) if text.isascii() else None
    if match is None or match[2].lower() not in _SIZE_UNITS:
        return None
    return round(float(match[1]) * _SIZE_UNITS[match[2].lower()])


def _size_text(value: int) -> str:
    for unit in ("TiB", "TB", "GiB", "GB", "MiB", "MB", "KiB", "KB"):
        step = _SIZE_UNITS[unit.lower()]
        if value and value % step == 0:
            return f"{value // step}{unit}"
    return str(value)


def _json_scalar(value: Scalar) -> str | int | bool:
    return value.isoformat() if isinstance(value, datetime) else value


def _text_scalar(value: Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if value and value.lower() not in _KEYWORDS and not re.search(r"[\s\"'=<>]", value):
        return value  # a bare word: backslashes in it are literal
    return '"' + _QUOTE_ESCAPES.sub(r"\\\g<0>", value) + '"'


# Inside quotes only \\, \" and \' are escapes and any other backslash is literal, so regexes
# read as typed ("第\d+集"). Hence only a quote, or a backslash that would otherwise pair up with
# what follows it (or with the closing quote), needs a backslash in front.
_QUOTE_ESCAPES = re.compile(r'"|\\(?=[\\"\']|\Z)')
_QUOTE_UNESCAPES = re.compile(r"\\([\\\"'])")


def _parse_time(field: Field, text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(
            f"{field} needs a date or date-time like 2024-05-01 or 2024-05-01T08:00:00+08:00, got {_shown(text)}"
        ) from None
    # A date typed without a zone means the user's own clock.
    return moment if moment.utcoffset() is not None else moment.astimezone()


@dataclass(frozen=True)
class RuleSet:
    groups: tuple[tuple[Condition, ...], ...] = ()  # OR of AND-groups

    def __post_init__(self) -> None:
        groups = tuple(tuple(group) for group in self.groups)
        for group in groups:
            if not group:
                raise ConfigError("a group of conditions joined by 'and' cannot be empty")
            for condition in group:
                if not isinstance(condition, Condition):
                    raise ConfigError(f"not a condition: {_shown(condition)}")
        object.__setattr__(self, "groups", groups)

    def matches(self, subject: FilterSubject) -> bool:
        if not self.groups:
            return True
        return any(all(condition.matches(subject) for condition in group) for group in self.groups)

    def to_json(self) -> str:
        return json.dumps([[condition.to_dict() for condition in group] for group in self.groups], ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> RuleSet:
        """Rules stored as JSON; an empty string (nothing stored) is the empty rule set."""
        if not text.strip():
            return cls()
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ConfigError(f"filter rules are not valid JSON: {exc}") from None
        except RecursionError:
            raise ConfigError("filter rules are nested too deeply to be rules") from None
        if not isinstance(data, list):
            raise ConfigError("filter rules must be a JSON list of groups, each a list of conditions")
        groups: list[tuple[Condition, ...]] = []
        for group_number, group in enumerate(data, start=1):
            if not isinstance(group, list) or not group:
                raise ConfigError(f"filter rules, group {group_number}: must be a non-empty list of conditions")
            conditions = []
            for condition_number, item in enumerate(group, start=1):
                try:
                    conditions.append(Condition.from_dict(item))
                except ConfigError as exc:
                    raise ConfigError(
                        f"filter rules, group {group_number}, condition {condition_number}: {exc}"
                    ) from None
            groups.append(tuple(conditions))
        return cls(tuple(groups))

    def describe(self) -> str:
        """The rules in the text syntax; `parse_rules` turns it back into an equal rule set."""
        return " or ".join(" and ".join(condition.describe() for condition in group) for group in self.groups)


@dataclass(frozen=True)
class _Token:
    text: str
    position: int  # 1-based character position in the input, for error messages
    kind: str  # "word", "quoted" or "symbol"

    def is_keyword(self, keyword: str) -> bool:
        return self.kind == "word" and self.text.lower() == keyword


_TOKEN = re.compile(
    r"""(?P<quoted>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(?P<symbol>==|[=<>])|(?P<word>[^\s"'=<>]+)""",
    re.DOTALL,
)


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    index = 0
    while index < len(text):
        if text[index].isspace():
            index += 1
            continue
        match = _TOKEN.match(text, index)
        if match is None:  # only an opening quote without its closing one gets here
            raise ConfigError(f"filter rules, position {index + 1}: the quote opened here is never closed")
        kind = match.lastgroup
        assert kind is not None
        raw = match.group()
        value = _QUOTE_UNESCAPES.sub(r"\1", raw[1:-1]) if kind == "quoted" else raw
        tokens.append(_Token(value, index + 1, kind))
        index = match.end()
    return tokens


class _RuleParser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.index = 0
        self.end_position = len(text) + 1

    def fail(self, token: _Token | None, problem: str) -> ConfigError:
        position = token.position if token is not None else self.end_position
        return ConfigError(f"filter rules, position {position}: {problem}")

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, expected: str) -> _Token:
        token = self.peek()
        if token is None:
            raise self.fail(None, f"the rules end where {expected} should follow")
        self.index += 1
        return token

    def parse(self) -> RuleSet:
        if not self.tokens:
            return RuleSet()
        groups = [self.group()]
        while (token := self.peek()) is not None:
            if not token.is_keyword("or"):
                raise self.fail(token, f"expected 'and' or 'or' before {_shown(token.text)}")
            self.index += 1
            groups.append(self.group())
        return RuleSet(tuple(groups))

    def group(self) -> tuple[Condition, ...]:
        conditions = [self.condition()]
        while (token := self.peek()) is not None and token.is_keyword("and"):
            self.index += 1
            conditions.append(self.condition())
        return tuple(conditions)

    def condition(self) -> Condition:
        first = self.take("a condition")
        negate = first.is_keyword("not")
        field_token = self.take("a field") if negate else first
        try:
            field = Field(field_token.text.lower()) if field_token.kind == "word" else None
        except ValueError:
            field = None
        if field is None:
            raise self.fail(field_token, f"unknown field {_shown(field_token.text)} (fields: {_field_names()})")
        kind = _FIELD_KIND[field]

        following = self.peek()
        if kind is _Kind.BOOL and (following is None or following.is_keyword("and") or following.is_keyword("or")):
            return Condition(field, Operator.EQUALS, True, negate)

        operator_token = self.take(f"an operator for {field}")
        operator = _SYMBOLS.get(operator_token.text) if operator_token.kind == "symbol" else None
        if operator_token.kind == "word" and operator_token.text.lower() in set(Operator):
            operator = Operator(operator_token.text.lower())
        if operator is None:
            raise self.fail(
                operator_token,
                f"unknown operator {_shown(operator_token.text)} for {field} (use {_operator_names(kind)})",
            )
        if operator not in _OPERATORS_BY_KIND[kind]:
            raise self.fail(operator_token, f"{field} cannot use {operator} (use {_operator_names(kind)})")

        value_token = self.peek()
        value: Any
        if operator is Operator.BETWEEN:
            low = self.value(field, kind)
            and_token = self.take("'and' and the high value")
            if not and_token.is_keyword("and"):
                raise self.fail(and_token, f"between takes two values: {field} between LOW and HIGH")
            value = (low, self.value(field, kind))
        else:
            value = self.value(field, kind)
        try:
            return Condition(field, operator, value, negate)
        except ConfigError as exc:  # the value itself is wrong: a bad regex, low above high
            raise self.fail(value_token, str(exc)) from None

    def value(self, field: Field, kind: _Kind) -> Any:
        token = self.take(f"a value for {field}")
        if token.kind == "symbol":
            raise self.fail(token, f"expected a value for {field}, got {_shown(token.text)} (quote it if you mean it)")
        text = token.text
        match kind:
            case _Kind.TEXT:
                return text
            case _Kind.NUMBER:
                if field is Field.SIZE and (size := parse_size(text)) is not None:
                    return size
                if not text.isascii() or not text.isdigit():
                    unit = _NUMBER_UNITS.get(field, "")
                    raise self.fail(token, f"{field} needs a whole number{unit}, got {_shown(text)}")
                return int(text)
            case _Kind.TIME:
                try:
                    return _parse_time(field, text)
                except ConfigError as exc:
                    raise self.fail(token, str(exc)) from None
            case _Kind.BOOL:
                if text.lower() not in ("true", "false"):
                    raise self.fail(token, f"{field} needs true or false, got {_shown(text)}")
                return text.lower() == "true"
        raise AssertionError(kind)


def parse_rules(text: str) -> RuleSet:
    """Rules in the text syntax (see the module docstring); empty text is the empty rule set."""
    return _RuleParser(text).parse()
