"""Saved web pages (``.html``, ``.htm``), with or without their ``_files`` folder.

How a page is read:

1. its bytes are decoded by the encoding it declares (byte order mark, ``<meta charset>``),
   strictly, and parsed by lxml's HTML parser, which never fetches anything (no network, no
   external entities, no DTD);
2. what is never the article is removed: navigation, headers and footers of the site,
   sidebars, forms, dialogs, cookie banners, share buttons, newsletter boxes, related links,
   comments, advertising, bylines and hidden elements (by element, ARIA role, and the words of
   ``class`` and ``id``: see ``FURNITURE_WORDS``); the article itself (``article``, ``main``,
   ``itemprop=articleBody``) and what holds it are never removed;
3. readability-lxml finds the main content; the reader takes the smallest element holding all
   of what it found, widened to the enclosing ``article`` (so the headline, the lead image and
   the standfirst come along), and reads it with the HTML reader (``briefing.read.html``);
4. the metadata come from the page: the title (Open Graph, the article's ``h1``, else
   ``<title>``), ``<html lang>``, the description (as the subtitle, when the text does not
   already say it), the author, the publication date (``article:published_time``, JSON-LD
   ``datePublished``, the article's ``<time>``), the site's name as the organisation, and the
   canonical URL as the source (the QR code points to it).

Images are read only from the page's folder (typically its ``_files`` folder): no URL, no
absolute path, no ``..``; an image that is not there is replaced by its caption (or its
description), with a warning.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import logging
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

from briefing.errors import BriefingError, SourceError
from briefing.model import Briefing, Meta, plain
from briefing.paths import Scope
from briefing.read.html import HtmlReader, text_of
from briefing.read.markup import Head, assemble
from briefing.read.sections import fold
from briefing.read.source import SourceText

log = logging.getLogger(__name__)

#: Elements that are page furniture wherever they are.
FURNITURE_TAGS = frozenset({"nav", "aside", "footer", "form", "button", "dialog", "select",
                            "textarea", "input", "iframe", "noscript", "template"})
#: ARIA roles of page furniture.
FURNITURE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search",
                             "dialog", "alertdialog", "menu", "menubar", "toolbar", "region"})
#: Words of a ``class`` or ``id`` (split at ``-``, ``_`` and spaces) that name page furniture.
FURNITURE_WORDS = frozenset({
    "cookie", "cookies", "consent", "gdpr", "onetrust", "cmp", "share", "sharing",
    "sharedaddy", "addtoany", "social", "newsletter", "subscribe", "subscription", "signup",
    "related", "relatedposts", "recommended", "recommendations", "comments", "comment",
    "respond", "disqus", "sidebar", "widget", "breadcrumb", "breadcrumbs", "pagination",
    "navigation", "nav", "navbar", "menu", "ad", "ads", "advert", "advertisement",
    "advertising", "promo", "sponsored", "popup", "modal", "byline", "dateline", "meta",
    "footer", "tags", "kicker", "eyebrow", "skip", "toolbar", "masthead", "banner",
})
#: A ``class`` token that names page furniture as a whole.
FURNITURE_CLASSES = frozenset({"screen-reader-text", "sr-only", "visually-hidden", "cat-links",
                               "tags-links", "post-navigation", "nav-links"})
#: Elements that hold the article: never removed, nor is anything around them.
_ARTICLE = "//article | //main | //*[@itemprop='articleBody'] | //*[@role='main']"
_WORDS = re.compile(r"[^a-z0-9]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")


def read_page(source: SourceText, *, title: str | None = None) -> Briefing:
    """Understand a saved web page."""
    root = parse_html(source.raw, source.name)
    meta, page_title = _metadata(root)
    body = root.find("body")
    if body is None:
        body = root
    _remove_furniture(body)
    content = _main_content(body)
    reader = HtmlReader(source.name, lambda src: local_image(src, source.folder))
    items, notes = reader.read(content)
    first_h1 = next((i.text for i in items if isinstance(i, Head) and i.level == 1), None)
    front_title = title or first_h1 or page_title
    texts = " ".join(fold(plain(b.spans)) for b in items if hasattr(b, "spans"))
    if meta.subtitle and fold(meta.subtitle) in texts:
        meta = Meta(**{**_fields(meta), "subtitle": None})
    return assemble(items, front_title=front_title, mapping={}, footnotes=notes, meta=meta)


# --- parsing ------------------------------------------------------------------------------


def parse_html(raw: bytes, name: str) -> Any:
    """A page's tree: decoded strictly by its declared encoding, parsed without any network
    access or entity expansion."""
    text = _decode(raw, name)
    text = _XML_DECLARATION.sub("", text, count=1)  # lxml refuses str input that declares one
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True,
                                  default_doctype=False, huge_tree=False)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        raise SourceError(f"{name}: not a readable web page; save it again from the browser "
                          "as \"Web page, complete\"") from None
    return root


def _decode(raw: bytes, name: str) -> str:
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            return _strict(raw[len(bom):], codec, name)
    declared = _CHARSET.search(raw[:4096])
    codec = "utf-8"
    if declared:
        try:
            codec = codecs.lookup(declared.group(1).decode("ascii")).name
        except (LookupError, UnicodeDecodeError):
            raise SourceError(f"{name}: the page declares an unknown encoding "
                              f"{declared.group(1).decode('ascii', 'replace')!r}; save it "
                              "again as UTF-8") from None
    return _strict(raw, codec, name)


def _strict(raw: bytes, codec: str, name: str) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise SourceError(f"{name}: not valid {codec} at byte {exc.start}, the encoding the page "
                          "declares; save it again from the browser") from None


# --- page furniture -----------------------------------------------------------------------


def _furniture(el: Any) -> bool:
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if tag in FURNITURE_TAGS:
        return True
    if str(el.get("role") or "").lower() in FURNITURE_ROLES:
        return True
    if el.get("hidden") is not None or str(el.get("aria-hidden") or "").lower() == "true":
        return True
    if _HIDDEN_STYLE.search(str(el.get("style") or "")):
        return True
    classes = str(el.get("class") or "").lower().split()
    if any(c in FURNITURE_CLASSES for c in classes):
        return True
    words = set(_WORDS.split(" ".join([*classes, str(el.get("id") or "").lower()])))
    if words & FURNITURE_WORDS:
        return True
    # The site's header (not an article's own header, which holds its headline).
    return tag == "header" and not any(a.tag in ("article", "main") for a in el.iterancestors())


def _remove_furniture(body: Any) -> None:
    keep: set[Any] = set()
    for el in body.xpath(_ARTICLE):
        keep.add(el)
        keep.update(el.iterancestors())
    doomed = [el for el in body.iter() if isinstance(el.tag, str) and el not in keep
              and _furniture(el)]
    for el in doomed:
        if el.getparent() is not None and not any(a in doomed for a in el.iterancestors()):
            el.drop_tree()  # its tail (text after it) stays in place


# --- main content -------------------------------------------------------------------------


def _main_content(body: Any) -> Any:
    """The element holding the article, found by readability-lxml."""
    from readability import Document
    from readability.readability import Unparseable

    marks: dict[str, Any] = {}
    for number, el in enumerate(body.iter()):
        if isinstance(el.tag, str):
            el.set("data-briefing-id", str(number))
            marks[str(number)] = el
    # readability logs its own progress and failures; what matters is said here.
    logging.getLogger("readability").setLevel(logging.CRITICAL)
    try:
        summary = Document(body.getroottree().getroot()).summary(html_partial=True)
    except Unparseable:
        return body
    picked = [marks[m] for m in re.findall(r'data-briefing-id="(\d+)"', summary) if m in marks]
    if not picked:
        return body
    # The smallest element holding everything readability kept, widened to its article.
    container = picked[0]
    for el in picked[1:]:
        while container is not el and container not in el.iterancestors():
            parent = container.getparent()
            if parent is None:
                break
            container = parent
    article = next((a for a in (container, *container.iterancestors())
                    if a.tag == "article" or a.get("itemprop") == "articleBody"), None)
    return article if article is not None else container


# --- images -------------------------------------------------------------------------------


def local_image(src: str, folder: Path) -> str | None:
    """The path (relative to the page's folder) of an image saved with the page, or None for
    an address, an absolute path, a path with ``..``, a missing file or one leading out (the
    path policy of ``briefing.paths``, as for any image a source names)."""
    if urlsplit(src).scheme or src.startswith("//"):
        return None
    relative = unquote(src.split("?", 1)[0].split("#", 1)[0]).removeprefix("./")
    try:
        found = Scope.of(folder).reach(relative, what="image", relative_to=folder)
    except BriefingError:
        return None
    if found.suffix.lower() not in _IMAGE_SUFFIXES:
        log.warning("%s: image %r is neither PNG, JPEG nor SVG; convert it to print it",
                    folder / relative, Path(relative).name)
        return None
    return Path(relative).as_posix()


# --- metadata -----------------------------------------------------------------------------


def _metadata(root: Any) -> tuple[Meta, str | None]:
    """The page's metadata, and its title (Open Graph, else ``<title>``)."""
    props: dict[str, str] = {}
    for el in root.iter("meta"):
        key = str(el.get("property") or el.get("name") or "").strip().lower()
        content = " ".join(str(el.get("content") or "").split())
        if key and content and key not in props:
            props[key] = content
    ld = _json_ld(root)
    title_el = root.find(".//title")
    page_title = props.get("og:title") or (text_of(title_el) if title_el is not None else None)
    lang = str(root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or "")
    lang = lang.strip() or props.get("og:locale", "").replace("_", "-")
    canonical = next((str(link.get("href")) for link in root.iter("link")
                      if "canonical" in str(link.get("rel") or "").lower().split()
                      and link.get("href")), None)
    source = next((u for u in (canonical, props.get("og:url"))
                   if u and urlsplit(u).scheme in ("http", "https")), None)
    author = props.get("author") or _ld_author(ld) or (
        props.get("article:author") if not urlsplit(props.get("article:author", "")).scheme
        else None)
    published = (props.get("article:published_time") or str(ld.get("datePublished") or "")
                 or _time_element(root))
    meta = Meta(
        lang=lang or None,
        date=_date(published),
        author=author,
        organisation=props.get("og:site_name"),
        source=source,
        subtitle=props.get("description") or props.get("og:description"),
    )
    return meta, page_title


def _json_ld(root: Any) -> dict[str, Any]:
    for script in root.iter("script"):
        if str(script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and ("datePublished" in item or "headline" in item):
                return item
    return {}


def _ld_author(ld: dict[str, Any]) -> str | None:
    author = ld.get("author")
    for candidate in author if isinstance(author, list) else [author]:
        if isinstance(candidate, dict) and isinstance(candidate.get("name"), str):
            return str(candidate["name"])
        if isinstance(candidate, str):
            return candidate
    return None


def _time_element(root: Any) -> str:
    for el in root.xpath("//article//time[@datetime]"):
        return str(el.get("datetime"))
    return ""


def _date(value: str) -> dt.date | None:
    match = re.match(r"\s*(\d{4}-\d{2}-\d{2})", value or "")
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None


def _fields(meta: Meta) -> dict[str, Any]:
    return {name: getattr(meta, name) for name in Meta.__dataclass_fields__}
