"""The theme's key table (``briefing/theme.py``) is the one place a key is declared: the docs'
reference is generated from it and the ``init`` starter is checked against it."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from briefing.convert import REQUIRED, struct_fields
from briefing.starter import STARTER_THEME
from briefing.theme import SECTIONS, StyleSpec, key_rows, load_theme

ROOT = Path(__file__).resolve().parents[1]


def test_docs_key_table_is_current() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from theme_reference import DOCS, rewritten
    finally:
        sys.path.pop(0)
    if not DOCS.is_file():
        pytest.skip("the documentation is not installed")
    text = DOCS.read_text(encoding="utf-8")
    assert rewritten(text) == text, "run `python scripts/theme_reference.py`"


def test_every_number_has_a_range() -> None:
    for cls in (*SECTIONS.values(), StyleSpec):
        for name, (info, _) in struct_fields(cls).items():
            if info.base in (int, float):
                assert info.constraint("ge") is not None and info.constraint("le") is not None, \
                    f"{cls.__name__}.{name}"
    for row in key_rows():
        if row.type.startswith("number"):
            assert row.range, row.key


def _starter_defaults() -> tuple[str, dict[str, Any]]:
    """The starter with the ``# key = value`` lines of its live tables uncommented (the
    values a user gets by leaving them commented), and those keys. Lines under a commented
    table header are examples, not defaults."""
    lines: list[str] = []
    keys: dict[str, Any] = {}
    table = ""
    live = True
    for line in STARTER_THEME.format(name="brand", folder="brand", hint="briefing build --theme brand").splitlines():
        header = re.match(r"^(#\s*)?\[([\w.]+)\]", line)
        if header:
            live = header.group(1) is None
            table = header.group(2)
            lines.append(line if live else "")
            continue
        commented = re.match(r"^#\s?(\w+\s*=\s*.+?)(\s+#.*)?$", line)
        if commented and live:
            entry = tomllib.loads(commented.group(1))
            key, value = next(iter(entry.items()))
            keys[f"{table}.{key}" if table else key] = value
            lines.append(commented.group(1))
        else:
            lines.append(line)
    return "\n".join(lines) + "\n", keys


def test_starter_matches_the_table(tmp_path: Path) -> None:
    text, commented = _starter_defaults()
    known = {row.key for row in key_rows()}
    default = load_theme("default")
    for key, value in commented.items():
        assert key in known or re.sub(r"^styles\.\w+\.", "styles.<role>.", key) in known, key
        section, name = key.split(".")
        got = getattr(getattr(default, section), name) if section not in ("colors",) \
            else default.colors[name]
        got = str(got).lower() if section == "page" and name == "size" else got
        want = str(value).lower() if section == "page" and name == "size" else value
        assert got == want, f"{key}: the starter says {value!r}, the default theme {got!r}"
    (tmp_path / "logos").mkdir()
    (tmp_path / "logos" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8")
    written = tmp_path / "theme.toml"
    written.write_text(STARTER_THEME.format(name="brand", folder="brand", hint="briefing build --theme brand"), encoding="utf-8")
    load_theme(str(written))  # the starter as written is a valid theme
    uncommented = tmp_path / "uncommented.toml"
    uncommented.write_text(text, encoding="utf-8")
    load_theme(str(uncommented))


def test_required_keys_say_so() -> None:
    rows = {row.key: row for row in key_rows()}
    assert rows["colors.primary"].default == REQUIRED
    assert rows["qr.size"].range == "10 to 40"
