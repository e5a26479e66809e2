"""Word documents (``.docx``): mammoth turns them into semantic HTML, which the HTML reader
(``briefing.read.html``) reads; python-docx reads their properties.

How a Word document is understood:

- headings by their styles: with a paragraph in the *Title* style, it is the title and
  *Heading 1* opens the sections (*Heading 2* and *3* are sub-headings); without one, a
  document with a single *Heading 1* has it as its title and *Heading 2* opens the sections;
  otherwise the title comes from the document's properties and *Heading 1* opens the sections;
- a paragraph in the *Subtitle* style is the subtitle (the deck under the title); *Quote*
  and *Intense Quote* are quotations;
- bold, italic, links, lists (numbered or bulleted, nested), tables (the header row: one
  marked "repeat as header row", or a first row all in bold), footnotes and endnotes, and
  the images embedded in the document (PNG and JPEG; GIF, BMP and TIFF converted to PNG;
  others are replaced by their description, with a warning);
- the core properties give the title (when the text has none), the author, the language
  (else the document's default language), the date (last modified, else created) and the
  keywords (as tags).

A ``.docx`` is a zip archive: before anything reads it, its number of entries and its
unpacked size are bounded (``MAX_ENTRIES``, ``MAX_UNPACKED``), and a part that declares a DTD
(which Word never writes) is refused, so no entity is ever expanded. Linked (external) images
are never fetched. The embedded images are unpacked into the build's private scratch folder,
removed once the PDF is made.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

import lxml.html

from briefing.errors import SourceError
from briefing.model import Briefing, Meta
from briefing.read.html import HtmlReader
from briefing.read.markup import Head, assemble
from briefing.read.scratch import Scratch
from briefing.read.source import SourceText

log = logging.getLogger(__name__)

#: Most entries a .docx may hold (a long report with many images has a few hundred).
MAX_ENTRIES = 2000
#: Largest total unpacked size of a .docx, in bytes.
MAX_UNPACKED = 256 * 1024 * 1024
#: Largest unpacked size of one XML part, in bytes.
MAX_XML_PART = 64 * 1024 * 1024

_KEEP_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/jpg": ".jpg"}
_CONVERT_TYPES = {"image/gif", "image/bmp", "image/x-ms-bmp", "image/tiff"}
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.I)


def read_docx(source: SourceText, *, title: str | None = None,
              scratch: Scratch | None = None) -> tuple[Briefing, Path]:
    """Understand a Word document; also the folder its images were unpacked into (the
    source's own folder when there is no scratch folder: then they are named, not unpacked)."""
    import docx
    import mammoth

    name = source.name
    check_archive(source.raw, name)
    try:
        document = docx.Document(io.BytesIO(source.raw))
    except Exception:  # python-docx raises many kinds on a damaged file
        raise SourceError(f"{name}: not a readable Word document (.docx); open it in a word "
                          "processor and save it again") from None
    styles = [p.style.name if p.style is not None else "" for p in document.paragraphs]
    has_title = "Title" in styles
    single_h1 = not has_title and sum(s == "Heading 1" for s in styles) == 1
    images = _Images(name, scratch)
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(source.raw),
            style_map=_style_map(shift=0 if single_h1 else 1),
            convert_image=mammoth.images.img_element(images.save),
            include_embedded_style_map=False,
            external_file_access=False,
        )
    except SourceError:
        raise
    except Exception:  # mammoth raises many kinds on a damaged file
        raise SourceError(f"{name}: not a readable Word document (.docx); open it in a word "
                          "processor and save it again") from None
    for message in result.messages:
        log.debug("%s: %s", name, message.message)
    root = lxml.html.fragment_fromstring(result.value or "<p></p>", create_parent="div")
    subtitle = _take_subtitle(root)
    reader = HtmlReader(name, lambda src: src or None)
    items, notes = reader.read(root)
    meta = _meta(document, subtitle)
    first_h1 = next((i.text for i in items if isinstance(i, Head) and i.level == 1), None)
    core_title = (document.core_properties.title or "").strip() or None
    front_title = title or first_h1 or core_title
    briefing = assemble(items, front_title=front_title, mapping={}, footnotes=notes, meta=meta)
    folder = scratch.path() if scratch is not None and images.count else source.folder
    return briefing, folder


