"""The fonts bundled for the world's scripts: TrueType outlines (reportlab cannot embed CFF),
each with its licence, each covering its script, and loadable by reportlab."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont as FtFont
from reportlab.pdfbase.ttfonts import TTFont

from briefing.assets import asset

#: File, a sample of the characters it must have, and the licence file that covers it.
SCRIPT_FONTS = {
    "NotoNaskhArabic-Regular.ttf": ("بسم لا ٠١٢ ۰۱۲ پچژگکی ٹڈڑںےھ ،؛؟", "LICENSE-Noto.txt"),
    "NotoNaskhArabic-Bold.ttf": ("بسم لا ٠١٢ ۰۱۲ پچژگکی ٹڈڑںےھ ،؛؟", "LICENSE-Noto.txt"),
    "NotoSansHebrew-Regular.ttf": ("שלום עולם אבגדהוזחטיכלמנסעפצקרשת", "LICENSE-Noto.txt"),
    "NotoSansHebrew-Bold.ttf": ("שלום עולם אבגדהוזחטיכלמנסעפצקרשת", "LICENSE-Noto.txt"),
    "NotoSansDevanagari-Regular.ttf": ("मुख्य कार्य हिन्दी मराठी ळ । ॥ ०१२", "LICENSE-Noto.txt"),
    "NotoSansDevanagari-Bold.ttf": ("मुख्य कार्य हिन्दी मराठी ळ । ॥ ०१२", "LICENSE-Noto.txt"),
    "NotoEmoji-Regular.ttf": ("\U0001F600\U0001F30D\U0001F4A1\u2614\U0001F44D", "LICENSE-NotoEmoji.txt"),
}


@pytest.mark.parametrize("name", sorted(SCRIPT_FONTS))
def test_script_font_is_truetype_and_covers_its_script(name: str) -> None:
    path = asset("fonts", name)
    assert path.read_bytes()[:4] == b"\x00\x01\x00\x00", f"{name} is not a TrueType-outline font"
    font = FtFont(path)
    assert "glyf" in font and "CFF " not in font and "CFF2" not in font
    cmap = font.getBestCmap()
    sample, _ = SCRIPT_FONTS[name]
    lacking = sorted({c for c in sample if not c.isspace() and ord(c) not in cmap})
    assert not lacking, f"{name} lacks {lacking}"
    # OFL: embedding allowed (fsType 0: installable), so the PDF may carry a subset.
    assert font["OS/2"].fsType == 0
    TTFont(f"t-{Path(name).stem}", str(path))  # reportlab loads it


@pytest.mark.parametrize("name", sorted(SCRIPT_FONTS))
def test_script_font_has_its_licence(name: str) -> None:
    _, licence = SCRIPT_FONTS[name]
    text = asset("fonts", licence).read_text(encoding="utf-8")
    assert "SIL Open Font License" in text or "OFL-1.1" in text
    family = Path(name).stem.split("-")[0]  # "NotoNaskhArabic"
    words = [w for w in ("Naskh Arabic", "Sans Hebrew", "Sans Devanagari", "Noto Emoji")
             if w.replace(" ", "") in family]
    assert words and words[0] in text, f"{licence} does not name {name}"
