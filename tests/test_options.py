"""Build options: one declaration (``Request``), decided once (``resolve``), with origins."""

from __future__ import annotations

import datetime as dt
import pickle
import typing

import msgspec
import pytest

from briefing.errors import UsageError
from briefing.options import (
    PAGE_POINTS,
    Asked,
    BuildOptions,
    Given,
    Layer,
    Origin,
    PageSize,
    Request,
    ask,
    from_flags,
    pick,
    resolve,
)
from briefing.pdf.variants import VARIANTS
from briefing.theme import load_theme


def given(layer: Layer, where: str = "", **values: object) -> Given:
    return Given(Origin(layer, where), msgspec.convert(values, Request))


#: What a build always has: a format and a language detected, a date from the clock, the
#: theme's page size.
BASE = (
    given(Layer.DETECTED, ".md extension", format="md", lang="en"),
    given(Layer.TODAY, date="2026-12-02"),
    given(Layer.DEFAULT, page_size="a4"),
)


def test_every_request_field_is_resolved() -> None:
    hints = typing.get_type_hints(BuildOptions)
    assert list(BuildOptions.__struct_fields__) == list(Request.__struct_fields__)
    for name, hint in typing.get_type_hints(Request, include_extras=True).items():
        (annotated, _unset) = typing.get_args(hint)
        value_type = typing.get_args(annotated)[0]
        (setting,) = typing.get_args(hints[name])
        assert setting == value_type or setting == value_type | None, name


@pytest.mark.parametrize(("name", "layers", "value", "origin"), [
    # theme: command line › [[briefing]] › front matter › [defaults] › built-in
    ("theme", [given(Layer.MANIFEST_DEFAULTS, theme="d"), given(Layer.FRONT_MATTER, "a.md",
                                                                 theme="f")], "f", "source a.md"),
    ("theme", [given(Layer.FRONT_MATTER, theme="f"), given(Layer.MANIFEST, theme="m")], "m", "manifest"),
    ("theme", [given(Layer.MANIFEST, theme="m"), given(Layer.COMMAND_LINE, "--theme", theme="c")],
     "c", "command line --theme"),
    ("theme", [], "default", "built-in default"),
    # lang: … › [defaults] › detected
    ("lang", [given(Layer.MANIFEST_DEFAULTS, lang="en"), given(Layer.FRONT_MATTER, lang="fr")],
     "fr", "source"),
    ("lang", [given(Layer.MANIFEST_DEFAULTS, lang="de")], "de", "manifest defaults"),
    ("lang", [], "en", "detected .md extension"),
    # date: … › front matter › edition › SOURCE_DATE_EPOCH › today
    ("date", [given(Layer.EDITION, "edition 3", date="2026-01-01")], dt.date(2026, 1, 1),
     "edition edition 3"),
    ("date", [given(Layer.EDITION, date="2026-01-01"), given(Layer.FRONT_MATTER, date="2025-05-05")],
     dt.date(2025, 5, 5), "source"),
    ("date", [given(Layer.ENVIRONMENT, "SOURCE_DATE_EPOCH", date="2020-02-02")],
     dt.date(2020, 2, 2), "environment SOURCE_DATE_EPOCH"),
    # page_size: … › [defaults] › the theme › the key table's default
    ("page_size", [given(Layer.THEME, "brand.toml", page_size="letter")], PageSize.LETTER,
     "theme brand.toml"),
    ("page_size", [given(Layer.THEME, page_size="letter"), given(Layer.MANIFEST_DEFAULTS,
                                                                 page_size="a5")],
     PageSize.A5, "manifest defaults"),
    # pdfa: … › the theme › built-in
    ("pdfa", [given(Layer.THEME, "default.toml", pdfa=True)], True, "theme default.toml"),
    ("pdfa", [given(Layer.THEME, pdfa=True), given(Layer.COMMAND_LINE, "--no-pdfa", pdfa=False)],
     False, "command line --no-pdfa"),
    ("tags", [], True, "built-in default"),
    ("title", [], None, "built-in default"),
    ("max_bytes", [], 20 * 1024 * 1024, "built-in default"),
])
def test_precedence(name: str, layers: list[Given], value: object, origin: str) -> None:
    decided = getattr(resolve([*BASE, *layers]), name)
    assert (decided.value, str(decided.origin)) == (value, origin)


def test_a_required_option_that_nothing_sets_is_a_bug() -> None:
    with pytest.raises(AssertionError, match="format"):
        resolve([])


def test_asked_is_plain_data() -> None:
    asked = ask(page_size="Letter", pdfa=True, date=dt.date(2026, 1, 2))
    assert pickle.loads(pickle.dumps(asked)) == asked
    assert hash(asked) == hash(ask(page_size="letter", pdfa=True, date=dt.date(2026, 1, 2)))
    assert asked.get("page_size") is PageSize.LETTER and asked.get("title") is None
    moved = Asked((Given(Origin(Layer.MANIFEST, 'b.toml [[briefing]] "x", line 9'),
                         msgspec.convert({"theme": "t"}, Request)),))
    still = Asked((Given(Origin(Layer.MANIFEST, 'b.toml [[briefing]] "x", line 3'),
                         msgspec.convert({"theme": "t"}, Request)),))
    assert moved.canonical() == still.canonical() == [("manifest", {"theme": "t"})]


def test_as_dict_says_where_each_value_came_from() -> None:
    record = resolve([*BASE, given(Layer.THEME, "default.toml", pdfa=True)]).as_dict()
    assert record["pdfa"] == {"value": True, "from": "theme default.toml"}
    assert record["date"] == {"value": "2026-12-02", "from": "today"}
    assert record["pdf"] == {"value": "pdfa-2b+ua", "from": "tags + pdfa"}


def test_variants() -> None:
    decided = resolve([*BASE, given(Layer.COMMAND_LINE, tags=False)])
    assert decided.variant is VARIANTS["none"]
    assert set(VARIANTS) == {"none", "ua", "pdfa-2b", "pdfa-2b+ua"}


def test_flags_are_checked_and_named() -> None:
    asked = from_flags({"lang": "fr", "max_bytes": 2, "pdfa": None, "page_size": "A5"})
    assert asked.get("max_bytes") == 2 * 1024 * 1024 and asked.get("page_size") is PageSize.A5
    setting = pick(asked.layers, "lang")
    assert setting is not None and str(setting.origin) == "command line --lang"
    with pytest.raises(UsageError, match=r"^--lang: expected a language tag such as fr or en-GB"):
        from_flags({"lang": "fr</x>"})
    with pytest.raises(UsageError, match=r"^--title: control character U\+0007"):
        from_flags({"title": "a\x07"})
    with pytest.raises(UsageError, match=r"^--max-pages: expected a whole number from 1 to"):
        from_flags({"max_pages": 0})


def test_a_theme_asks_for_its_page_size_and_pdfa(tmp_path: object) -> None:
    layers = load_theme("print").option_layers()
    page = pick(layers, "page_size")
    assert page is not None and str(page.origin) == "theme default.toml"
    assert PAGE_POINTS[PageSize.LETTER] == (612.0, 792.0)


def test_the_readme_mentions_every_build_option() -> None:
    from pathlib import Path

    from briefing.options import flag_of

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    from briefing.convert import struct_fields

    for name, (info, _) in struct_fields(Request).items():
        if info.extra.get("cli") is False:  # set by the manifest alone (a fan-out's row)
            assert f"`{name}" in readme, name
            continue
        assert f"`{flag_of(name)}" in readme, flag_of(name)
