"""The YAML/JSON reader: the model as data, errors naming file, line and field; its schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from briefing.errors import SourceError
from briefing.model import Briefing, Paragraph, SectionKind, Span
from briefing.read.data import read_data
from briefing.read.schema import json_schema

BRIEF = """\
title: A briefing
lead: The lead, as a plain string.
sections:
  - blocks:
      - First paragraph.
      - type: list
        items: [one, two]
  - kind: faq
    entries:
      - question: Why?
        answer: Because.
      - answer: No question here.
meta:
  lang: en
"""
GOOD = BRIEF.replace("      - answer: No question here.\n", "")


def yaml_error(text: str) -> str:
    with pytest.raises(SourceError) as info:
        read_data(text, "brief.yaml", "yaml")
    return info.value.message


def json_error(text: str) -> str:
    with pytest.raises(SourceError) as info:
        read_data(text, "brief.json", "json")
    return info.value.message


def test_shortcuts_read() -> None:
    b = read_data(GOOD, "b.yaml", "yaml")
    assert b.lead == (Paragraph((Span("The lead, as a plain string."),)),)
    assert b.sections[1].kind is SectionKind.FAQ
    assert b.faq[0].answer == (Paragraph((Span("Because."),)),)


def test_missing_field_names_field_and_line() -> None:
    assert yaml_error(BRIEF) == "brief.yaml, line 12: sections[1].entries[1].question: missing"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("  lang: en", "  lang: en\n  titel: x"), "brief.yaml, line 14: meta.titel: unknown key"),
        (("  - kind: faq", "  - kind: faqs"), "brief.yaml, line 8: sections[1].kind: expected one"),
        (("type: list", "type: lists"), "brief.yaml, line 6: sections[0].blocks[1].type: unknown"),
        (("items: [one, two]", "items: [one, two]\n        ordered: yes"),
         "brief.yaml, line 8: sections[0].blocks[1].ordered: expected true or false"),
        (("title: A briefing", "title: 12"), "brief.yaml, line 1: title: expected text, got a number"),
        (("  lang: en", "  date: soon"), "brief.yaml, line 13: meta.date: not a date"),
    ],
)
def test_field_errors_have_lines(change: tuple[str, str], message: str) -> None:
    assert yaml_error(GOOD.replace(*change)).startswith(message)


def test_yaml_syntax_error_has_line() -> None:
    assert yaml_error("title: x\nlead: [a, b\nsections: []\n").startswith("brief.yaml, line 3:")


def test_yaml_refuses_duplicates_and_aliases() -> None:
    assert yaml_error("title: x\ntitle: y\n") == "brief.yaml, line 2: title: appears twice"
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\ntitle: t\n"
    assert "aliases" in yaml_error(bomb)


def test_yaml_booleans_are_yaml_1_2() -> None:
    b = read_data("title: T\nlead: [No, yes, off]\n", "b.yaml", "yaml")
    assert [p.spans[0].text for p in b.lead] == ["No", "yes", "off"]


def test_top_level_must_be_a_mapping() -> None:
    assert yaml_error("- a\n- b\n").startswith("brief.yaml, line 1: expected a mapping")
    assert json_error("[1]").startswith("brief.json, line 1: expected a mapping")


def test_json_errors() -> None:
    assert json_error('{\n  "title": "x",\n  "lead": [1,]\n}') == (
        "brief.json, line 3, column 14: Expecting value"
    )
    data = json.dumps(yaml.safe_load(BRIEF), indent=2)
    line = next(i for i, t in enumerate(data.splitlines(), 1) if "No question here" in t)
    assert json_error(data) == (
        f"brief.json, line {line - 1}: sections[1].entries[1].question: missing"
    )


def test_json_and_yaml_agree() -> None:
    yaml_text = GOOD
    from_yaml = read_data(yaml_text, "b.yaml", "yaml")
    from_json = read_data(json.dumps(yaml.safe_load(yaml_text)), "b.json", "json")
    assert from_yaml == from_json


def test_title_given_by_the_caller() -> None:
    assert read_data("lead: x\n", "b.yaml", "yaml", title="Given").title == "Given"


def test_round_trip(sample_dir: Path) -> None:
    b = read_data((sample_dir / "sora-artists.yaml").read_text(encoding="utf-8"), "s", "yaml")
    assert Briefing.from_dict(json.loads(json.dumps(b.as_dict()))) == b


def test_schema_is_valid_and_accepts_the_formats(sample_dir: Path) -> None:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    sample = yaml.safe_load((sample_dir / "sora-artists.yaml").read_text(encoding="utf-8"))
    assert not list(validator.iter_errors(sample))
    shortcuts = yaml.safe_load(GOOD)
    assert not list(validator.iter_errors(shortcuts))
    assert list(validator.iter_errors(yaml.safe_load(BRIEF)))  # the missing question
    assert list(validator.iter_errors({"title": "x", "sections": [{"kind": "nope"}]}))


def test_schema_accepts_every_dump(markdown_fixture_models: list[Briefing]) -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    for model in markdown_fixture_models:
        errors = [e.message for e in validator.iter_errors(model.as_dict())]
        assert not errors, model.title
        assert Briefing.from_dict(model.as_dict()) == model
