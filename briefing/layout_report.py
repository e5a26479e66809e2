"""The layout report (``briefing check SOURCE --layout``): what a designer checks on the
pages, measured on what the renderer set, page by page, with a verdict.

A build is made with its layout measured (``render.record``); nothing is written. The rules,
the same as the test suite reads from the PDF (``tests/layoutcheck.py``):

- **measure**: the characters of each full line (every line of a paragraph of running text
  but its last): at most 90 on A4 and Letter, 60 to 75 on A5 (the median from 60,
  each line at most 75); not judged for Chinese, Japanese and Korean text, whose characters
  are twice as wide;
- **loose lines**: a justified word space wider than 1.5× its natural width, unless the next
  line's first word (or the shortest head of it a hyphen could end the line with, where the
  other rules allow a hyphen) could not have been brought up onto the line: one unbreakable
  token forced it (those are listed, not counted as findings);
- **hyphen runs**: more than two hyphenated line ends in a row;
- **fragments**: a hyphen on a paragraph's penultimate line (its last line is a word's tail);
- **gaps at the page foot**: the empty height under the last block of a page that is not the
  last, in points and in lines of running text; more than three lines is a finding unless the
  next block is a unit kept whole (an image and its caption, a question and its answer, a
  table, a heading with the start of what follows) that the room left could not hold;
- **images**: each raster image's effective resolution as placed; under 150 ppi (enlarged
  beyond it) is a finding;
- **contrast**: every text colour of the theme against its background (``render.contrast``):
  the theme's, so said once for the document.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.build import BuildResult, build
from briefing.options import NOTHING_ASKED, Asked, PageSize
from briefing.render.contrast import TextColour, contrast_failures, contrast_warning
from briefing.render.images import MIN_PPI
from briefing.render.record import FootRecord, ImageRecord, LayoutRecord, LineRecord
from briefing.typography import language

#: The layout report's JSON format (``--json``).
FORMAT = 1
#: The exit code of ``check --layout`` when something breaks a rule (``errors.py``).
FINDINGS_EXIT = 3
#: A justified word space may be this many times its natural width (and a hundredth more:
#: the breaker's widths and the page's differ in the last bits).
LOOSE = 1.5
#: A hyphen's width, in ems (a little wider than most fonts': a head that fits with it fits).
HYPHEN = 0.33
#: More hyphenated line ends in a row than this is a run.
HYPHEN_RUN = 2
#: A gap at a page's foot taller than this many lines of running text is a finding.
GAP_LINES = 3.0
#: Characters of a full line: the most on A4 and Letter; the least (median) and most on A5.
MOST_CHARACTERS = 90
A5_CHARACTERS = (60, 75)
#: Scripts whose characters are set twice as wide: no measure in characters.
WIDE_SCRIPTS = ("Hani", "Hans", "Hant", "Jpan", "Kore")
#: What each rule is called in the verdict (one finding, several).
RULES = {
    "measure": ("line over the measure", "lines over the measure"),
    "loose": ("loose line", "loose lines"),
    "hyphens": ("hyphen run", "hyphen runs"),
    "fragment": ("fragment", "fragments"),
    "gap": ("gap at a page foot", "gaps at a page foot"),
    "image": ("image under 150 ppi", "images under 150 ppi"),
    "contrast": ("contrast failure", "contrast failures"),
}


@dataclass
class Finding:
    """One thing a designer would not sign."""

    rule: str  # a key of ``RULES``
    page: int | None  # None: the whole document (the theme's colours)
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "page": self.page, "message": self.message}


@dataclass
class PageReport:
    """The figures of one page."""

    page: int
    characters: list[int] = field(default_factory=list)  # of each full line of running text
    widest_space: float = 1.0  # the widest justified word space, in natural widths
    forced_loose: list[str] = field(default_factory=list)  # loose, but nothing else fitted
    kept_gap: str = ""  # a gap at the foot that a unit kept whole explains
    foot: FootRecord | None = None  # None: the last page
    body_leading: float = 0.0
    images: list[ImageRecord] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def gap_lines(self) -> float:
        if self.foot is None or self.body_leading <= 0:
            return 0.0
        return self.foot.gap / self.body_leading

    def count(self, rule: str) -> int:
        return sum(1 for finding in self.findings if finding.rule == rule)

    def summary(self) -> str:
        """One line: the page's figures."""
        parts = []
        chars = self.characters
        if len(chars) == 1:
            parts.append(f"1 full line of {chars[0]} characters")
        elif chars:
            parts.append(f"{len(chars)} full lines of {min(chars)}-{max(chars)} characters "
                         f"(median {statistics.median(chars):g})")
        else:
            parts.append("no full line of running text")
        parts.append(f"word spaces up to {self.widest_space:.2f}×")
        for rule in ("loose", "hyphens", "fragment"):
            n = self.count(rule)
            one, many = RULES[rule]
            parts.append(f"{n} {one if n == 1 else many}" if n else f"no {one}")
        if self.foot is not None:
            parts.append(f"foot gap {self.foot.gap:.0f} pt ({self.gap_lines:.1f} lines)")
        for image in self.images:
            parts.append(f"{image.name} {image.ppi:.0f} ppi")
        return f"page {self.page}: " + "; ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        chars = self.characters
        return {
            "page": self.page,
            "summary": self.summary(),
            "full_lines": len(chars),
            "characters": ({"min": min(chars), "median": statistics.median(chars),
                            "max": max(chars)} if chars else None),
            "widest_space": round(self.widest_space, 3),
            "forced_loose_lines": self.forced_loose,
            "kept_gap": self.kept_gap or None,
            "foot": None if self.foot is None else {
                "gap_pt": round(self.foot.gap, 1), "gap_lines": round(self.gap_lines, 2),
                "next": self.foot.next_block, "kept": self.foot.kept or None,
                "kept_height_pt": round(self.foot.needed, 1) if self.foot.kept else None},
            "images": [{"name": i.name, "pixels": list(i.pixels),
                        "drawn_pt": [round(i.drawn[0], 1), round(i.drawn[1], 1)],
                        "ppi": round(i.ppi, 1)} for i in self.images],
            "findings": [f.as_dict() for f in self.findings],
        }


