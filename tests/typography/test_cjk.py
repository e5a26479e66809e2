"""CJK line breaking: break opportunities with kinsoku, no breaks or stretch inside Latin words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from briefing.typography.cjk import (
    NO_LINE_END,
    NO_LINE_START,
    break_opportunities,
    lines_break_well,
    stretch_points,
)


def _lines(text: str, breaks: list[int], width: int) -> list[str]:
    """Greedy lines of at most ``width`` characters at the allowed breaks (a breaker's stand-in)."""
    lines, start = [], 0
    while len(text) - start > width:
        fitting = [b for b in breaks if start < b <= start + width]
        end = fitting[-1] if fitting else next((b for b in breaks if b > start), len(text))
        lines.append(text[start:end])
        start = end
    lines.append(text[start:])
    return lines


def test_between_ideographs_but_not_before_closing_punctuation() -> None:
    text = "今天天气很好。明天「下雨」，对吧？"
    breaks = break_opportunities(text, "zh")
    assert 1 in breaks  # 今|天
    for i, char in enumerate(text):
        if char in "。，？」":
            assert i not in breaks, char  # never at a line's start
        if char in "「":
            assert i + 1 not in breaks  # never at a line's end


def test_japanese_small_kana_and_prolonged_sound_mark() -> None:
    text = "ちょっとコーヒーを飲みましょう。"
    breaks = break_opportunities(text, "ja")
    for i, char in enumerate(text):
        if char in "ょっーょ。":
            assert i not in breaks, char
    # Chinese has no rule about small kana (a quotation of Japanese in Chinese text).
    assert text.index("ょ") in break_opportunities(text, "zh")


def test_latin_words_and_numbers_are_not_broken_nor_stretched() -> None:
    text = "我们使用Python 3.12语言和https://example.org网站"
    breaks = break_opportunities(text, "zh")
    inside = [(text.index("Python") + k) for k in range(1, 6)]
    assert not set(inside) & set(breaks)
    assert text.index("Python") in breaks and text.index("3.12") in breaks  # 用|P, space|3
    url = text.index("https")
    assert not set(range(url + 1, url + len("https://example.org"))) & set(breaks)
    stretch = stretch_points(text)
    assert not set(inside) & set(stretch) and 1 in stretch


def test_dashes_and_ellipses_stay_together() -> None:
    text = "他说——我们走吧……好。"
    breaks = break_opportunities(text, "zh")
    assert text.index("——") + 1 not in breaks
    assert text.index("……") + 1 not in breaks


def test_korean_breaks_at_spaces_unless_asked() -> None:
    text = "오늘 서울에 비가 옵니다."
    assert break_opportunities(text, "ko") == [3, 7, 10]
    assert len(break_opportunities(text, "ko", keep_all=False)) > 3


def test_lines_made_at_the_breaks_respect_kinsoku() -> None:
    text = "沿海地区发布风暴预警。居民应留在家中，直到明天早上。「请注意安全」，当局说。"
    for width in range(3, 12):
        lines = _lines(text, break_opportunities(text, "zh"), width)
        assert "".join(lines) == text
        assert lines_break_well(lines, "zh") == []
    assert lines_break_well(["沿海地区", "。居民"], "zh") == ["。居民"]


CJK_ALPHABET = "漢字かなカナ한국어。、，「」（）ーっゃ——…… ab1.?"


@given(st.text(alphabet=CJK_ALPHABET, max_size=30), st.sampled_from(["zh", "ja", "ko"]))
def test_no_break_makes_a_prohibited_line_start_or_end(text: str, lang: str) -> None:
    for p in break_opportunities(text, lang):
        assert 0 < p < len(text)
        assert text[p] not in NO_LINE_START[lang] and not text[p].isspace()
        assert text[:p].rstrip()[-1:] not in tuple(NO_LINE_END[lang])
