"""Rewrite the key reference of docs/themes.md from the theme's key table (briefing/theme.py).

Run it after adding or changing a theme key: ``python scripts/theme_reference.py``. The test
``tests/test_theme_reference.py`` fails while the docs and the table differ.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefing.theme import key_reference  # noqa: E402

DOCS = ROOT / "docs" / "themes.md"
START, END = "<!-- theme-keys -->\n", "<!-- /theme-keys -->\n"


def rewritten(text: str) -> str:
    """The docs with the block between the markers replaced by the current table."""
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}{key_reference()}{END}{tail}"


def main() -> None:
    text = DOCS.read_text(encoding="utf-8")
    new = rewritten(text)
    if new != text:
        DOCS.write_text(new, encoding="utf-8")
        print(f"rewrote {DOCS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
