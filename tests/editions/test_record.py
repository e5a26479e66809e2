"""Editions recorded from builds: numbering, notice, change bars, theme-only changes, corrections."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from briefing.editions.record import build_edition, edition_key
from briefing.editions.store import EditionStore, describe
from briefing.errors import EditionError
from briefing.options import ask
from briefing.render import measured_margins
from briefing.theme import load_theme
from tests.editions.conftest import NEW_QUESTION, NEW_WORDS, norm

MM = 72 / 25.4

DAY1 = dt.date(2026, 12, 1)
DAY2 = dt.date(2026, 12, 2)
ACCENT = (0xE8, 0x70, 0x2A)  # the default theme's accent colour


def page_text(pdf: bytes, page: int = 0) -> str:
    return norm(" ".join(PdfReader(io.BytesIO(pdf)).pages[page].extract_text().split()))


def two_editions(tmp_path: Path, sources: tuple[Path, Path]) -> EditionStore:
    store = EditionStore(tmp_path / "editions")
    first = build_edition(sources[0], "sora", store, date=DAY1, fingerprint="f1")
    assert first.status == "first" and first.edition.number == 1
    second = build_edition(sources[1], "sora", store, date=DAY2, fingerprint="f2")
    assert second.status == "new" and second.edition.number == 2
    return store


def test_numbered_editions_with_records(tmp_path: Path, sources: tuple[Path, Path]) -> None:
    store = two_editions(tmp_path, sources)
    editions = store.list("sora")
    assert [(e.number, e.date, e.fingerprint) for e in editions] == [(1, DAY1, "f1"), (2, DAY2, "f2")]
    assert sorted(p.name for p in (tmp_path / "editions" / "sora").iterdir()) == [
        "0001.json", "0001.pdf", "0002.json", "0002.pdf"]
    assert editions[0].summary == "first edition"
    assert editions[1].summary.startswith("Article changed; 1 FAQ question added")
    assert norm(editions[1].model().faq[-1].question) == NEW_QUESTION
    listing = describe(editions)
    assert "   1  2026-12-01    1 p.  first edition" in listing
    assert "   2  2026-12-02" in listing
    assert edition_key(store.latest("sora")) == f"2:{editions[1].content_hash}"
    assert edition_key(store.latest("other")) == "0:"


def test_notice_only_on_a_later_edition(tmp_path: Path, sources: tuple[Path, Path]) -> None:
    store = two_editions(tmp_path, sources)
    first, second = store.list("sora")
    assert "Mis à jour" not in page_text(first.pdf())
    text = page_text(second.pdf())
    assert "Mis à jour le 2 décembre 2026" in text
    assert "Modifié : Article" in text
    assert NEW_QUESTION.replace(" ?", "") in text


def _bar_rows(pdf: bytes, dpi: float = 72) -> list[int]:
    """Rows (from the top, in points) with accent-coloured pixels in the left margin."""
    document = pdfium.PdfDocument(pdf)
    try:
        image = document[0].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        document.close()
    theme = load_theme("default")  # the text column's left edge, from the theme
    width = image.width * 72 / dpi
    edge, _ = measured_margins(width, theme.page.margin_left * MM, theme.page.margin_right * MM,
                               theme.page.measure * MM)
    left_margin = int(edge * dpi / 72)
    rows = []
    for y in range(image.height):
        # Between the column and the logo that hangs in the margin (12 pt away).
        for x in range(left_margin - 10, left_margin - 2):
            r, g, b = image.getpixel((x, y))  # type: ignore[misc]
            if abs(r - ACCENT[0]) < 30 and abs(g - ACCENT[1]) < 30 and abs(b - ACCENT[2]) < 30:
                rows.append(y)
                break
    return rows


def _line_top(pdf: bytes, words: str) -> float:
    """Distance from the top of page 1 to the baseline of the line holding ``words``."""
    found: list[float] = []
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    height = float(page.mediabox.height)

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: object) -> None:
        if words.split()[1] in text:
            found.append(height - (tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    assert found, f"{words!r} not found on page 1"
    return found[0]


def test_change_bar_beside_the_changed_paragraph(tmp_path: Path, sources: tuple[Path, Path]) -> None:
    store = two_editions(tmp_path, sources)
    first, second = store.list("sora")
    assert _bar_rows(first.pdf()) == []
    all_rows = _bar_rows(second.pdf())
    assert all_rows, "no change bar on page 1"
    # The first bar (the changed paragraph); the added FAQ entry has its own bar further down
    # (on page 1 or 2).
    rows = [y for i, y in enumerate(all_rows) if all_rows[: i + 1] == list(range(all_rows[0], y + 1))]
    line = _line_top(second.pdf(), NEW_WORDS)
    # One bar, a paragraph high (4 or 5 lines of 13.6 pt), and beside the line that changed.
    assert 40 < rows[-1] - rows[0] < 85
    assert rows[0] - 2 <= line <= rows[-1] + 4
    assert rows[-1] - rows[0] + 1 == len(rows)


def test_theme_only_change_is_the_same_edition(tmp_path: Path, sources: tuple[Path, Path]) -> None:
    store = two_editions(tmp_path, sources)
    before = store.latest("sora")
    assert before is not None
    before_pdf = before.pdf()
    again = build_edition(sources[1], "sora", store, date=dt.date(2026, 12, 9))
    assert again.status == "unchanged" and again.edition.number == 2
    assert again.edition.pdf() == before_pdf  # byte-reproducible given the same editions
    theme = tmp_path / "green.toml"
    theme.write_text('extends = "default"\nname = "green"\n[colors]\nprimary = "#1E5B3A"\n',
                     encoding="utf-8")
    restyled = build_edition(sources[1], "sora", store, ask(theme=str(theme)),
                             date=dt.date(2026, 12, 9))
    assert restyled.status == "restyled"
    assert [e.number for e in store.list("sora")] == [1, 2]
    latest = store.latest("sora")
    assert latest is not None and latest.date == DAY2
    assert latest.pdf() != before_pdf
    assert "Mis à jour le 2 décembre 2026" in page_text(latest.pdf())


def test_any_model_change_is_a_new_edition_unless_a_correction(
        tmp_path: Path, sources: tuple[Path, Path]) -> None:
    store = two_editions(tmp_path, sources)
    typo = sources[1].parent / "typo.txt"
    typo.write_text(sources[1].read_text(encoding="utf-8").replace("Sora", "Sora.", 1),
                    encoding="utf-8")
    fixed = build_edition(typo, "sora", store, correction=True, date=dt.date(2026, 12, 3))
    assert fixed.status == "correction" and fixed.edition.number == 2
    assert fixed.edition.corrections == 1 and fixed.edition.date == DAY2
    assert "Mis à jour le 2 décembre 2026" in page_text(fixed.edition.pdf())
    third = build_edition(sources[1], "sora", store, date=dt.date(2026, 12, 3))
    assert third.status == "new" and third.edition.number == 3
    assert third.changes.title is not None


def test_bad_records_and_names(tmp_path: Path) -> None:
    store = EditionStore(tmp_path)
    with pytest.raises(EditionError, match="briefing name"):
        store.folder("../x")
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "0001.json").write_text("{nope", encoding="utf-8")
    with pytest.raises(EditionError, match=r"0001\.json: not a valid edition record"):
        store.list("x")
    with pytest.raises(EditionError, match="no edition 3"):
        EditionStore(tmp_path / "none").get("y", 3)


def test_change_bars_are_artifacts_in_the_tagged_pdf(tmp_path: Path,
                                                     sources: tuple[Path, Path]) -> None:
    store = two_editions(tmp_path, sources)
    second = store.list("sora")[1]
    with pikepdf.open(io.BytesIO(second.pdf())) as pdf:
        content = pdf.pages[0].Contents.read_bytes().decode("latin-1")
    bars = re.findall(r"(\S+ BMC|\S+ <<[^>]*>> BDC)?\s*n [-\d.]+ [-\d.]+ 1\.6 [-\d.]+ re f\*",
                      content)
    assert bars, "no change bar drawn"
    assert all(marker == "/Artifact BMC" for marker in bars)


def test_front_matter_correction_is_silent(tmp_path: Path) -> None:
    store = EditionStore(tmp_path / "editions")
    source = tmp_path / "note.md"
    source.write_text("---\nlang: en\n---\n# A note\n\nThe meeting is on Tuesday.\n",
                      encoding="utf-8")
    assert build_edition(source, "note", store, date=DAY1).status == "first"
    source.write_text("---\nlang: en\ncorrection: true\n---\n# A note\n\n"
                      "The meeting is on Tuesday at noon.\n", encoding="utf-8")
    fixed = build_edition(source, "note", store, date=DAY2)
    assert fixed.status == "correction"
    assert [e.number for e in store.list("note")] == [1]
    assert "at noon" in page_text(fixed.edition.pdf())
    assert "Updated" not in page_text(fixed.edition.pdf())
