"""Themes: the built-in ones render the sample well on every page size; a user's own assets
folder works from anywhere; QR code, logos, fonts and their errors; the fallback chain."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import msgspec
import pikepdf
import pytest

from briefing.assets import asset, sample_source
from briefing.errors import ThemeError
from briefing.model import Briefing, Paragraph, Section, SectionKind, Span
from briefing.options import PAGE_POINTS, PageSize
from briefing.read import read_briefing
from briefing.render import RenderOptions, render
from briefing.render.qr import qr_url
from briefing.theme import builtin_themes, load_theme
from briefing.typography import typeset
from tests.layoutcheck import read_lines
from tests.pdfcheck import extract_text, fonts, missing_words_in_order
from tests.render.pdfcheck import elements

THEMES = sorted(builtin_themes())
URL = "https://www.example.org/actualites/openai-suspend-sora"
DAY = dt.date(2026, 11, 29)


@pytest.fixture(scope="module")
def sample() -> Briefing:
    briefing, _ = read_briefing(str(sample_source()))
    return typeset(briefing)


def with_source(briefing: Briefing, source: str) -> Briefing:
    return msgspec.structs.replace(briefing, meta=msgspec.structs.replace(briefing.meta, source=source))


def figures(pdf: bytes) -> list[str]:
    """What a screen reader says of each figure of the PDF (its structure tree's /Alt)."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return [str(e.get("/Alt", "")) for e in elements(doc) if e.get("/S") == "/Figure"]


def test_at_least_three_builtin_themes_with_descriptions() -> None:
    assert {"default", "campaign", "print"} <= set(THEMES)
    for name in THEMES:
        assert load_theme(name).description


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", ["a4", "letter", "a5"])
def test_sample_renders_with_a_designed_break(sample: Briefing, theme: str, size: str) -> None:
    for briefing in (sample, with_source(sample, URL)):
        result = render(briefing, load_theme(theme), RenderOptions(page=PAGE_POINTS[PageSize(size)], date=DAY))
        assert result.warnings == []  # includes "the last block spills alone"
        assert missing_words_in_order(briefing.texts(), result.pdf) == []
        if size == "a4":
            assert result.pages == 1
        if result.pages > 1:
            # A designer's break: the last page starts a section or holds at least two FAQ
            # pairs, never a lone pair nor a lone line.
            last = [line for line in read_lines(result.pdf) if line.page == result.pages - 1]
            headings = [line.text for line in last if line.role in ("H2", "H3")]
            assert any(line.role == "H2" for line in last) or len(headings) >= 2, headings


def test_qr_code_only_for_web_sources(sample: Briefing) -> None:
    theme = load_theme("default")
    plain = render(sample, theme, RenderOptions(date=DAY))
    assert not any(a.startswith("QR code") for a in figures(plain.pdf))
    for source in ("file:///etc/passwd", "javascript:alert(1)", "example.org", "https://"):
        assert qr_url(source) is None
    linked = render(with_source(sample, URL), theme, RenderOptions(date=DAY))
    assert f"QR code: {URL}" in figures(linked.pdf)
    assert len(linked.pdf) > len(plain.pdf)
    assert "example.org/actualites/openai-suspend-sora" in extract_text(linked.pdf)


def test_qr_code_in_the_footer(sample: Briefing) -> None:
    result = render(with_source(sample, URL), load_theme("print"), RenderOptions(date=DAY))
    assert figures(result.pdf).count(f"QR code: {URL}") == 1
    assert result.pages == 1


def brand_folder(tmp_path: Path) -> Path:
    """A user's assets folder: a font of its own, an SVG logo, a PNG partner logo, colours."""
    brand = tmp_path / "brand"
    (brand / "fonts").mkdir(parents=True)
    (brand / "logos").mkdir()
    shutil.copy(asset("fonts", "Lato-Regular.ttf"), brand / "fonts" / "House-Regular.ttf")
    shutil.copy(asset("fonts", "Lato-Black.ttf"), brand / "fonts" / "House-Bold.ttf")
    (brand / "logos" / "house.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
        '<rect width="200" height="100" fill="#2A9D8F"/></svg>', encoding="utf-8")
    from PIL import Image

    Image.new("RGB", (300, 100), "#264653").save(brand / "logos" / "partner.png")
    (brand / "theme.toml").write_text('''
extends = "default"
name = "house"
description = "Our house style"
[colors]
primary = "#264653"
accent = "#E9C46A"
[fonts.heading]
regular = "fonts/House-Regular.ttf"
bold = "fonts/House-Bold.ttf"
[logo]
file = "logos/house.svg"
alt = "House"
height = 10
[partner_logo]
file = "logos/partner.png"
alt = "Partner"
height = 8
''', encoding="utf-8")
    return brand


def test_own_assets_folder_from_another_directory(
        sample: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    brand = brand_folder(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    theme = load_theme("../brand/theme.toml", extra_assets=brand)
    assert theme.name == "house" and theme.colors["primary"] == "#264653"
    assert theme.logo is not None and theme.logo.file == (brand / "logos" / "house.svg").resolve()
    assert (brand / "fonts" / "House-Bold.ttf").resolve() in theme.files()
    result = render(sample, theme, RenderOptions(date=DAY))
    assert any("Lato-Black" in name for name, _ in fonts(result.pdf))  # House-Bold.ttf
    assert {"House", "Partner"} <= set(figures(result.pdf))
    # The logo keeps its aspect ratio: 2:1 at 10 mm high.
    assert result.pages == 1


def test_theme_errors_name_file_and_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "default"\nbogus = 1\n[qr]\nposition = "moon"\nsize = "big"\n'
                   '[footer]\nleft = "{nope}"\n', encoding="utf-8")
    with pytest.raises(ThemeError) as err:
        load_theme(str(bad))
    message = err.value.message
    assert str(bad) in message and "bogus: unknown key" in message
    assert "qr.size: expected a number" in message
    bad.write_text('extends = "default"\n[qr]\nposition = "moon"\n[footer]\nleft = "{nope}"\n',
                   encoding="utf-8")
    # The rewritten file is seen: themes are loaded again when their files change.
    with pytest.raises(ThemeError) as err:
        load_theme(str(bad))
    assert "qr.position: expected one of masthead, footer" in err.value.message
    assert "footer.left: unknown field {nope}" in err.value.message


def test_missing_and_broken_logo_and_font_files(sample: Briefing, tmp_path: Path) -> None:
    theme = tmp_path / "t.toml"
    theme.write_text('extends = "default"\n[logo]\nfile = "logos/nowhere.svg"\n', encoding="utf-8")
    with pytest.raises(ThemeError, match=r"logo\.file: file not found: logos/nowhere\.svg"):
        load_theme(str(theme))
    (tmp_path / "broken.svg").write_text("<svg", encoding="utf-8")
    theme = tmp_path / "t2.toml"  # themes are cached by path
    theme.write_text('extends = "default"\n[logo]\nfile = "broken.svg"\n', encoding="utf-8")
    with pytest.raises(ThemeError, match=r"broken\.svg: not a readable SVG"):
        render(sample, load_theme(str(theme)), RenderOptions(date=DAY))
    (tmp_path / "Cff.ttf").write_bytes(b"OTTO" + b"\0" * 64)
    theme = tmp_path / "t3.toml"
    theme.write_text('extends = "default"\n[fonts.body]\nregular = "Cff.ttf"\n', encoding="utf-8")
    with pytest.raises(ThemeError, match=r"Cff\.ttf: is an OpenType font with PostScript"):
        render(sample, load_theme(str(theme)), RenderOptions(date=DAY))


MIXED = ("Le prix : 12 € → hausse ✓ ★ ; en grec « αβγ δέλτα », en russe « Привет, мир », "
         "et un caractère \U0010FFFD qu’aucune police n’a.")


def latin_only_theme(tmp_path: Path) -> Path:
    """A theme whose body font has Latin only (a subset of Noto Serif), so that Greek,
    Cyrillic and symbols must come from the fallback chain."""
    subset = pytest.importorskip("fontTools.subset")
    out = tmp_path / "LatinOnly.ttf"
    options = subset.Options()
    options.name_IDs = ["*"]
    font = subset.load_font(str(asset("fonts", "NotoSerif-Regular.ttf")), options)
    subsetter = subset.Subsetter(options)
    latin = [*range(0x20, 0x250), 0x2019, 0x2026, 0x20AC, 0x00AB, 0x00BB, 0x00A0, 0x202F]
    subsetter.populate(unicodes=latin)
    subsetter.subset(font)
    font.save(str(out))
    theme = tmp_path / "latin.toml"
    theme.write_text('extends = "default"\n[fonts.body]\nregular = "LatinOnly.ttf"\n'
                     'italic = "LatinOnly.ttf"\nbold = "LatinOnly.ttf"\n'
                     'bold_italic = "LatinOnly.ttf"\n', encoding="utf-8")
    return theme


def test_fallback_chain_and_one_warning(tmp_path: Path) -> None:
    briefing = typeset(Briefing(
        title="Essai de polices",
        lead=(Paragraph((Span(MIXED),)),),
        sections=(Section(SectionKind.ARTICLE, None, (Paragraph((Span(MIXED + " \U0010FFFD"),)),)),),
    ))
    result = render(briefing, load_theme(str(latin_only_theme(tmp_path))),
                    RenderOptions(date=DAY))
    text = extract_text(result.pdf)
    for piece in ("Le prix", "hausse", "αβγ", "δέλτα", "Привет", "→", "✓", "★", "€"):
        assert piece in text, piece
    used = [name for name, embedded in fonts(result.pdf) if embedded]
    assert any("DejaVuSans" in name for name in used), used
    assert len(result.warnings) == 1, result.warnings
    # (An ideograph is no longer one: a CJK font of the system sets it.)
    assert "U+10FFFD" in result.warnings[0]
    assert "lead paragraph 1" in result.warnings[0]
    for char in "αПр→✓":
        assert char not in result.warnings[0]
