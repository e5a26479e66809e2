"""A build checks its own output before it is written: every font embedded with a ToUnicode
map, no base-14 font, every marked content in the structure tree, well-formed XMP, PDF/A's
printable annotations. A broken invariant is an error, and nothing is written.

And the case that showed why: an SVG logo with ``<text>`` is set in the theme's fonts."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from briefing.build import build, build_file
from briefing.cli import cli
from briefing.errors import RenderError
from briefing.options import ask
from briefing.pdf import metadata
from briefing.render import images, tagging
from briefing.render.structure import StructNode

LOGO = """<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60">
  <rect width="200" height="60" fill="#ffffff"/>
  <text x="10" y="30" font-family="Arial, sans-serif" font-weight="bold" font-size="24">ACME</text>
  <text x="10" y="52" font-family="Georgia, serif" font-style="italic" font-size="12">Civil
    <tspan font-family="monospace">protection</tspan></text>
</svg>
"""


@pytest.fixture
def text_logo_theme(tmp_path: Path) -> Path:
    (tmp_path / "text-logo.svg").write_text(LOGO, encoding="utf-8")
    theme = tmp_path / "brand.toml"
    theme.write_text('extends = "default"\n[logo]\nfile = "text-logo.svg"\nalt = "ACME"\n',
                     encoding="utf-8")
    return theme


def pdffonts(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    return [line.split() for line in out.stdout.splitlines()[2:]]


def base_fonts(pdf: bytes) -> set[str]:
    """Every /BaseFont anywhere in the file, form XObjects included."""
    names = set()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font":
                names.add(str(obj.get("/BaseFont")))
    return names


@pytest.mark.parametrize("pdfa", [False, True])
def test_svg_logo_text_is_set_in_the_theme_fonts(tmp_path: Path, text_logo_theme: Path,
                                                 sample_path: Path, pdfa: bool) -> None:
    out = tmp_path / "logo.pdf"
    result = build_file(sample_path, out, ask(theme=str(text_logo_theme), pdfa=pdfa))
    names = base_fonts(result.pdf)
    assert not any(base in name for name in names
                   for base in ("Helvetica", "Times", "Courier", "Arial", "Georgia"))
    assert any("NotoSans-Bold" in name for name in names)  # "ACME": heading, bold
    assert any("NotoSerif-Italic" in name for name in names)  # "Civil": body, italic
    assert any("NotoSansMono" in name for name in names)  # "protection": mono
    if shutil.which("pdffonts"):
        rows = pdffonts(out)
        assert rows and all(row[-5] == "yes" and row[-3] == "yes" for row in rows), rows


def test_a_base14_font_fails_the_build_and_nothing_is_written(
        tmp_path: Path, text_logo_theme: Path, sample_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # As before SVG text was mapped: svglib's Helvetica reaches the page.
    monkeypatch.setattr(images, "themed", lambda drawing, face: drawing)
    out = tmp_path / "b.pdf"
    out.write_bytes(b"%PDF-1.4 the old briefing")
    result = CliRunner().invoke(cli, ["build", str(sample_path), "-o", str(out),
                                      "--theme", str(text_logo_theme), "--pdfa"])
    assert result.exit_code == 1, result.output
    assert "Helvetica" in result.output and "not embedded" in result.output
    assert "nothing was written" in result.output
    assert out.read_bytes() == b"%PDF-1.4 the old briefing"
    with pytest.raises(RenderError, match="Helvetica"):  # untagged, not PDF/A: checked too
        build(sample_path, ask(theme=str(text_logo_theme), tags=False))


def test_marked_content_outside_the_tree_fails_the_build(
        sample_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stray = StructNode("document").add("paragraph")  # a node the tree never reaches
    original = tagging.Tagger.mark

    def mark(self: tagging.Tagger, node: StructNode) -> int:
        return original(self, stray if not self.pages[0] else node)  # the first MC strays

    monkeypatch.setattr(tagging.Tagger, "mark", mark)
    with pytest.raises(RenderError, match="not in the structure tree"):
        build(sample_path)


def test_ill_formed_xmp_fails_the_build(sample_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    original = metadata.xmp_packet
    monkeypatch.setattr(metadata, "xmp_packet",
                        lambda *a, **kw: original(*a, **kw).replace(b"</dc:title>", b""))
    with pytest.raises(RenderError, match="XMP"):
        build(sample_path)


def test_pdfa_annotations_are_printable_even_untagged(tmp_path: Path) -> None:
    source = tmp_path / "l.md"
    source.write_text("# Links\n\nLead with [a link](https://example.org/a).\n",
                      encoding="utf-8")
    result = build(source, ask(pdfa=True, tags=False))
    with pikepdf.open(io.BytesIO(result.pdf)) as doc:
        annots = [a for page in doc.pages for a in page.obj.get("/Annots", [])]
        assert annots
        assert all(int(a.get("/F", 0)) & 4 for a in annots)


def test_text_that_spells_marked_content_operators_builds(tmp_path: Path) -> None:
    """A briefing about BDC (a bank) or EMC (a company) is text, not marked content: it
    builds, tagged, and its words come back."""
    source = tmp_path / "banks.md"
    source.write_text("---\ntitle: BDC and EMC\n---\n\nBMC, BDC and EMC (BT ET) report.\n",
                      encoding="utf-8")
    result = build(source)
    with pikepdf.open(io.BytesIO(result.pdf)) as pdf:
        assert pdf.Root.MarkInfo.Marked
    from tests.pdftext import missing_words

    assert missing_words(["BDC and EMC", "BMC, BDC and EMC (BT ET) report."], result.pdf) == []
