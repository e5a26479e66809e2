"""One process builds many times (watch, schedule): an edited theme or image is read again."""

from __future__ import annotations

import os
import time
from pathlib import Path

from briefing.render.images import image_size
from briefing.theme import load_theme


def _touch_later(path: Path) -> None:
    later = time.time() + 5
    os.utime(path, (later, later))


def test_an_edited_theme_is_loaded_again(tmp_path: Path) -> None:
    theme = tmp_path / "t.toml"
    theme.write_text('extends = "default"\n[colors]\nprimary = "#112233"\n', encoding="utf-8")
    assert load_theme(str(theme)).colors["primary"] == "#112233"
    assert load_theme(str(theme)) is load_theme(str(theme))  # cached while unchanged
    theme.write_text('extends = "default"\n[colors]\nprimary = "#445566"\n', encoding="utf-8")
    _touch_later(theme)
    assert load_theme(str(theme)).colors["primary"] == "#445566"


def test_an_edited_svg_is_read_again(tmp_path: Path) -> None:
    svg = tmp_path / "logo.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="20"/>')
    assert image_size(svg) == (7.5, 15.0)  # svglib reads px as 0.75 pt
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20"/>')
    _touch_later(svg)
    assert image_size(svg) == (22.5, 15.0)


def test_two_fonts_with_one_file_name_stay_apart(tmp_path: Path) -> None:
    """reportlab never replaces a registered font: a theme's own "NotoSerif-Regular.ttf"
    that is another font must not be served the bundled one (nor an edited font its old self)."""
    import io
    import shutil

    import pikepdf

    from briefing.assets import asset, sample_source
    from briefing.build import build
    from briefing.options import ask

    (tmp_path / "fonts").mkdir()
    shutil.copy(asset("fonts", "Lato-Regular.ttf"), tmp_path / "fonts" / "NotoSerif-Regular.ttf")
    theme = tmp_path / "theme.toml"
    theme.write_text('extends = "default"\n[fonts.body]\nregular = "fonts/NotoSerif-Regular.ttf"\n',
                     encoding="utf-8")

    def base_fonts(pdf: bytes) -> set[str]:
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            return {str(f.BaseFont).split("+")[-1] for p in doc.pages
                    for _, f in p.obj.Resources.Font.items()}

    assert "NotoSerif-Regular" in base_fonts(build(sample_source(), ask()).pdf)
    own = base_fonts(build(sample_source(), ask(theme=str(theme))).pdf)
    assert "Lato-Regular" in own and "NotoSerif-Regular" not in own
