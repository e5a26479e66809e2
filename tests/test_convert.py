"""Plain data into typed structs (``briefing.convert``): the shorthands, and every message in
the project's words. msgspec's own messages are matched by patterns here: a release that
rewords one fails this test, not a user."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar, Literal

import msgspec
import pytest

from briefing.convert import FieldError, field_rows, json_schema, load, load_fields


class Kind(msgspec.Struct, frozen=True):
    pass


class Word(msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag_field="type",
           tag="word"):
    shorthand: ClassVar[str] = "text"
    default_member: ClassVar[bool] = True

    text: str = ""


class Number(msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag_field="type",
             tag="number"):
    value: Annotated[int, msgspec.Meta(ge=1, le=6)] = 1


class Doc(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    aliases: ClassVar[dict[str, str]] = {"colour": "color"}

    title: Annotated[str, msgspec.Meta(min_length=1)]
    color: str = ""
    tags: Annotated[tuple[str, ...], msgspec.Meta(extra={"split": ","})] = ()
    items: tuple[Word | Number, ...] = ()
    side: Literal["left", "right"] = "left"
    day: dt.date | None = None
    size: Annotated[float, msgspec.Meta(ge=5, le=60, extra={"unit": "mm"})] = 10
    url: Annotated[str, msgspec.Meta(pattern=r"^https://", extra={
        "expected": "an https address"})] | None = None
    flag: bool = False


def error(data: object) -> str:
    with pytest.raises(FieldError) as caught:
        load(Doc, data)
    return str(caught.value)


def test_shorthands() -> None:
    doc = load(Doc, {"title": 2026, "colour": "red", "tags": "a, b ,", "items": "one",
                     "side": "RIGHT", "day": dt.datetime(2026, 12, 2, 10, 0)})
    assert doc == Doc("2026", "red", ("a", "b"), (Word("one"),), "right", dt.date(2026, 12, 2))
    assert load(Doc, {"title": "t", "items": [{"text": "x"}, {"type": "number", "value": 2},
                                               "y"]}).items == (Word("x"), Number(2), Word("y"))
    assert load(Doc, {"title": "t", "day": " 2026-12-02 "}).day == dt.date(2026, 12, 2)


@pytest.mark.parametrize(("data", "message"), [
    ({}, "title: missing"),
    ({"title": ""}, "title: missing"),
    ({"title": "t", "titel": 1}, 'titel: unknown key; did you mean "title"?'),
    ({"title": "t", "side": "up"}, "side: expected one of left, right, got 'up'"),
    ({"title": "t", "items": [{"type": "nope"}]},
     "items[0].type: unknown block type 'nope'; use one of word, number"),
    ({"title": "t", "items": [{"type": "number", "value": 9}]},
     "items[0].value: expected a whole number from 1 to 6, got 9"),
    ({"title": "t", "items": [{"type": "number", "value": True}]},
     "items[0].value: expected a whole number from 1 to 6, got True"),
    ({"title": "t", "size": float("nan")}, "size: expected a number from 5 to 60 mm, got nan"),
    ({"title": "t", "size": "big"}, "size: expected a number from 5 to 60 mm, got 'big'"),
    ({"title": "t", "flag": "yes"}, "flag: expected true or false, got 'yes'"),
    ({"title": "t", "day": "2026-13-45"}, "day: not a date (YYYY-MM-DD): '2026-13-45'"),
    ({"title": "t", "url": "ftp://x"}, "url: expected an https address, got 'ftp://x'"),
    ({"title": ["a"]}, "title: expected text, got a list"),
    ({"title": "t", "items": [{"type": "word", "text": {"a": 1}}]},
     "items[0].text: expected text, got a table of keys and values"),
    ({"title": "t", "tags": {"a": 1}}, "tags[0]: expected text, got a table of keys and values"),
    ({"title": "t", "items": [{"type": "number", "valeur": 1}]},
     'items[0].valeur: unknown key; did you mean "value"?'),
])
def test_messages(data: object, message: str) -> None:
    assert error(data) == message


def test_a_top_level_that_is_not_a_mapping() -> None:
    assert error(["a"]) == "expected a table of keys and values, got a list"


def test_every_error_at_once() -> None:
    doc, errors = load_fields(Doc, {"title": "t", "side": "up", "flag": 3, "bogus": 1},
                              prefix="doc.")
    assert doc is None
    assert [str(e) for e in errors] == [
        "doc.side: expected one of left, right, got 'up'",
        "doc.flag: expected true or false, got 3",
        "doc.bogus: unknown key",
    ]
    doc, errors = load_fields(Doc, {"colour": "red"}, prefix="doc.")
    assert doc is None and [str(e) for e in errors] == ["doc.title: missing"]
    doc, errors = load_fields(Doc, {"title": "t", "day": dt.date(2026, 1, 2)})
    assert doc == Doc("t", day=dt.date(2026, 1, 2)) and errors == []


def test_schema_has_the_shorthands() -> None:
    import jsonschema

    schema = json_schema(Doc, schema_id="https://x.invalid/doc.json", title="doc")
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid({"title": "t", "items": ["one", {"text": "x"}], "tags": "a, b",
                               "colour": "red"})
    assert not validator.is_valid({"title": "t", "side": "up"})
    assert not validator.is_valid({"title": "t", "bogus": 1})


def test_field_rows() -> None:
    rows = {row.key: row for row in field_rows(Doc)}
    assert rows["size"].range == "5 to 60" and rows["size"].type == "number (mm)"
    assert rows["side"].type == "one of left, right" and rows["title"].default == "(required)"
