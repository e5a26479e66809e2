"""Language detection: script first, then py3langid (when installed) or words and letters."""

from __future__ import annotations

import pytest

from briefing.assets import sample_source
from briefing.read import read_briefing
from briefing.typography import detect
from briefing.typography.detect import by_markers, detect_language

SAMPLES = {
    "ar": ["تحذير من العاصفة على الساحل.", "يجب على السكان البقاء في منازلهم حتى صباح الغد."],
    "fa": ["هشدار طوفان برای ساحل.", "ساکنان باید تا صبح فردا در خانه بمانند."],
    "ur": ["ساحل کے لیے طوفان کی وارننگ۔", "رہائشیوں کو کل صبح تک گھروں میں رہنا چاہیے۔"],
    "he": ["אזהרת סערה לחוף.", "על התושבים להישאר בבתיהם עד מחר בבוקר."],
    "zh": ["沿海地区发布风暴预警。", "居民应留在家中，直到明天早上。"],
    "ja": ["沿岸部に暴風警報が出ました。", "住民は明日の朝まで家にいてください。"],
    "ko": ["해안 지역에 폭풍 경보가 발령되었습니다.", "주민들은 내일 아침까지 집에 머물러야 합니다."],
    "hi": ["तट के लिए तूफान की चेतावनी।", "निवासियों को कल सुबह तक घर में रहना चाहिए और बाहर नहीं जाना है।"],
    "mr": ["किनारपट्टीसाठी वादळाचा इशारा.", "रहिवाशांनी उद्या सकाळपर्यंत घरातच राहावे आणि बाहेर जाऊ नये, हे महत्त्वाचे आहे."],
    "en": ["Storm warning. Lead. Para."],
    "fr": ["Alerte tempête sur la côte.", "Les habitants doivent rester chez eux."],
    "es": ["Aviso de tormenta para la costa.", "Los residentes deben quedarse en casa."],
    "de": ["Sturmwarnung für die Küste.", "Die Bewohner sollen zu Hause bleiben."],
}


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_detected_with_the_detector(lang: str) -> None:
    assert detect_language(SAMPLES[lang]) == lang


@pytest.mark.parametrize("lang", ["ar", "fa", "ur", "he", "zh", "ja", "ko", "hi", "mr", "fr"])
def test_detected_without_the_detector(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(detect, "_detector", lambda languages: None)
    assert detect_language(SAMPLES[lang]) == lang


def test_short_english_is_not_spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    # One Spanish word ("para") in three is no evidence: the detector says English, and
    # without it the default (English) stands.
    assert detect_language(["Storm warning. Lead. Para."]) == "en"
    monkeypatch.setattr(detect, "_detector", lambda languages: None)
    assert detect_language(["Storm warning. Lead. Para."]) == "en"
    assert detect_language(["Storm warning. Lead. Para."], default="fr") == "fr"


def test_the_bundled_french_sample_is_french_without_loading_the_detector(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_detector(languages: tuple[str, ...]) -> None:
        raise AssertionError("the detector was asked about a clear French text")

    monkeypatch.setattr(detect, "_detector", no_detector)
    briefing, _ = read_briefing(sample_source())
    assert detect_language(briefing.texts()) == "fr"


def test_markers() -> None:
    assert by_markers(["این یک متن است"], "Arab", detect.ARABIC_SCRIPT) == "fa"
    assert by_markers(["یہ ایک مختصر متن ہے"], "Arab", detect.ARABIC_SCRIPT) == "ur"
    assert by_markers(["هذا نص قصير في المدينة"], "Arab", detect.ARABIC_SCRIPT) == "ar"
    assert by_markers(["—"], "Arab", detect.ARABIC_SCRIPT) == "ar"


def test_no_letters_gives_the_default() -> None:
    assert detect_language(["2026 — 12:00"], default="de") == "de"
    assert detect_language([]) == "en"


def test_mixed_text_goes_by_the_script_most_letters_are_in() -> None:
    assert detect_language(["زوروا موقع OpenAI لمعرفة المزيد عن الذكاء الاصطناعي"]) == "ar"
    assert detect_language(["The word «سلام» means peace, and the word is often heard."]) == "en"
