"""Word documents written by python-docx for the tests: every feature the reader knows.

python-docx has no API for links, list levels or footnotes: those are written as the XML
Word itself writes.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Inches
from PIL import Image

FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def link(paragraph: Any, url: str, text: str) -> None:
    """A hyperlink run, as Word writes one."""
    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    text_el = OxmlElement("w:t")
    text_el.text = text
    text_el.set(qn("xml:space"), "preserve")
    run.append(text_el)
    hyperlink.append(run)
    paragraph._p.append(hyperlink)


def numbering(document: Any) -> tuple[int, int]:
    """Multi-level bullet and decimal numberings, as Word defines them (python-docx's
    template has single-level ones only); their ids."""
    element = document.part.numbering_part.element
    levels = {"bullet": ("\u2022", "o", "\u25aa"), "decimal": ("%1.", "%2.", "%3.")}
    ids = []
    for offset, (fmt, texts) in enumerate(levels.items()):
        abstract_id = num_id = 40 + offset
        lvls = "".join(
            f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/><w:pPr>'
            f'<w:ind w:left="{720 * (level + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
            for level, text in enumerate(texts)
        )
        abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
                             f'<w:multiLevelType w:val="hybridMultilevel"/>{lvls}'
                             f'</w:abstractNum>')
        first_num = element.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            element.append(abstract)
        element.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                                 f'<w:abstractNumId w:val="{abstract_id}"/></w:num>'))
        ids.append(num_id)
    return ids[0], ids[1]


def list_item(document: Any, text: str, *, num_id: int, level: int = 0) -> Any:
    """A list paragraph at a level (0 is the outer list), with Word's numbering."""
    paragraph = document.add_paragraph(text, style="List Paragraph")
    num_pr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    num = OxmlElement("w:numId")
    num.set(qn("w:val"), str(num_id))
    num_pr.append(ilvl)
    num_pr.append(num)
    paragraph._p.get_or_add_pPr().append(num_pr)
    return paragraph


def footnotes(document: Any, notes: list[str]) -> None:
    """A footnotes part holding ``notes`` (ids 1, 2...), as Word writes it."""
    body = "".join(
        f'<w:footnote w:id="{i}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
        f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
        for i, text in enumerate(notes, 1)
    )
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<w:footnotes {nsdecls("w")}>'
           f'<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
           f'</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
           f'<w:continuationSeparator/></w:r></w:p></w:footnote>{body}</w:footnotes>')
    part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_TYPE, xml.encode(), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)


def note_reference(paragraph: Any, number: int) -> None:
    paragraph._p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        f'<w:footnoteReference w:id="{number}"/></w:r>'))


def png(width: int = 300, height: int = 200, colour: tuple[int, int, int] = (30, 120, 200),
        fmt: str = "PNG") -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(data, fmt)
    data.seek(0)
    return data


#: The words of ``full_document``'s main text, in reading order (what the PDF must show).
FULL_TEXT = [
    "Économiser l’énergie cet hiver",
    "Le guide pratique des ménages",
    "Le chauffage représente les deux tiers de la facture d’un ménage. Baisser d’un degré "
    "suffit à économiser sept pour cent, selon le guide officiel. 1",
    "Les bons gestes",
    "Régler le thermostat à 19 °C dans les pièces à vivre",
    "Fermer les volets la nuit",
    "surtout sur les façades au nord",
    "Purger les radiateurs en début de saison",
    "Dépoussiérer les convecteurs",
    "Combien économiser",
    "Geste", "Économie", "Thermostat à 19 °C", "7 %", "Volets fermés", "4 %",
    "Un radiateur mal purgé chauffe moins bien.",
    "Détail technique",
    "Un radiateur purgé chauffe mieux et plus vite.",
    "Avis et conseils",
    "Faites contrôler la chaudière chaque année par un professionnel.",
    "Conclusion",
    "Quelques gestes suffisent pour réduire nettement la facture.",
    "Selon l’Agence de la transition écologique, 2024.",
]


def full_document(path: Path) -> Path:
    """A .docx with every feature: Title, Subtitle, Heading 1-3, bold, italic, a link, nested
    bulleted and numbered lists, a table with a bold header row, an image with alt text, a
    footnote, and core properties (title, author, language, dates, keywords)."""
    document = docx.Document()
    core = document.core_properties
    core.title = "Économiser l’énergie"
    core.author = "Jeanne Dupont"
    core.language = "fr-FR"
    core.created = dt.datetime(2025, 10, 1, 8, 0)
    core.modified = dt.datetime(2025, 10, 23, 9, 0)
    core.keywords = "énergie, hiver"
    document.add_paragraph("Économiser l’énergie cet hiver", style="Title")
    document.add_paragraph("Le guide pratique des ménages", style="Subtitle")
    lead = document.add_paragraph("Le chauffage représente les deux tiers de la facture d’un "
                                  "ménage. ")
    lead.add_run("Baisser d’un degré").bold = True
    lead.add_run(" suffit à économiser ")
    lead.add_run("sept pour cent").italic = True
    lead.add_run(", selon ")
    link(lead, "https://www.ademe.example/chauffage", "le guide officiel")
    lead.add_run(".")
    note_reference(lead, 1)
    document.add_heading("Les bons gestes", level=1)
    bullets, numbers = numbering(document)
    list_item(document, "Régler le thermostat à 19 °C dans les pièces à vivre", num_id=bullets)
    list_item(document, "Fermer les volets la nuit", num_id=bullets)
    list_item(document, "surtout sur les façades au nord", num_id=bullets, level=1)
    list_item(document, "Purger les radiateurs en début de saison", num_id=numbers)
    list_item(document, "Dépoussiérer les convecteurs", num_id=numbers)
    document.add_heading("Combien économiser", level=2)
    table = document.add_table(rows=3, cols=2)
    for row, cells in enumerate([("Geste", "Économie"), ("Thermostat à 19 °C", "7 %"),
                                 ("Volets fermés", "4 %")]):
        for column, text in enumerate(cells):
            run = table.rows[row].cells[column].paragraphs[0].add_run(text)
            run.bold = row == 0
    document.add_picture(png(), width=Inches(3))
    picture = document.inline_shapes[0]._inline
    picture.docPr.set("descr", "Un radiateur sous une fenêtre")
    document.add_paragraph("Un radiateur mal purgé chauffe moins bien.")
    document.add_heading("Détail technique", level=3)
    document.add_paragraph("Un radiateur purgé chauffe mieux et plus vite.")
    document.add_heading("Avis et conseils", level=1)
    document.add_paragraph("Faites contrôler la chaudière chaque année par un professionnel.")
    document.add_heading("Conclusion", level=1)
    document.add_paragraph("Quelques gestes suffisent pour réduire nettement la facture.")
    footnotes(document, ["Selon l’Agence de la transition écologique, 2024."])
    document.save(str(path))
    return path
