"""``briefing init DIR``: a starter theme to edit, with folders for the organisation's fonts
and logos. The theme extends the default one and lists, commented out, the keys one usually
changes; ``briefing themes --reference`` prints every key (``docs/themes.md``)."""

from __future__ import annotations

from pathlib import Path

from briefing.errors import UsageError

THEME_FILE = "theme.toml"

STARTER_THEME = '''\
# Your organisation's theme. It extends the built-in "default" theme: uncomment and change
# only what differs. Every key is described by `briefing themes --reference`.
# Build with:  {hint}
# Paths below are relative to this folder (then to the bundled assets).

extends = "default"
name = "{name}"
description = "Our organisation's briefing"

[page]
# size = "A4"              # A4 | Letter | A5
# margin_left = 19         # millimetres
# margin_right = 19

[colors]
primary = "#1F3A5F"        # masthead band, headings
accent = "#E8702A"         # kicker, callout rule, bullets
# text = "#1D1D1F"
# muted = "#5F6B7A"        # footer
# callout_background = "#EEF2F7"

[logo]
file = "logos/logo.svg"    # SVG, PNG or JPEG, scaled to the height with its aspect ratio
alt = "{name}"             # what a screen reader says
height = 15                # millimetres
position = "left"          # left | right

# A second logo, on the other side of the masthead:
# [partner_logo]
# file = "logos/partner.png"
# alt = "Our partner"
# height = 12

# Your own fonts (TrueType .ttf files, put them in fonts/); weights you leave out use regular.
# [fonts.body]
# regular = "fonts/MyFont-Regular.ttf"
# italic = "fonts/MyFont-Italic.ttf"
# bold = "fonts/MyFont-Bold.ttf"
# bold_italic = "fonts/MyFont-BoldItalic.ttf"
#
# [fonts.heading]
# regular = "fonts/MyFont-Regular.ttf"
# bold = "fonts/MyFont-Bold.ttf"

[masthead]
# band = true              # false: the title on white, with a rule under it
# kicker = "{{kicker}} · {{date}}"

[footer]
# left = "{{organisation}} · {{source}}"
# right = "{{page}}"

[qr]
# enabled = true           # a QR code to the source URL, when the source has one
# position = "masthead"    # masthead | footer
# size = 18                # millimetres

# Text styles by role (title, lead, body, h2, faq_question ...), e.g.:
# [styles.title]
# size = 20
# leading = 24
'''

STARTER_LOGO = '''\
<?xml version="1.0" encoding="UTF-8"?>
<!-- A placeholder logo: replace this file with your own (SVG, or set logo.file to a PNG/JPEG). -->
<svg xmlns="http://www.w3.org/2000/svg" width="160" height="160" viewBox="0 0 160 160">
  <title>Logo</title>
  <rect x="4" y="4" width="152" height="152" rx="24" fill="#FFFFFF"/>
  <rect x="4" y="4" width="152" height="152" rx="24" fill="none" stroke="#E8702A" stroke-width="8"/>
  <text x="80" y="96" font-size="44" font-weight="bold" text-anchor="middle" fill="#1F3A5F">LOGO</text>
</svg>
'''

FONTS_README = '''\
Put your TrueType (.ttf) font files here and name them in theme.toml under [fonts.body],
[fonts.heading] or [fonts.mono]. OpenType files with PostScript outlines (most .otf) cannot
be embedded by the PDF library: use the .ttf version. Keep each font's licence beside it.
'''


def build_hint(folder: str) -> str:
    """How to build with the theme of ``folder`` (as the user typed it): one hint, the same in
    the theme file, in what ``init`` prints and in the docs."""
    path = folder if "/" in folder or "\\" in folder else f"./{folder}"
    return f"briefing build article.md --theme {path}"


def write_starter(folder: Path, *, force: bool = False, hint: str | None = None) -> list[Path]:
    """Write a starter theme, its folders and a placeholder logo; the files written."""
    theme = folder / THEME_FILE
    if theme.exists() and not force:
        raise UsageError(f"{theme} already exists; edit it, or use --force to start again")
    try:
        (folder / "fonts").mkdir(parents=True, exist_ok=True)
        (folder / "logos").mkdir(parents=True, exist_ok=True)
        written = [theme]
        name = folder.resolve().name or "brand"
        theme.write_text(STARTER_THEME.format(name=name, hint=hint or build_hint(str(folder))),
                         encoding="utf-8")
        logo = folder / "logos" / "logo.svg"
        if force or not logo.exists():
            logo.write_text(STARTER_LOGO, encoding="utf-8")
            written.append(logo)
        readme = folder / "fonts" / "README.txt"
        if not readme.exists():
            readme.write_text(FONTS_README, encoding="utf-8")
            written.append(readme)
    except OSError as exc:
        raise UsageError(f"{folder}: cannot write the starter theme ({exc.strerror})") from None
    return written
