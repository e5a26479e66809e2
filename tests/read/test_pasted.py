"""Pasted text: Markdown, tables, lists, dates, heading levels and a repeated title understood,
each guess listed with its line numbers; ``literal`` reads the text as typed; nothing dropped."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.model import (
    CodeBlock,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Quote,
    SectionKind,
    Table,
    plain,
)
from briefing.read import read_source
from briefing.read.dates import parse_date_line
from briefing.read.pasted import read_pasted
from briefing.read.text import read_text

ROOT = Path(__file__).resolve().parents[2]


def blocks(text: str) -> list[object]:
    briefing, _ = read_pasted(text)
    return [b for s in briefing.sections for b in s.blocks]


def decisions(text: str) -> list[str]:
    return [d.describe() for d in read_pasted(text)[1]]


# --- the sample reads exactly as before ---------------------------------------------------


def test_the_sample_reads_as_it_always_did(sample_path: Path) -> None:
    text = sample_path.read_text(encoding="utf-8")
    guessed, found = read_pasted(text, name=str(sample_path))
    assert guessed == read_text(text)
    assert found == []


# --- Markdown -------------------------------------------------------------------------------


def test_markdown_pasted_into_a_text_file() -> None:
    text = (
        "### Votre voyage au Japon\n"
        "Le Japon attire des **millions** de visiteurs, voir [le site](https://japan.example/).\n"
        "## Avant de partir\n"
        "Un paragraphe avec `du code` et *de l'emphase*.\n"
        "![Le mont Fuji](fuji.png \"Le Fuji à l'aube\")\n"
        "```python\n"
        "print('bonjour')\n"
        "  # indenté\n"
        "```\n"
        "> Une citation.\n"
        "> **Sur deux lignes.**\n"
    )
    briefing, found = read_pasted(text)
    assert briefing.title == "Votre voyage au Japon"
    lead = briefing.lead[0].spans
    assert plain(lead).startswith("Le Japon attire des millions de visiteurs")
    assert any(s.bold and s.text == "millions" for s in lead)
    assert any(s.href == "https://japan.example/" and s.text == "le site" for s in lead)
    (section,) = briefing.sections
    assert section.heading == "Avant de partir"
    paragraph, image, code, quote = section.blocks
    assert isinstance(paragraph, Paragraph)
    assert any(s.code and s.text == "du code" for s in paragraph.spans)
    assert any(s.italic for s in paragraph.spans)
    assert image == Image("fuji.png", "Le mont Fuji", "Le Fuji à l'aube")
    assert code == CodeBlock("print('bonjour')\n  # indenté", "python")
    assert isinstance(quote, Quote) and len(quote.blocks) == 2
    assert [d.describe() for d in found] == [
        "line 1: read as a heading (Markdown, level 3)",
        "line 2: read as Markdown: emphasis, links",
        "line 3: read as a heading (Markdown, level 2)",
        "line 4: read as Markdown: code, emphasis",
        "line 5: read as Markdown: images",
        "lines 6–9: read as code (a Markdown ``` fence)",
        "lines 10–11: read as a quotation (Markdown >)",
        "line 11: read as Markdown: emphasis",
    ]


def test_plain_lines_keep_their_backslashes_and_stars() -> None:
    text = "Title\nC:\\Users\\* and 5 * 3 * 2 = 30, snake_case_name stays.\n"
    (paragraph,) = read_pasted(text)[0].lead
    assert plain(paragraph.spans) == "C:\\Users\\* and 5 * 3 * 2 = 30, snake_case_name stays."


def test_underlined_headings_and_separators() -> None:
    text = "Le titre\n========\nUn chapeau.\nUne partie\n----------\nTexte.\n\n* * *\n\nFin.\n"
    briefing, found = read_pasted(text)
    assert briefing.title == "Le titre"
    assert [s.heading for s in briefing.sections] == ["Une partie"]
    assert [plain(b.spans) for b in briefing.sections[0].blocks
            if isinstance(b, Paragraph)] == ["Texte.", "Fin."]
    assert "line 8: a separator line (* * *): nothing to print" in [d.describe() for d in found]


def test_an_unclosed_fence_is_text() -> None:
    text = "Title\nLead.\n```\nNot code, the fence is never closed.\n"
    kinds = {type(b) for b in blocks(text)}
    assert CodeBlock not in kinds


# --- tables ---------------------------------------------------------------------------------


def test_tab_separated_rows_are_a_table_with_a_header_above_numbers() -> None:
    text = ("Nos formules\nLe détail des prix.\nTarifs\n"
            "Formule\tPrix\tDurée\nDécouverte\t1 200 €\t7 jours\nEssentiel\t2 100 €\t12 jours\n"
            "Après le tableau.\n")
    (table, after) = blocks(text)
    assert isinstance(table, Table)
    assert [plain(c) for c in table.header] == ["Formule", "Prix", "Durée"]
    assert [[plain(c) for c in row] for row in table.rows] == [
        ["Découverte", "1 200 €", "7 jours"], ["Essentiel", "2 100 €", "12 jours"]]
    assert plain(after.spans) == "Après le tableau."  # type: ignore[union-attr]
    assert "lines 4–6: read as a table, tab-separated, 3 columns, with a header row" in (
        decisions(text))


def test_a_table_of_names_has_no_header_row_and_empty_cells_are_kept() -> None:
    text = "Title\nLead.\nAlice\tAuteur\nBob\t\tÉditeur\n"
    (table,) = blocks(text)
    assert isinstance(table, Table) and table.header == ()
    assert [[plain(c) for c in row] for row in table.rows] == [
        ["Alice", "Auteur"], ["Bob", "", "Éditeur"]]
    assert "lines 3–4: read as a table, tab-separated, 3 columns, no header row" in (
        decisions(text))


def test_pipe_tables_with_and_without_a_delimiter_row() -> None:
    text = ("Title\nLead.\n| Ville | Nuits |\n|:---|---:|\n| Tokyo | 4 |\n| Kyoto \\| Nara | 3 |\n"
            "\n| a | b |\n| c | d |\n")
    first, second = blocks(text)
    assert isinstance(first, Table) and isinstance(second, Table)
    assert [plain(c) for c in first.header] == ["Ville", "Nuits"]
    assert first.align == ("left", "right")
    assert [plain(c) for c in first.rows[1]] == ["Kyoto | Nara", "3"]
    assert second.header == () and len(second.rows) == 2


def test_too_many_columns_stay_text() -> None:
    row = "\t".join(str(n) for n in range(20))
    text = f"Title\nLead.\n{row}\n{row}\n"
    assert not any(isinstance(b, Table) for b in blocks(text))
    assert "lines 3–4: tab-separated lines of 20 columns: too many for a page, kept as text" in (
        decisions(text))


# --- lists ----------------------------------------------------------------------------------


def test_list_markers_nested_by_indentation() -> None:
    text = ("Title\nLead.\n"
            "- Vérifiez le passeport\n"
            "- Réservez le train\n"
            "    • en ligne\n"
            "    • ou en agence\n"
            "\tsur rendez-vous\n"
            "* Prévoyez du liquide\n"
            "Un paragraphe.\n"
            "1. Tokyo\n"
            "2) Kyoto\n"
            "a) plage\n"
            "b) montagne\n")
    bullets, paragraph, numbered, lettered = blocks(text)
    assert isinstance(bullets, ListBlock) and not bullets.ordered
    assert [plain(i.blocks[0].spans) for i in bullets.items] == [  # type: ignore[union-attr]
        "Vérifiez le passeport", "Réservez le train", "Prévoyez du liquide"]
    nested = bullets.items[1].blocks[1]
    assert isinstance(nested, ListBlock)
    assert [plain(i.blocks[0].spans) for i in nested.items] == [  # type: ignore[union-attr]
        "en ligne", "ou en agence sur rendez-vous"]
    assert isinstance(paragraph, Paragraph)
    assert isinstance(numbered, ListBlock) and numbered.ordered and len(numbered.items) == 2
    assert isinstance(lettered, ListBlock) and lettered.ordered and lettered.start == 1
    assert decisions(text)[0] == "lines 3–8: read as a bulleted list, 5 items, nested 2 levels"
    assert decisions(text)[1] == (
        "lines 10–13: read as 2 lists in a row (numbered, lettered), 4 items "
        "(letters printed as numbers)")


def test_a_lone_numbered_line_is_a_numbered_heading_not_a_list() -> None:
    text = "Title\nLead.\n1. Le contexte\nUn paragraphe.\n2. Les enjeux\nUn autre.\n"
    briefing, found = read_pasted(text)
    assert [s.heading for s in briefing.sections] == ["1. Le contexte", "2. Les enjeux"]
    assert not found


def test_a_list_keeps_its_start_number() -> None:
    (listed,) = blocks("Title\nLead.\n3. trois\n4. quatre\n")
    assert isinstance(listed, ListBlock) and listed.start == 3


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "2025-10-23", "23 octobre 2025", "jeudi 23 octobre 2025", "October 23, 2025",
    "Thursday, October 23, 2025", "23 Oct. 2025", "23. Oktober 2025",
    "Donnerstag, 23. Oktober 2025", "23 de octubre de 2025", "giovedì 23 ottobre 2025",
    "23.10.2025", "23/10/2025",
])
def test_a_date_line_is_the_briefings_date(line: str) -> None:
    text = f"Un titre\n{line}\nLe chapeau.\nUn paragraphe.\n"
    briefing, found = read_pasted(text)
    assert briefing.meta.date == dt.date(2025, 10, 23)
    assert line not in list(briefing.texts())
    assert found[0].describe() == "line 2: read as the briefing's date (2025-10-23)"


@pytest.mark.parametrize("line", ["Friday, October 23, 2025", "05/06/2025", "31 février 2025",
                                  "23 octobre", "Publié le 23 octobre 2025"])
def test_what_is_not_a_date_line(line: str) -> None:
    assert parse_date_line(line) is None


def test_a_date_far_from_the_top_stays_in_the_text() -> None:
    text = "Titre\nChapeau.\n" + "Un paragraphe.\n" * 6 + "23 octobre 2025\nSuite.\n"
    briefing, _ = read_pasted(text)
    assert briefing.meta.date is None
    assert "23 octobre 2025" in list(briefing.texts())


# --- headings and the title -----------------------------------------------------------------


def test_a_heading_directly_followed_by_another_is_two_levels() -> None:
    text = "Title\nLead.\nLes formules\nPrix et durées\nUn paragraphe.\nConclusion\nFin.\n"
    briefing, found = read_pasted(text)
    article, conclusion = briefing.sections
    assert article.heading == "Les formules"
    assert article.blocks[0] == Heading("Prix et durées", 3)
    assert conclusion.kind is SectionKind.CONCLUSION
    assert "lines 3–4: headings in a row: a section and a sub-heading" in [
        d.describe() for d in found]


def test_a_heading_that_names_a_section_stays_a_section() -> None:
    briefing, _ = read_pasted("Title\nLead.\nContexte\nConclusion\nFin.\n")
    assert [s.kind for s in briefing.sections] == [SectionKind.ARTICLE, SectionKind.CONCLUSION]


def test_the_title_repeated_is_printed_once() -> None:
    text = "Bien préparer son jardin\n2025-10-23\nBien préparer son jardin\nLe chapeau.\nTexte.\n"
    briefing, found = read_pasted(text)
    assert briefing.title == "Bien préparer son jardin"
    assert list(briefing.texts()).count("Bien préparer son jardin") == 1
    assert plain(briefing.lead[0].spans) == "Le chapeau."
    assert "line 3: the title repeated: printed once" in [d.describe() for d in found]


def test_the_title_given_and_repeated_on_the_first_line_is_printed_once() -> None:
    briefing, found = read_pasted("Mon titre\nLe chapeau.\n", title="Mon titre")
    assert plain(briefing.lead[0].spans) == "Le chapeau."
    assert [d.describe() for d in found] == ["line 1: the title given repeated: printed once"]


# --- literal, and nothing dropped -----------------------------------------------------------


def test_literal_reads_the_text_as_typed(tmp_path: Path) -> None:
    source = tmp_path / "pasted.txt"
    source.write_text("### Le titre\n2025-10-23\n- un\n- deux\nA\tB\nC\tD\n", encoding="utf-8")
    literal = read_source(source, literal=True)
    assert literal.briefing.title == "### Le titre" and not literal.decisions
    assert literal.briefing.meta.date is None
    guessed = read_source(source)
    assert guessed.briefing.title == "Le titre" and guessed.decisions


PASTED = (ROOT / "tests" / "read" / "fixtures" / "pasted" / "voyage.txt")


def test_nothing_is_dropped_from_a_pasted_article() -> None:
    """Every word of the source is in the model (as text, a link's target or an image's
    file), except the date, which is the briefing's date."""
    text = PASTED.read_text(encoding="utf-8")
    briefing, _ = read_pasted(text)
    data = json.dumps(briefing.as_dict(), ensure_ascii=False)
    import re

    for word in re.findall(r"\w+", text):
        assert word in data, word


