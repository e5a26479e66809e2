"""Chinese, Japanese and Korean briefings: a TrueType CJK font of the system, lines broken
between characters by each language's line-start and line-end rules, justified between CJK
characters and never inside a Latin word, labels and dates in the language; without a CJK
font, one line naming the language and what to install."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pypdfium2
import pytest
from click.testing import CliRunner

from briefing.build import build
from briefing.cli import cli
from briefing.errors import ThemeError
from briefing.options import ask
from briefing.render import cjkfonts, fonts
from briefing.typography.cjk import NO_LINE_END, NO_LINE_START
from tests.render.pdfchars import read


def _have(lang: str) -> bool:
    try:
        cjkfonts.find_cjk_font(lang)
    except ThemeError:
        return False
    return True


needs_font = pytest.mark.skipif(not _have("zh"), reason="no TrueType CJK font on this system "
                                 "(scripts/install-test-tools installs fonts-wqy-microhei)")

CHINESE = ("今晚一场强风暴将抵达北部沿海地区。预计从晚上10点到明天中午，风速最高可达每小时130公里，"
           "并伴有大浪和暴雨。气象部门下午4点将沿海地区的预警级别提高到“红色”。风暴正以每小时约"
           "40公里的速度向东移动，预计将在港口附近登陆。红色区域内的学校明天停课；前往岛屿的渡轮在"
           "另行通知之前全部取消。OpenAI公司于2026年12月2日宣布暂停Sora视频服务（艺术家们表示，"
           "该公司无偿使用了他们的作品）。「请待在室内」，民防局局长说，「远离海岸。」")
JAPANESE = ("今夜、北部の沿岸に強い嵐が到達します。午後十時から明日の正午まで、最大風速は時速百三十"
            "キロに達し、高波と大雨が予想されます。気象庁は午後四時、沿岸地域の警報を「赤」に引き上げ"
            "ました。学校は明日休校となり、島へのフェリーは追って通知があるまで運休します。ちょっと"
            "待ってください。ショッピングセンターも閉まります。")


def _source(tmp_path: Path, lang: str, title: str, body: str) -> Path:
    path = tmp_path / f"{lang}.md"
    path.write_text(f"---\ntitle: {title}\nlang: {lang}\ndate: 2026-12-02\n---\n\n"
                    + "\n\n".join([body] * 4) + "\n", encoding="utf-8")
    return path


def _lines(pdf: bytes) -> list[str]:
    """The page's lines of body text, as drawn (characters of one baseline, left to right)."""
    pages = read(pdf)
    sizes = Counter(round(c.size, 1) for page in pages for c in page.chars)
    body = sizes.most_common(1)[0][0]  # the running text is most of the characters
    rows: dict[int, list[tuple[float, str]]] = {}
    for page in pages:
        for c in page.chars:
            if abs(c.size - body) < 0.05:
                rows.setdefault(page.number * 10_000 - round(c.box.y0), []).append(
                    (c.box.x0, c.text))
    return ["".join(t for _, t in sorted(row)) for _, row in sorted(rows.items())]


@needs_font
@pytest.mark.parametrize(("lang", "title", "body"), [("zh", "风暴预警", CHINESE),
                                                     ("ja", "嵐の警報", JAPANESE)])
def test_no_line_starts_or_ends_against_the_rules(tmp_path: Path, lang: str, title: str,
                                                  body: str) -> None:
    pdf = build(_source(tmp_path, lang, title, body), ask(page_size="a5")).pdf
    lines = _lines(pdf)
    assert len(lines) > 12
    assert not [line for line in lines[1:] if line[0] in NO_LINE_START[lang]]
    assert not [line for line in lines[:-1] if line[-1] in NO_LINE_END[lang]]
    # Every character comes back, in order (the breaks are between characters: no spaces).
    document = pypdfium2.PdfDocument(pdf)
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    document.close()
    flat = "".join(text.split())
    assert "".join(body.split()) in flat


@needs_font
def test_justified_between_characters_never_inside_latin_words(tmp_path: Path) -> None:
    pdf = build(_source(tmp_path, "zh", "风暴预警", CHINESE), ask(page_size="a5")).pdf
    page = read(pdf)[0]
    body = [c for c in page.chars if abs(c.size - 10.0) < 0.05]
    rows: dict[float, list] = {}
    for c in sorted(body, key=lambda c: c.box.y0):
        # One line: the Latin letters' boxes sit a point or so off the CJK characters'.
        near = [y for y in rows if abs(y - c.box.y0) < 4]
        rows.setdefault(near[0] if near else c.box.y0, []).append(c)
    rights = [max(c.box.x1 for c in row) for row in rows.values()
              if any(not c.text.isascii() for c in row)]
    frame_right = max(rights)
    full = [r for r in rights if frame_right - r < 0.5]
    assert len(full) >= len(rights) - 4  # all but last lines reach the right edge
    # Inside "OpenAI" and "Sora" the letters touch as the font spaces them.
    for word in ("OpenAI", "Sora"):
        for row in rows.values():
            chars = sorted(row, key=lambda c: c.box.x0)
            text = "".join(c.text for c in chars)
            at = text.find(word)
            if at < 0:
                continue
            letters = chars[at:at + len(word)]
            gaps = [b.box.x0 - a.box.x1 for a, b in pairwise(letters)]
            assert max(gaps) < 0.05, (word, gaps)


@needs_font
def test_labels_and_dates_in_the_language(tmp_path: Path) -> None:
    pdf = build(_source(tmp_path, "zh", "风暴预警", CHINESE), ask()).pdf
    document = pypdfium2.PdfDocument(pdf)
    text = document[0].get_textpage().get_text_range()
    document.close()
    assert "2026年12月2日" in text and "简报" in text
    assert "第 1 页" in text


@needs_font
@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler's pdffonts is not installed")
def test_the_cjk_font_is_embedded(tmp_path: Path) -> None:
    out = tmp_path / "zh.pdf"
    out.write_bytes(build(_source(tmp_path, "zh", "风暴预警", CHINESE), ask()).pdf)
    listing = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True,
                             check=True).stdout
    rows = [line for line in listing.splitlines()[2:] if line.strip()]
    assert rows and all(" yes " in row for row in rows)


def test_without_a_cjk_font_one_line_names_the_language(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cjkfonts, "_candidates", lambda lang, use_fontconfig: [])
    fonts.cjk_font.cache_clear()
    try:
        source = _source(tmp_path, "ja", "嵐の警報", JAPANESE)
        out = tmp_path / "out.pdf"
        result = CliRunner().invoke(cli, ["build", str(source), "-o", str(out)])
    finally:
        fonts.cjk_font.cache_clear()
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Japanese" in lines[0] and "fonts-wqy-microhei" in lines[0]
    assert "ja.md" in lines[0] and not out.exists()