@dataclass
class LayoutReport:
    """The report of one build: its pages, the theme's contrast, the verdict."""

    source: str
    theme: str
    page_size: PageSize
    lang: str
    pages: list[PageReport]
    contrast: list[TextColour]
    findings: list[Finding]  # every finding, in page order, the document's last

    @property
    def clean(self) -> bool:
        return not self.findings

    def verdict(self) -> str:
        """``clean: no finding`` or what was found and where."""
        if self.clean:
            return "clean: no finding"
        counts: dict[str, list[int | None]] = {}
        for finding in self.findings:
            counts.setdefault(finding.rule, []).append(finding.page)
        parts = []
        for rule, pages in counts.items():
            one, many = RULES[rule]
            on = sorted({p for p in pages if p is not None})
            where = f" (page{'s' if len(on) > 1 else ''} {', '.join(map(str, on))})" if on else ""
            parts.append(f"{len(pages)} {one if len(pages) == 1 else many}{where}")
        n = len(self.findings)
        return f"{n} finding{'s' if n != 1 else ''}: {'; '.join(parts)}"

    def describe(self) -> str:
        """The report for a person: a line per page, its findings under it, the verdict."""
        size = self.page_size.value.upper() if self.page_size is not PageSize.LETTER \
            else "Letter"
        n = len(self.pages)
        lines = [f"{self.source}: {n} page{'s' if n != 1 else ''}, theme {self.theme}, {size}, "
                 f"language {self.lang}"]
        for page in self.pages:
            lines.append(page.summary())
            lines += [f"  {finding.message}" for finding in page.findings]
            lines += [f"  (forced) {text}" for text in page.forced_loose]
            if page.kept_gap:
                lines.append(f"  (kept) {page.kept_gap}")
        if self.contrast:
            lines.append(f"contrast: {len(self.contrast)} text colour"
                         f"{'s' if len(self.contrast) != 1 else ''} below the minimum")
            lines += [f"  {f.message}" for f in self.findings if f.rule == "contrast"]
        else:
            lines.append("contrast: every text colour at least 4.5:1 (3:1 for large text)")
        lines.append(f"verdict: {self.verdict()}")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "source": self.source,
            "theme": self.theme,
            "page_size": self.page_size.value,
            "lang": self.lang,
            "pages": [page.as_dict() for page in self.pages],
            "contrast": [{"role": c.role, "text": c.text, "background": c.background,
                          "ratio": round(c.ratio, 2), "needed": c.needed}
                         for c in self.contrast],
            "findings": len(self.findings),
            "clean": self.clean,
            "verdict": self.verdict(),
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False)


def check_layout(source: str | Path, asked: Asked = NOTHING_ASKED) -> tuple[LayoutReport,
                                                                             BuildResult]:
    """Build ``source`` with its layout measured (nothing is written) and report on it."""
    result = build(source, asked, layout=True)
    return report(result), result


def report(result: BuildResult) -> LayoutReport:
    """The layout report of a build made with ``layout=True``."""
    record = result.layout
    assert record is not None, "built without its layout measured"
    lang = result.briefing.meta.lang or "en"
    size = result.options.page_size.value
    failures = contrast_failures(result.theme)
    pages = pages_of(record, size, measure=language(lang).script not in WIDE_SCRIPTS)
    findings = [f for page in pages for f in page.findings]
    contrast = [Finding("contrast", None, contrast_warning(result.theme, each))
                for each in failures]
    return LayoutReport(Path(result.source.name).name, result.theme.name, size, lang, pages,
                        failures, findings + contrast)


