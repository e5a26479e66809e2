"""Line breaking in Chinese, Japanese and Korean text: where a line may end, as data and one
pure function, for the paragraph breaker.

CJK text has no spaces between words: a line may break between any two ideographs or kana,
except where the language's rules forbid it (kinsoku shori in Japanese, 避头尾 in Chinese):

- a line never *starts* with closing punctuation, a full stop or a comma (。、，．」』）〉》】),
  a question or exclamation mark, a middle dot or colon, an iteration mark (々ゝヽ), the
  prolonged sound mark (ー) or, in Japanese, a small kana (ぁっゃャ…);
- a line never *ends* with opening punctuation (「『（〈《【 “ ‘);
- two dashes or ellipses in a row (——, ……) are never parted;
- a Latin word, a number or an address inside CJK text is not broken (it breaks at its spaces
  as in any Latin text), and justification does not stretch it: ``stretch_points`` gives the
  places where the breaker may add space, between CJK characters and at spaces only;
- Korean is written with spaces between words and broken there (``keep_all``, the usual
  practice of Korean typesetting); ``keep_all=False`` lets it break between syllables too.

Sources: W3C "Requirements for Japanese Text Layout" (JLREQ) 3.1.7 and appendix C, "Chinese
Layout Requirements" (CLREQ) 3.1.7, "Korean Layout Requirements" (KLREQ) 3.3.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from briefing.typography.scripts import script_of

#: Characters that never begin a line, in every CJK language.
NO_LINE_START_COMMON = (
    ")]}）〕］｝〉》」』】〙〗〟’”｠»›"  # closing brackets and quotes
    "、。，．,.：；:;？！?!‼⁇⁈⁉"  # commas, full stops, colons, question and exclamation marks
    "・･゠‐〜～–"  # middle dots, hyphens, wave dash
    "%％‰°℃¢"  # signs that follow a number
)
#: Characters that never end a line, in every CJK language.
NO_LINE_END_COMMON = "([{（〔［｛〈《「『【〘〖〝‘“｟«‹$＄￥£€#＃"

#: What each language adds.
NO_LINE_START: dict[str, str] = {
    "ja": NO_LINE_START_COMMON + "ヽヾゝゞ々〻ー"
          "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ",
    "zh": NO_LINE_START_COMMON + "々〃·‖…‥",
    "ko": NO_LINE_START_COMMON,
}
NO_LINE_END: dict[str, str] = {"ja": NO_LINE_END_COMMON, "zh": NO_LINE_END_COMMON + "·",
                               "ko": NO_LINE_END_COMMON}
#: Characters never parted from the same character next to them (a two-em dash, an ellipsis).
INSEPARABLE = "—―…‥"

#: Scripts whose characters are break opportunities on both sides.
_BREAKABLE_SCRIPTS = frozenset({"Hani", "Hira", "Kana", "Bopo"})


def _primary(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].lower()


def _is_cjk_char(char: str, keep_all: bool) -> bool:
    """Whether a character is a break opportunity on both sides (UAX #14 class ID, roughly):
    ideographs, kana, bopomofo, CJK punctuation and fullwidth forms; Hangul unless
    ``keep_all``."""
    code = ord(char)
    script = script_of(char)
    if script in _BREAKABLE_SCRIPTS:
        return True
    if script == "Hang":
        return not keep_all
    return (0x3000 <= code <= 0x303F or 0xFF01 <= code <= 0xFF60 or 0xFFE0 <= code <= 0xFFE6
            or 0x31F0 <= code <= 0x31FF or 0x20000 <= code <= 0x3FFFD)


def _clings(char: str) -> bool:
    """Marks, joiners and variation selectors stay with the character before them."""
    code = ord(char)
    return (unicodedata.category(char) in ("Mn", "Me", "Mc") or code in (0x200C, 0x200D)
            or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF)


def break_opportunities(text: str, lang: str = "zh", *, keep_all: bool = True) -> list[int]:
    """The offsets where a line may break: a line may end just before ``text[p]``.

    At spaces, the offset is that of the first character after them (the spaces end the line
    and are not drawn). Between CJK characters, the kinsoku rules of the language apply; Latin
    words, numbers and addresses are never broken inside.
    """
    primary = _primary(lang)
    no_start = NO_LINE_START.get(primary, NO_LINE_START_COMMON)
    no_end = NO_LINE_END.get(primary, NO_LINE_END_COMMON)
    breaks: list[int] = []
    for p in range(1, len(text)):
        before, after = text[p - 1], text[p]
        if after.isspace() or after == "\u00a0" or before == "\u00a0" or _clings(after):
            continue
        if before.isspace():
            breaks.append(p)
            continue
        if not (_is_cjk_char(before, keep_all) or _is_cjk_char(after, keep_all)):
            continue  # inside a Latin word or a number
        if after in no_start or before in no_end:
            continue
        if before == after and after in INSEPARABLE:
            continue
        breaks.append(p)
    return [p for p in breaks if _fine_at_spaces(text, p, no_start, no_end)]


def _fine_at_spaces(text: str, p: int, no_start: str, no_end: str) -> bool:
    """A break at spaces is no break when the next character may not start a line (``漢 」``)
    or the last one before the spaces may not end one (``「 漢``)."""
    if not text[p - 1].isspace():
        return True
    before = text[:p].rstrip()
    return text[p] not in no_start and (not before or before[-1] not in no_end)


def stretch_points(text: str, *, keep_all: bool = True) -> list[int]:
    """Offsets between two characters where justification may add space: between CJK
    characters (or a CJK character and its neighbour), and after spaces; never inside a Latin
    word or a number."""
    points: list[int] = []
    for p in range(1, len(text)):
        before, after = text[p - 1], text[p]
        if _clings(after):
            continue
        if before.isspace() or _is_cjk_char(before, keep_all) or _is_cjk_char(after, keep_all):
            points.append(p)
    return points


def lines_break_well(lines: Iterable[str], lang: str = "zh") -> list[str]:
    """The lines (of a broken paragraph) that start or end against the language's rules: for
    tests of what a page shows."""
    primary = _primary(lang)
    no_start = NO_LINE_START.get(primary, NO_LINE_START_COMMON)
    no_end = NO_LINE_END.get(primary, NO_LINE_END_COMMON)
    items = [line.strip() for line in lines]
    bad = [line for line in items[1:] if line and line[0] in no_start]
    bad += [line for line in items[:-1] if line and line[-1] in no_end]
    return bad
