from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def three(tmp_path: Path) -> Path:
    """A folder with a theme file, three sources and a manifest building them; its path."""
    (tmp_path / "theme.toml").write_text('[colors]\naccent = "#c00"\n')
    (tmp_path / "out").mkdir()
    for name in ("alpha", "beta", "gamma"):
        (tmp_path / f"{name}.txt").write_text(f"{name.title()}\n\nSome text about {name}.\n")
    (tmp_path / "briefings.toml").write_text(
        '[defaults]\noutput_dir = "out"\n\n'
        '[[briefing]]\nname = "alpha"\nsource = "alpha.txt"\ntheme = "theme.toml"\n\n'
        '[[briefing]]\nname = "beta"\nsource = "beta.txt"\ntheme = "theme.toml"\n\n'
        '[[briefing]]\nname = "gamma"\nsource = "gamma.txt"\n'
    )
    return tmp_path