# --- the command line -----------------------------------------------------------------------


def test_check_lists_every_decision_in_text_and_json(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["check", str(PASTED)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "read as pasted text (--literal reads it as typed):" in out
    assert "  lines 7–10: read as a table, tab-separated, 3 columns, with a header row" in out
    assert "  line 2: read as the briefing's date (2025-10-23)" in out
    result = runner.invoke(cli, ["check", str(PASTED), "--json"])
    data = json.loads(result.output)
    assert {"lines": [7, 10], "text": "read as a table, tab-separated, 3 columns, with a header "
            "row"} in data["decisions"]
    result = runner.invoke(cli, ["check", str(PASTED), "--literal", "--json"])
    assert json.loads(result.output)["decisions"] == []


def test_build_literal_and_the_manifest_key(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out.pdf"
    result = runner.invoke(cli, ["build", str(PASTED), "-o", str(out), "--literal"])
    assert result.exit_code == 0, result.output
    from briefing.jobs.manifest import parse_manifest

    source = tmp_path / "voyage.txt"
    source.write_text(PASTED.read_text(encoding="utf-8"), encoding="utf-8")
    manifest = parse_manifest('[[briefing]]\nsource = "voyage.txt"\nliteral = true\n',
                              tmp_path / "briefings.toml")
    assert manifest.entries[0].asked.get("literal") is True
    from briefing.errors import ManifestError

    with pytest.raises(ManifestError, match='key "literal": expected true or false'):
        parse_manifest('[[briefing]]\nsource = "voyage.txt"\nliteral = "yes"\n',
                       tmp_path / "briefings.toml")


def test_a_plain_text_build_loads_none_of_the_heavy_readers() -> None:
    code = (
        "import sys\n"
        "from briefing.build import build\n"
        "from briefing.assets import sample_source\n"
        "build(sample_source())\n"
        "heavy = {'mammoth', 'docx', 'readability', 'lxml_html_clean', 'markdown_it', 'yaml'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    assert out.strip() == "[]"
