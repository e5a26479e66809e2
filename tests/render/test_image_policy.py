"""Images through the path policy and within bounds: every reference inside an SVG stays in
the SVG's folder; pixels are bounded; a broken or absurd image is one clear error naming it."""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from PIL import Image as PILImage

from briefing.build import build
from briefing.cli import cli
from briefing.errors import BriefingError

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
       'width="100" height="100">{}</svg>')


def blue_pixels(pdf: bytes) -> int:
    page = pdfium.PdfDocument(pdf)[0]
    data = page.render(scale=1).to_pil().convert("RGB").tobytes()
    return sum(1 for i in range(0, len(data), 3)
               if data[i + 2] > 200 and data[i] < 40 and data[i + 1] < 40)


def layout(tmp_path: Path) -> tuple[Path, Path]:
    """``img/`` holds the source; ``outside/`` a blue PNG and an SVG it must not reach."""
    img, outside = tmp_path / "img", tmp_path / "outside"
    img.mkdir()
    outside.mkdir()
    PILImage.new("RGB", (20, 20), (0, 0, 255)).save(outside / "secret.png")
    (outside / "other.svg").write_text(
        SVG.format('<rect id="r" width="100" height="100" fill="#0000ff"/>'), encoding="utf-8")
    return img, outside


def source_with(folder: Path, svg_body: str, name: str = "pic.svg") -> Path:
    (folder / name).write_text(SVG.format(svg_body), encoding="utf-8")
    source = folder / "t.md"
    source.write_text(f"---\ntitle: T\n---\n\nLead.\n\n![A picture]({name})\n", encoding="utf-8")
    return source


@pytest.mark.parametrize("body", [
    '<image x="0" y="0" width="100" height="100" xlink:href="../outside/secret.png"/>',
    '<image x="0" y="0" width="100" height="100" xlink:href="../../../../../../..{out}/secret.png"/>',
    '<image x="0" y="0" width="100" height="100" href="../outside/other.svg"/>',
    '<use xlink:href="../outside/other.svg#r"/>',
    '<image x="0" y="0" width="100" height="100" xlink:href="{out}/secret.png"/>',
    '<image x="0" y="0" width="100" height="100" xlink:href="file://{out}/secret.png"/>',
])
def test_S1_svg_references_never_leave_the_folder(tmp_path: Path, body: str) -> None:
    img, outside = layout(tmp_path)
    source = source_with(img, body.format(out=outside))
    with pytest.raises(BriefingError) as info:
        build(source)
    message = info.value.format_message()
    assert "pic.svg" in message and ("outside" in message or "secret" in message)


def test_S1_svg_references_through_links_and_nested_svgs(tmp_path: Path) -> None:
    img, outside = layout(tmp_path)
    (img / "link.png").symlink_to(outside / "secret.png")
    source = source_with(img, '<image width="100" height="100" xlink:href="link.png"/>')
    with pytest.raises(BriefingError, match="leads outside"):
        build(source)
    # An SVG in the folder that itself points out is caught too.
    (img / "inner.svg").write_text(SVG.format(
        '<image width="100" height="100" xlink:href="../outside/secret.png"/>'), encoding="utf-8")
    source = source_with(img, '<use xlink:href="inner.svg#x"/>'
                              '<image width="100" height="100" xlink:href="inner.svg"/>')
    with pytest.raises(BriefingError, match=r"inner\.svg"):
        build(source)


def test_S1_svg_references_inside_the_folder_work(tmp_path: Path) -> None:
    img, _ = layout(tmp_path)
    PILImage.new("RGB", (20, 20), (0, 0, 255)).save(img / "mine.png")
    source = source_with(img, '<image x="0" y="0" width="100" height="100" '
                              'xlink:href="mine.png"/>')
    assert blue_pixels(build(source).pdf) > 1000


def test_C8_image_pixels_are_bounded(tmp_path: Path) -> None:
    for side in (6000, 12000):  # 36 and 144 megapixels, a few kilobytes of PNG each
        PILImage.new("1", (side, side)).save(tmp_path / f"big{side}.png")
        source = tmp_path / f"big{side}.md"
        source.write_text(f"# T\n\nLead.\n\n![big](big{side}.png)\n", encoding="utf-8")
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no DecompressionBombWarning
            with pytest.raises(BriefingError) as info:
                build(source)
        message = info.value.format_message()
        assert f"big{side}.png" in message and "megapixels" in message
        result = CliRunner().invoke(cli, ["build", str(source), "-o", str(tmp_path / "b.pdf")])
        assert result.exit_code == 1 and "Warning" not in result.output


def test_C4_svg_with_huge_dimensions(tmp_path: Path) -> None:
    for body, size in (('<rect width="10" height="10"/>', 'width="1e30" height="10"'),
                       ('<rect x="1e30" width="10" height="10"/>', 'width="10" height="10"')):
        (tmp_path / "huge.svg").write_text(
            f'<svg xmlns="http://www.w3.org/2000/svg" {size}>{body}</svg>', encoding="utf-8")
        source = tmp_path / "h.md"
        source.write_text("# T\n\nLead.\n\n![huge](huge.svg)\n", encoding="utf-8")
        result = CliRunner().invoke(cli, ["build", str(source), "-o", str(tmp_path / "h.pdf")])
        assert result.exit_code == 1, result.output
        assert "huge.svg" in result.output and "unexpected" not in result.output
        assert "_fp_" not in result.output and "rl_accel" not in result.output


def test_B2_broken_images_are_named_without_internals(tmp_path: Path) -> None:
    good = io.BytesIO()
    PILImage.new("RGB", (50, 50), "red").save(good, format="PNG")
    (tmp_path / "trunc.png").write_bytes(good.getvalue()[:60])
    (tmp_path / "fake.png").write_text("hello")
    (tmp_path / "junk.jpg").write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(200))
    (tmp_path / "gif.png").write_bytes(b"GIF89a" + b"\0" * 40)
    for name in ("trunc.png", "fake.png", "junk.jpg", "gif.png"):
        source = tmp_path / "i.md"
        source.write_text(f"# T\n\nLead.\n\n![x]({name})\n", encoding="utf-8")
        result = CliRunner().invoke(cli, ["build", str(source), "-o", str(tmp_path / "i.pdf")])
        assert result.exit_code == 1, (name, result.output)
        line = result.output.strip()
        assert line.count("\n") == 0 and name in line, line
        for internal in ("0x", "ImageReader", "BytesIO", "identity", "unexpected", "fileName"):
            assert internal not in line, line