def check_archive(raw: bytes, name: str) -> None:
    """Refuse what is not a .docx, or what would unpack to too much, before reading it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, OSError):
        raise SourceError(f"{name}: not a Word document (.docx is a zip archive; this file is "
                          "not one)") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise SourceError(f"{name}: the document holds {len(entries)} files, more than the "
                              f"{MAX_ENTRIES} a Word document has; refused")
        total = sum(entry.file_size for entry in entries)
        if total > MAX_UNPACKED:
            raise SourceError(f"{name}: the document unpacks to {total // (1024 * 1024)} MB, "
                              f"more than the limit of {MAX_UNPACKED // (1024 * 1024)} MB "
                              "(a zip bomb?); refused")
        names = {entry.filename for entry in entries}
        if "word/document.xml" not in names:
            raise SourceError(f"{name}: not a Word document (it has no word/document.xml); "
                              "save it as .docx from a word processor")
        for entry in entries:
            if not entry.filename.endswith((".xml", ".rels")):
                continue
            if entry.file_size > MAX_XML_PART:
                raise SourceError(f"{name}: {entry.filename} unpacks to more than "
                                  f"{MAX_XML_PART // (1024 * 1024)} MB; refused")
            try:
                data = archive.read(entry)
            except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError):
                raise SourceError(f"{name}: {entry.filename} is damaged; open the document in "
                                  "a word processor and save it again") from None
            if _DTD.search(data):
                raise SourceError(f"{name}: {entry.filename} declares a DTD or entities, which "
                                  "Word never writes; refused")


def _style_map(shift: int) -> str:
    """mammoth's style map: Title, Subtitle and quotations, and the headings shifted down by
    ``shift`` levels (Heading 1 is a section heading, h2, when the title is elsewhere)."""
    lines = [
        "p[style-name='Title'] => h1:fresh",
        "p[style-name='Subtitle'] => p.subtitle:fresh",
        "p[style-name='Quote'] => blockquote > p:fresh",
        "p[style-name='Intense Quote'] => blockquote > p:fresh",
    ]
    for level in range(1, 7):
        target = min(6, level + shift)
        for style in (f"Heading {level}", f"heading {level}"):
            lines.append(f"p[style-name='{style}'] => h{target}:fresh")
    return "\n".join(lines)


def _take_subtitle(root: Any) -> str | None:
    """The first paragraph in the Subtitle style, taken out of the flow (it is the deck)."""
    for p in root.iter("p"):
        if "subtitle" in str(p.get("class") or "").split():
            text = " ".join("".join(p.itertext()).split())
            p.drop_tree()
            return text or None
    return None


class _Images:
    """Saves the document's images into the scratch folder, as mammoth meets them."""

    def __init__(self, name: str, scratch: Scratch | None) -> None:
        self.name = name
        self.scratch = scratch
        self.count = 0

    def save(self, image: Any) -> dict[str, str]:
        content_type = str(image.content_type or "").lower()
        self.count += 1
        if content_type in _KEEP_TYPES:
            suffix = _KEEP_TYPES[content_type]
        elif content_type in _CONVERT_TYPES:
            suffix = ".png"
        else:
            log.warning("%s: an image of type %s cannot be printed; its description is printed "
                        "instead (insert it as PNG or JPEG)", self.name, content_type or "unknown")
            return {"src": ""}
        src = f"word/media/image-{self.count:03d}{suffix}"
        if self.scratch is not None:
            with image.open() as handle:
                data = handle.read()
            target = self.scratch.path() / PurePosixPath(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            if content_type in _CONVERT_TYPES:
                data = _to_png(data, self.name)
                if not data:
                    return {"src": ""}
            target.write_bytes(data)
        return {"src": src}


def _to_png(data: bytes, name: str) -> bytes:
    from PIL import Image as PILImage

    try:
        with PILImage.open(io.BytesIO(data)) as picture:
            out = io.BytesIO()
            picture.save(out, "PNG")
            return out.getvalue()
    except Exception:  # Pillow raises many kinds on a bad image
        log.warning("%s: an embedded image cannot be read; its description is printed instead",
                    name)
        return b""


def _meta(document: Any, subtitle: str | None) -> Meta:
    core = document.core_properties
    lang = (core.language or "").strip() or _default_language(document)
    when = core.modified or core.created
    date = when.date() if isinstance(when, dt.datetime) else when if isinstance(
        when, dt.date) else None
    keywords = [k.strip() for k in re.split(r"[,;]", core.keywords or "") if k.strip()]
    return Meta(
        lang=lang or None,
        date=date,
        author=(core.author or "").strip() or None,
        subtitle=subtitle,
        tags=tuple(keywords),
    )


def _default_language(document: Any) -> str:
    """The language of the document's default text style (``w:docDefaults``)."""
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    try:
        styles = document.styles.element
    except Exception:  # a document without a styles part
        return ""
    for lang in styles.iter(f"{ns}lang"):
        parent = lang.getparent()
        grand = parent.getparent() if parent is not None else None
        if grand is not None and grand.tag == f"{ns}rPrDefault":
            return str(lang.get(f"{ns}val") or "")
    return ""
