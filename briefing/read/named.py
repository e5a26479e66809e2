"""The files a source names (its images, its logo) are there before anything is laid out.

A missing image is said with the source file and the line that names it, not the section the
renderer would have reached it in, so that ``briefing check`` finds it too.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence

from briefing.assets import assets_dir
from briefing.errors import BriefingError, SourceError
from briefing.model import Block, Briefing, Image, ListBlock, Quote
from briefing.paths import Scope
from briefing.read.source import SourceText

#: The kinds of image a source may name.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")


def check_named_files(briefing: Briefing, text: SourceText) -> None:
    """Raise ``SourceError`` naming the file and line of the first image or logo the source
    names that cannot be used (missing, outside its folder, not an image)."""
    if not text.text:  # a Word document or a web page: its reader deals with its images
        return
    named = [("image", src) for src in images(briefing)]
    if briefing.meta.logo:
        named.append(("logo", briefing.meta.logo))
    scope = Scope.of(text.folder, assets_dir())
    for what, src in named:
        try:
            scope.reach(src, what=what, error=SourceError, suffixes=IMAGE_SUFFIXES)
        except BriefingError as exc:
            line = line_naming(text.text, src)
            where = f"{text.name}, line {line}" if line else text.name
            raise SourceError(f"{where}: {exc.message}; put the file beside {text.name}, "
                              "or correct its name") from None


def images(briefing: Briefing) -> list[str]:
    """The ``src`` of every image of the briefing, in reading order."""
    found: list[str] = []

    def walk(blocks: Sequence[Block]) -> None:
        for block in blocks:
            if isinstance(block, Image):
                found.append(block.src)
            elif isinstance(block, ListBlock):
                for item in block.items:
                    walk(item.blocks)
            elif isinstance(block, Quote):
                walk(block.blocks)

    walk(briefing.lead)
    for section in briefing.sections:
        walk(section.blocks)
        for entry in section.entries:
            walk(entry.answer)
    for note in briefing.footnotes:
        walk(note.blocks)
    return found


def line_naming(text: str, src: str) -> int | None:
    """The first line of ``text`` that names ``src`` (as written, or percent-encoded)."""
    forms = [src, urllib.parse.quote(src)]
    for number, line in enumerate(text.splitlines(), start=1):
        if any(form in line for form in forms):
            return number
    return None
