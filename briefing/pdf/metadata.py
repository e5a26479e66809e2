"""What a PDF says about itself: the info dictionary and the XMP packet, identically.

PDF/A checks that both say the same; PDF/UA wants the title, the language and ``pdfuaid`` in
XMP. The packet is written from a template with fixed dates (the briefing's), so the same
input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFStream

from briefing.model import Briefing, printable
from briefing.pdf.variants import Variant


class DocumentInfo(msgspec.Struct, frozen=True):
    """What the info dictionary and the XMP packet say, identically."""

    title: str
    lang: str  # BCP 47, as in /Lang
    author: str = ""
    subject: str = ""
    keywords: str = ""
    creator: str = ""  # the tool, as CreatorTool and Producer
    date: str = "2000-01-01T00:00:00Z"  # creation = modification date, UTC


def document_info(briefing: Briefing, *, lang: str, date: dt.date, creator: str) -> DocumentInfo:
    """What a briefing's PDF says about itself: its title, the author (or the organisation),
    the lead (else the subtitle) as the subject, the tags as keywords; on one line each, in
    characters XML accepts. ``lang`` is the document's BCP 47 tag, as in /Lang."""
    lead = " ".join(" ".join(s.text for s in p.spans) for p in briefing.lead)
    meta = briefing.meta
    return DocumentInfo(
        title=printable(briefing.title),
        lang=printable(lang),
        author=printable(meta.author or meta.organisation or ""),
        subject=printable((lead or meta.subtitle or "")[:300]),
        keywords=printable(", ".join(meta.tags)),
        creator=creator,
        date=f"{date.isoformat()}T00:00:00Z",
    )


def _xml(text: str) -> str:
    """Text for the XMP packet: escaped, and never a character XML refuses."""
    text = printable(text)
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


_PDFUA_SCHEMA = """
   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
     <pdfaProperty:name>part</pdfaProperty:name>
     <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
     <pdfaProperty:category>internal</pdfaProperty:category>
     <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
    </rdf:li></rdf:Seq></pdfaSchema:property>
   </rdf:li></rdf:Bag></pdfaExtension:schemas>"""


def xmp_packet(info: DocumentInfo, variant: Variant) -> bytes:
    """The XMP packet of a PDF variant, from a template with fixed dates (pikepdf's editor
    would add 'now')."""
    ua, pdfa = variant.ua, variant.pdfa
    lang = _xml(info.lang or "x-default")
    parts = [
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_xml(info.title)}</rdf:li></rdf:Alt></dc:title>',
        f"<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>",
        "<dc:format>application/pdf</dc:format>",
    ]
    if info.author:
        parts.append(f"<dc:creator><rdf:Seq><rdf:li>{_xml(info.author)}</rdf:li></rdf:Seq></dc:creator>")
    if info.subject:
        parts.append('<dc:description><rdf:Alt><rdf:li xml:lang="x-default">'
                     f"{_xml(info.subject)}</rdf:li></rdf:Alt></dc:description>")
    parts += [
        f"<xmp:CreatorTool>{_xml(info.creator)}</xmp:CreatorTool>",
        f"<xmp:CreateDate>{info.date}</xmp:CreateDate>",
        f"<xmp:ModifyDate>{info.date}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{info.date}</xmp:MetadataDate>",
        f"<pdf:Producer>{_xml(info.creator)}</pdf:Producer>",
    ]
    if info.keywords:
        parts.append(f"<pdf:Keywords>{_xml(info.keywords)}</pdf:Keywords>")
    if ua is not None:
        parts.append(f"<pdfuaid:part>{ua}</pdfuaid:part>")
    if pdfa is not None:
        parts += [f"<pdfaid:part>{pdfa.part}</pdfaid:part>",
                  f"<pdfaid:conformance>{pdfa.conformance}</pdfaid:conformance>"]
        if ua is not None:
            parts.append(_PDFUA_SCHEMA)
    body = "\n   ".join(parts)
    xml = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   {body}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return xml.encode("utf-8")


def write_metadata(doc: Any, info: DocumentInfo, variant: Variant) -> None:
    """Fill the info dictionary and add the XMP packet to the catalog."""
    # /Lang and /ViewerPreferences <</DisplayDocTitle true>> come from the doc template.
    # The info dictionary says what the XMP packet says (PDF/A checks both).
    doc.info.title = info.title
    doc.info.author = info.author
    doc.info.subject = info.subject
    doc.info.keywords = info.keywords
    doc.info.creator = info.creator
    doc.info.producer = info.creator
    stream = PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
                       xmp_packet(info, variant), filters=[])
    doc.Catalog.Metadata = doc.Reference(stream)
