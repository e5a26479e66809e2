"""A CJK font from the system: CJK fonts are tens of megabytes, so none is bundled.

``find_cjk_font(lang)`` looks, in order, at:

1. fontconfig (``fc-list :lang=zh``, in the order ``fc-match -s :lang=zh`` prefers them), when
   ``fc-list`` is installed;
2. known places on Linux (Debian's and Fedora's packages) and macOS.

Only fonts reportlab can embed qualify: TrueType outlines (``glyf``), in a ``.ttf`` or a
``.ttc`` collection (the member is named by its index: ``TTFont(..., subfontIndex=i)``).
OpenType fonts with PostScript (CFF) outlines, such as Debian's fonts-noto-cjk
(``NotoSansCJK-Regular.ttc``), are passed over. A font must also have the language's
characters (Han for Chinese; Han and kana for Japanese; Hangul for Korean). None found: a
one-line ``ThemeError`` names the language and what to install.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from briefing.errors import ThemeError

#: Characters a font must have to set each language.
SAMPLES = {"zh": "中国的汉字简体", "ja": "日本語のひらがなとカタカナ", "ko": "한국어 글자"}
NAMES = {"zh": "Chinese", "ja": "Japanese", "ko": "Korean"}

#: Known TrueType CJK fonts, by language, most suitable first (Linux packages, then macOS).
KNOWN: dict[str, tuple[str, ...]] = {
    "zh": (
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
        "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
        "/usr/share/fonts/truetype/arphic/uming.ttc",
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
        "~/Library/Fonts/wqy-microhei.ttc",
        "/Library/Fonts/wqy-microhei.ttc",
        "/System/Library/Fonts/STHeiti Light.ttc",
        "/System/Library/Fonts/Supplemental/Songti.ttc",
        "/Library/Fonts/Arial Unicode.ttf",
        "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    ),
    "ja": (
        "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
        "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
        "/usr/share/fonts/truetype/takao-gothic/TakaoPGothic.ttf",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
        "~/Library/Fonts/wqy-microhei.ttc",
        "/Library/Fonts/Arial Unicode.ttf",
        "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    ),
    "ko": (
        "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
        "/usr/share/fonts/truetype/unfonts-core/UnDotum.ttf",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
        "~/Library/Fonts/wqy-microhei.ttc",
        "/System/Library/Fonts/AppleSDGothicNeo.ttc",
        "/Library/Fonts/Arial Unicode.ttf",
        "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    ),
}

#: What to install, by system, named in the error.
INSTALL_HINT = ("install a TrueType CJK font: fonts-wqy-microhei (Debian, Ubuntu), "
                "wqy-microhei-fonts (Fedora), font-wenquanyi-micro-hei (Homebrew), "
                "or give one in the theme's fonts.fallback")


@dataclass(frozen=True, slots=True)
class CjkFont:
    """A font file and the index of the member to use (0 for a plain ``.ttf``)."""

    path: Path
    index: int = 0


def outline_kinds(path: Path) -> list[str]:
    """The outline format of each font in a file: "truetype" or "cff" ("" when unreadable)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(12)
            if head[:4] != b"ttcf":
                return [_kind(head[:4])]
            count = struct.unpack(">I", head[8:12])[0]
            if not 0 < count <= 256:
                return []
            offsets = struct.unpack(f">{count}I", handle.read(4 * count))
            kinds = []
            for offset in offsets:
                handle.seek(offset)
                kinds.append(_kind(handle.read(4)))
            return kinds
    except (OSError, struct.error):
        return []


def _kind(tag: bytes) -> str:
    if tag in (b"\x00\x01\x00\x00", b"true"):
        return "truetype"
    if tag == b"OTTO":
        return "cff"
    return ""


def _candidates(lang: str, use_fontconfig: bool) -> list[CjkFont]:
    found: list[CjkFont] = []
    if use_fontconfig and shutil.which("fc-list") and shutil.which("fc-match"):
        found += _fontconfig(lang)
    for name in KNOWN.get(lang, ()):
        path = Path(name).expanduser()
        found += [CjkFont(path, i) for i in range(len(outline_kinds(path)))]
    return list(dict.fromkeys(found))


def _fontconfig(lang: str) -> list[CjkFont]:
    def run(*args: str) -> list[CjkFont]:
        try:
            done = subprocess.run(args, capture_output=True, text=True, timeout=10, check=False)
        except (OSError, subprocess.SubprocessError):
            return []
        out = []
        for line in done.stdout.splitlines():
            file, _, index = line.partition("|")
            if file and index.isdigit():
                out.append(CjkFont(Path(file), int(index)))
        return out

    supporting = set(run("fc-list", f":lang={lang}", "--format", "%{file}|%{index}\n"))
    preferred = run("fc-match", "-s", f":lang={lang}", "--format", "%{file}|%{index}\n")
    ordered = [f for f in preferred if f in supporting]
    return ordered + sorted(supporting - set(ordered), key=lambda f: (str(f.path), f.index))


def covers(font: CjkFont, text: str) -> bool:
    """Whether a font (a TrueType-outline member of its file) has every character of ``text``."""
    kinds = outline_kinds(font.path)
    if font.index >= len(kinds) or kinds[font.index] != "truetype":
        return False
    charset = _charset(font.path, font.index)
    return all(ord(c) in charset for c in text if not c.isspace())


@cache
def _charset(path: Path, index: int) -> frozenset[int]:
    from reportlab.pdfbase.ttfonts import TTFError, TTFontFile

    try:
        face = TTFontFile(str(path), subfontIndex=index)
    except (TTFError, OSError, ValueError, KeyError, AssertionError, IndexError, struct.error):
        return frozenset()
    return frozenset(face.charToGlyph)


def find_cjk_font(lang: str, *, use_fontconfig: bool = True) -> CjkFont:
    """A TrueType font of the system that sets ``lang`` (zh, ja or ko, or a tag of them)."""
    primary = lang.replace("_", "-").split("-")[0].lower()
    sample = SAMPLES.get(primary)
    if sample is None:
        raise ValueError(f"not a CJK language: {lang!r}")
    for font in _candidates(primary, use_fontconfig):
        if covers(font, sample):
            return font
    raise ThemeError(f"{NAMES[primary]} text needs a font with {NAMES[primary]} characters and "
                     f"none was found on this system; {INSTALL_HINT}")
