"""Scripts of a text and its runs by script and by font (``briefing.typography.scripts``)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest
from fontTools import unicodedata as ft_unicodedata
from hypothesis import given
from hypothesis import strategies as st

from briefing.typography import scripts
from briefing.typography.runs import FontChain, FontRun, font_runs, script_runs
from briefing.typography.scripts import script_of


@pytest.mark.parametrize(("char", "code"), [
    ("a", "Latn"), ("é", "Latn"), ("ب", "Arab"), ("٣", "Arab"), ("ש", "Hebr"), ("क", "Deva"),
    ("中", "Hani"), ("あ", "Hira"), ("カ", "Kana"), ("한", "Hang"), ("1", "Zyyy"), (" ", "Zyyy"),
    ("\u064b", "Zinh"), ("\U0001F600", "Zyyy"), ("\U00020000", "Hani"), ("ก", "Thai"),
    ("\U0010FFFF", "Zzzz"),
])
def test_script_of(char: str, code: str) -> None:
    assert script_of(char) == code


@given(st.characters(codec=None))
def test_script_table_agrees_with_the_unicode_database(char: str) -> None:
    assert script_of(char) == ft_unicodedata.script(char)


def test_names_and_properties() -> None:
    assert scripts.script_name("Arab") == "Arabic"
    assert scripts.script_name("Deva") == "Devanagari"
    assert scripts.is_rtl("Hebr") and scripts.is_rtl("Arab") and not scripts.is_rtl("Latn")
    assert scripts.needs_shaping("Arab") and scripts.needs_shaping("Deva")
    assert not scripts.needs_shaping("Hebr") and not scripts.needs_shaping("Hani")


def test_counts_and_main_script() -> None:
    assert scripts.script_counts(["Les artistes, 2026 !"]) == {"Latn": 11}
    assert scripts.main_script(["تحذير من العاصفة (Storm) 2026"]) == "Arab"
    assert scripts.main_script(["שלום"]) == "Hebr"
    assert scripts.main_script(["123 ...", "!"]) is None


@pytest.mark.parametrize(("text", "lang"), [
    ("北京今天有暴雨。", "zh"), ("東京では明日、台風が来ます。", "ja"), ("ハロー・ワールド", "ja"),
    ("오늘 서울에 비가 옵니다.", "ko"), ("天気", "zh"), ("Paris", None),
])
def test_cjk_language_by_script(text: str, lang: str | None) -> None:
    assert scripts.cjk_language(scripts.script_counts([text])) == lang


def test_unsupported_scripts_are_named() -> None:
    assert scripts.unsupported("Bangkok กรุงเทพ and ঢাকা, ঢাকা") == ["Thai", "Bengali"]
    assert scripts.unsupported("مرحبا Hello שלום नमस्ते 你好 \U0001F600") == []
    # Simple scripts are set by any font that has them (DejaVu Sans has these two).
    assert scripts.unsupported("Երևան თბილისი") == []
    assert scripts.unsupported("ܫܠܡܐ and தமிழ்") == ["Syriac", "Tamil"]


def test_script_runs_resolve_common_characters() -> None:
    text = "«مرحبا» Hello 2026, عالم."
    runs = [(text[r.start:r.end], r.script) for r in script_runs(text)]
    assert runs == [("«مرحبا» ", "Arab"), ("Hello 2026, ", "Latn"), ("عالم.", "Arab")]
    assert script_runs("") == []
    assert [r.script for r in script_runs("123")] == ["Zyyy"]


@dataclass(frozen=True)
class FakeFace:
    name: str
    chars: str

    @property
    def charset(self) -> frozenset[int]:
        return frozenset(map(ord, self.chars))


LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;/-()«»!"
BODY = FakeFace("body", LATIN)
ARABIC = FakeFace("arabic", "ابتثجحخدذرزسشصضطظعغفقكلمنهوي ٠١٢٣٤٥٦٧٨٩0123456789،؛؟\u064b\u0651")
HEBREW = FakeFace("hebrew", "אבגדהוזחטיכךלמםנןסעפףצץקרשת ")
EMOJI = FakeFace("emoji", "\U0001F600\U0001F468\U0001F469\U0001F467\u200d\ufe0f\U0001F44D")
CHAIN = FontChain(BODY, {"Arab": [ARABIC], "Hebr": [HEBREW]}, [EMOJI])


def _runs(text: str) -> list[tuple[str, str | None]]:
    return [(text[r.start:r.end], r.font) for r in font_runs(text, CHAIN)]


def test_latin_digits_and_urls_inside_arabic_go_to_the_body_font() -> None:
    text = "زوروا https://example.org/a في 2026 مع OpenAI."
    assert _runs(text) == [
        ("زوروا ", "arabic"), ("https://example.org/a ", "body"), ("في 2026 مع ", "arabic"),
        ("OpenAI.", "body"),
    ]


def test_hebrew_digits_and_punctuation_go_to_the_body_font() -> None:
    # The Hebrew font has neither digits nor full stops.
    assert _runs("שלום 2026.") == [("שלום ", "hebrew"), ("2026.", "body")]


def test_marks_stay_with_their_base_and_emoji_go_to_the_emoji_font() -> None:
    assert _runs("بًّا") == [("بًّا", "arabic")]
    family = "\U0001F468\u200d\U0001F469\u200d\U0001F467"
    assert _runs(f"Hi {family}\U0001F44D\ufe0f!") == [("Hi ", "body"), (family + "\U0001F44D\ufe0f", "emoji"), ("!", "body")]


def test_characters_no_font_has_get_no_font() -> None:
    assert _runs("a\u0e01b") == [("a", "body"), ("\u0e01", None), ("b", "body")]


@given(st.text(alphabet=LATIN + "ابتثج٠١٢אבג\U0001F600\u200d\u064b\u0e01", max_size=40))
def test_runs_cover_the_text_exactly(text: str) -> None:
    runs = font_runs(text, CHAIN)
    assert "".join(text[r.start:r.end] for r in runs) == text
    assert all(r.start < r.end for r in runs)
    assert all(isinstance(r, FontRun) for r in runs)
    for a, b in itertools.pairwise(runs):
        assert a.end == b.start and (a.font, a.script) != (b.font, b.script)
