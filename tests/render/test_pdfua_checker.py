"""The ``pdfua`` checker the README suggests skips its rule UA-14-001 ("headings are not
empty") on every briefing, with an internal error. The checker is at fault, not the briefing:

- its ``as_integer`` asks a ``pikepdf`` object for an ``is_integer`` attribute with
  ``getattr(value, "is_integer", False)``; on an array, pikepdf raises ``ValueError`` (it
  reads attributes as dictionary keys), which ``getattr`` does not catch;
- so any heading whose ``/K`` is an array (``/K [0]``, as the PDF format allows for any
  element, and as briefing writes every element) makes the rule fail;
- with that one function mended, the rule runs on a briefing and finds every heading filled.

The first test keeps a minimal reproduction: a hand-made tagged PDF of one heading. When a
release of the checker mends it, that test fails, and the README's note can go."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

pdfua = pytest.importorskip("pdfua")

RULE = "UA-14-001"


def _one_heading_pdf(path: Path, kids: pikepdf.Object) -> Path:
    """A tagged one-page PDF whose only heading, an H1, has ``kids`` as its /K."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font,
                                                Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = pdf.make_stream(b"/H1 <</MCID 0>> BDC BT /F1 12 Tf 20 150 Td (Title) Tj "
                                    b"ET EMC")
    page.StructParents = 0
    root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    heading = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem,
                                                   S=pikepdf.Name.H1, P=root, Pg=page.obj,
                                                   K=kids))
    root.K = pikepdf.Array([heading])
    root.ParentTree = pdf.make_indirect(pikepdf.Dictionary(
        Nums=pikepdf.Array([0, pikepdf.Array([heading])])))
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    pdf.Root.Lang = pikepdf.String("en")
    pdf.save(path)
    return path


def _outcome(path: Path) -> tuple[tuple[object, ...], str | None]:
    report = pdfua.validate(str(path))
    (outcome,) = [o for o in report.outcomes if o.rule_id == RULE]
    return outcome.findings, outcome.skipped_reason


def test_the_checker_fails_on_a_heading_whose_kids_are_an_array(tmp_path: Path) -> None:
    bare = _outcome(_one_heading_pdf(tmp_path / "bare.pdf", pikepdf.Object.parse(b"0")))
    assert bare == ((), None)  # /K 0: the rule runs, and the heading has its text
    findings, skipped = _outcome(_one_heading_pdf(tmp_path / "array.pdf", pikepdf.Array([0])))
    assert findings == ()
    assert skipped is not None and "is_integer" in skipped, (
        "pdfua now evaluates UA-14-001 on /K arrays: remove the README's note about it")


def _mended_as_integer(value: object) -> int | None:
    """pdfua's ``as_integer`` without the attribute lookup that fails on arrays."""
    if isinstance(value, bool):
        return None
    return value if isinstance(value, int) else None  # pikepdf gives numbers as int


def test_with_the_checker_mended_every_heading_of_a_briefing_has_text(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_build: object) -> None:
    from pdfua.rules import structure

    path = tmp_path / "sample.pdf"
    path.write_bytes(sample_build.pdf)  # type: ignore[attr-defined]
    assert _outcome(path)[1] is not None  # skipped, as a user sees it
    monkeypatch.setattr(structure, "as_integer", _mended_as_integer)
    report = pdfua.validate(str(path))
    assert report.skipped == ()
    assert report.findings == ()