def pages_of(record: LayoutRecord, size: PageSize, *, measure: bool = True) -> list[PageReport]:
    """Each page's figures and findings, from the layout record."""
    pages = {n: PageReport(n, body_leading=record.body_leading)
             for n in range(1, record.pages + 1)}
    blocks = by_block(record.lines)
    most = A5_CHARACTERS[1] if size is PageSize.A5 else MOST_CHARACTERS
    for line in full_lines(blocks, record.body_size):
        page = pages[line.page]
        count = len(line.text)
        page.characters.append(count)
        if measure and count > most:
            page.findings.append(Finding("measure", line.page, f"{count} characters (at most "
                                         f"{most}) in {_quote(line.text)}"))
    for block in blocks:
        for line in block:
            page = pages[line.page]
            page.widest_space = max(page.widest_space, line.space_ratio)
        for line, fitted in loose_lines(block):
            text = (f"word spaces {line.space_ratio:.2f}× in {_quote(line.text)}")
            if fitted is None:
                pages[line.page].forced_loose.append(text + ": the next word did not fit")
            else:
                pages[line.page].findings.append(Finding(
                    "loose", line.page, f"{text}, though {fitted} fitted"))
        for line in hyphen_runs(block):
            pages[line.page].findings.append(Finding(
                "hyphens", line.page, f"more than {HYPHEN_RUN} hyphenated line ends in a row, "
                f"at {_quote(line.text)}"))
        if len(block) >= 2 and block[-2].hyphenated:
            pages[block[-2].page].findings.append(Finding(
                "fragment", block[-2].page, f"a hyphen on a paragraph's penultimate line: "
                f"{_quote(block[-2].text)} / {_quote(block[-1].text)}"))
    if measure and size is PageSize.A5:
        every = [c for page in pages.values() for c in page.characters]
        if len(every) >= 5 and statistics.median(every) < A5_CHARACTERS[0]:
            first = min(page.page for page in pages.values() if page.characters)
            pages[first].findings.append(Finding(
                "measure", first, f"full lines of {statistics.median(every):g} characters "
                f"(median), fewer than {A5_CHARACTERS[0]}: a narrow column"))
    for foot in record.feet:
        page = pages[foot.page]
        page.foot = foot
        if page.gap_lines > GAP_LINES and foot.kept and foot.needed > foot.room:
            page.kept_gap = (f"{foot.gap:.0f} pt empty at the foot: {foot.kept} "
                             f"({foot.needed:.0f} pt) did not fit in {foot.room:.0f} pt")
        elif page.gap_lines > GAP_LINES:
            page.findings.append(Finding(
                "gap", foot.page, f"{foot.gap:.0f} pt ({page.gap_lines:.1f} lines) empty at "
                f"the foot, though {foot.next_block or 'the next block'} could have started "
                "there"))
    for image in record.images:
        page = pages[image.page]
        page.images.append(image)
        if image.ppi < MIN_PPI - 0.5:
            page.findings.append(Finding(
                "image", image.page, f"{image.name}: {image.ppi:.0f} ppi as placed, under "
                f"{MIN_PPI}: enlarged too much to print sharply"))
    return list(pages.values())


def by_block(lines: list[LineRecord]) -> list[list[LineRecord]]:
    """The lines of each paragraph, in the order they were drawn (across pages)."""
    out: dict[int, list[LineRecord]] = {}
    for line in lines:
        out.setdefault(line.block, []).append(line)
    return list(out.values())


def full_lines(blocks: list[list[LineRecord]], body_size: float) -> list[LineRecord]:
    """The full lines of running text: every line of a paragraph set at the body's size but
    its last and those a forced break ends (as ``tests/render/test_reading_size.py`` reads
    them from the page)."""
    return [line for block in blocks if block[0].tag == "P"
            for line in block[:-1] if not line.forced and abs(line.size - body_size) < 0.01]


def loose_lines(block: list[LineRecord]) -> list[tuple[LineRecord, str | None]]:
    """The lines of a paragraph whose word spaces are wider than ``LOOSE`` times their
    natural width, each with what could have been brought up from the next line (its first
    word, or the shortest hyphenated head of it where the other rules allow a hyphen) or
    None: nothing could, one unbreakable token forced the line (``layoutcheck.loose_lines``)."""
    out: list[tuple[LineRecord, str | None]] = []
    for i, line in enumerate(block[:-1]):
        if line.space_ratio <= LOOSE + 0.01:
            continue
        nxt = block[i + 1]
        penultimate = i + 1 == len(block) - 1
        run = sum(1 for before in block[max(0, i - 2):i] if before.hyphenated)
        word = nxt.text.split(maxsplit=1)[0] if nxt.text.split() else ""
        width, what = nxt.lead, _quote(word)
        if line.hyphenated:  # the next line starts with the rest of the hyphenated word
            what = f"the rest of its last word, {_quote(word)},"
        if nxt.lead_head is not None and not penultimate and run < HYPHEN_RUN:
            width, what = nxt.lead_head + HYPHEN * nxt.size, f"the head of {_quote(word)}"
        fits = width + line.space <= line.slack + 0.5
        out.append((line, what if fits else None))
    return out


def hyphen_runs(block: list[LineRecord]) -> list[LineRecord]:
    """The lines that end a run of more than ``HYPHEN_RUN`` hyphenated line ends."""
    out = []
    run = 0
    for line in block:
        run = run + 1 if line.hyphenated else 0
        if run > HYPHEN_RUN:
            out.append(line)
    return out


def _quote(text: str, most: int = 48) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= most else text[:most - 1].rstrip() + '…'}”"
