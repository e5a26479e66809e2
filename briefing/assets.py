"""Where the bundled assets (fonts, logos, themes, ICC profile, examples) live.

In a wheel they sit inside the package as ``briefing/assets``; in a source checkout they are
the repository's top-level ``assets/`` folder. Every other module finds assets through here.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path


@cache
def assets_dir() -> Path:
    """The bundled assets folder."""
    packaged = Path(str(resources.files("briefing"))) / "assets"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "assets"


def asset(*parts: str) -> Path:
    """A path inside the bundled assets folder (not checked for existence)."""
    return assets_dir().joinpath(*parts)


def sample_source() -> Path:
    """The bundled sample briefing (the project's example, in French)."""
    return asset("examples", "sora-artists.txt")


def theme_reference() -> Path:
    """The theme reference, ``docs/themes.md``: inside the package in a wheel (as
    ``briefing/docs/themes.md``), else the checkout's."""
    packaged = Path(str(resources.files("briefing"))) / "docs" / "themes.md"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "docs" / "themes.md"


def example(name: str) -> Path:
    """A bundled example source (``assets/examples/NAME``)."""
    return asset("examples", name)
