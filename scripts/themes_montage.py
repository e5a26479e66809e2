"""Write docs/images/themes.png: page 1 of the sample in each built-in theme, side by side.

Run from the repository: PYTHONPATH=. python scripts/themes_montage.py
The sample is given a source URL so that the QR code shows.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import msgspec
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

from briefing.assets import asset, sample_source
from briefing.read import read_briefing
from briefing.render import RenderOptions, render
from briefing.theme import load_theme, theme_list
from briefing.typography import typeset

OUT = Path(__file__).resolve().parent.parent / "docs" / "images" / "themes.png"
URL = "https://www.example.org/actualites/openai-suspend-sora"


def main() -> None:
    briefing, _ = read_briefing(str(sample_source()))
    briefing = typeset(briefing)
    briefing = msgspec.structs.replace(briefing, meta=msgspec.structs.replace(
        briefing.meta, source=URL, organisation="Observatoire du numérique"))
    pages: list[tuple[str, Image.Image]] = []
    for name, _ in theme_list():
        result = render(briefing, load_theme(name), RenderOptions(date=dt.date(2026, 11, 29)))
        image = pdfium.PdfDocument(result.pdf)[0].render(scale=60 / 72).to_pil().convert("RGB")
        pages.append((name, image))
    gap, label = 24, 34
    width = sum(i.width for _, i in pages) + gap * (len(pages) + 1)
    height = max(i.height for _, i in pages) + label + 2 * gap
    sheet = Image.new("RGB", (width, height), "#D9DDE3")
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.truetype(str(asset("fonts", "NotoSans-Bold.ttf")), 20)
    x = gap
    for name, image in pages:
        draw.text((x, gap - 4), name, fill="#1D1D1F", font=font)
        sheet.paste(image, (x, gap + label))
        x += image.width + gap
    OUT.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(OUT, optimize=True)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
