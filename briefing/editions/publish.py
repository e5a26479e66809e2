"""A folder ready for any static web server: where readers find the latest briefings.

Layout of the published folder::

    index.html                    every briefing: title, date, what changed, links
    feed.xml                      Atom feed, one entry per edition (written with feedgen)
    style.css                     the page's look, in the briefings' theme colours
    NAME.pdf                      the latest edition, under a stable name
    NAME.png                      a thumbnail of its page 1
    NAME/NAME-YYYY-MM-DD-eN.pdf   every edition, under a dated name

Publishing is atomic for readers: every PDF and thumbnail is written (each atomically) before
the page and the feed that point to them, and those two are replaced last. A damaged edition
record is left out (and reported): the other editions and briefings are published.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]

from briefing import __version__
from briefing.editions.store import Edition, EditionStore
from briefing.errors import EditionError, OutputError, PublishError
from briefing.model import printable
from briefing.output import write_atomic
from briefing.preview import page_png
from briefing.theme import Theme
from briefing.typography import format_date

log = logging.getLogger("briefing.editions")


@dataclass(frozen=True, slots=True)
class PublishOptions:
    """The ``[publish]`` table of the manifest."""

    folder: Path  # where the site is written
    title: str = "Briefings"  # of the page and the feed
    base_url: str = ""  # absolute URL of the folder, for the feed's links ("" = relative)
    thumbnail_dpi: float = 40


@dataclass(frozen=True, slots=True)
class Site:
    """What publishing made."""

    index: Path  # the page
    skipped: dict[str, str] = field(default_factory=dict)  # briefing → what was left out, why


def check_base_url(url: str) -> str:
    """``url`` if it is empty or an absolute http(s) URL: it ends up in links readers follow."""
    parts = urllib.parse.urlsplit(url.strip())
    if url and (parts.scheme.lower() not in ("http", "https") or not parts.netloc):
        raise ValueError(f"base_url: an http or https URL such as https://example.org/briefings, "
                         f"got {url!r}")
    return url.strip()


def dated_name(edition: Edition) -> str:
    return f"{edition.name}/{edition.name}-{edition.date.isoformat()}-e{edition.number}.pdf"


def publish(store: EditionStore, options: PublishOptions, theme: Theme,
            names: list[str] | None = None, *, now: dt.datetime | None = None) -> Site:
    """Bring the published folder up to date with the editions folder."""
    folder = options.folder
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PublishError(f"{folder}: cannot create the published folder ({exc.strerror})") from None
    skipped: dict[str, str] = {}
    briefings: dict[str, list[Edition]] = {}
    for name in names or store.names():
        damaged: list[str] = []
        try:
            found = store.list(name, damaged=damaged)
        except EditionError as exc:  # the briefing's folder cannot be read at all
            damaged, found = [exc.format_message()], []
        if damaged:
            skipped[name] = "; ".join(damaged)
            log.error("%s: left out of the published folder: %s", name, skipped[name])
        if found:
            briefings[name] = found
    try:
        for name, editions in briefings.items():
            (folder / name).mkdir(exist_ok=True)
            for edition in editions:
                _copy(edition, folder / dated_name(edition))
            latest = editions[-1]
            _copy(latest, folder / f"{name}.pdf")
            _write(folder / f"{name}.png", page_png(latest.pdf(), 0, options.thumbnail_dpi))
        # Last: the page and the feed, which point to the files above.
        _write(folder / "style.css", stylesheet(theme).encode("utf-8"))
        _write(folder / "feed.xml", feed(briefings, options, now=now))
        _write(folder / "index.html", index_page(briefings, options, theme).encode("utf-8"))
    except OutputError as exc:
        raise PublishError(str(exc.message)) from None
    log.info("published %d briefing(s) to %s", len(briefings), folder)
    return Site(folder / "index.html", skipped)


def _copy(edition: Edition, target: Path) -> None:
    data = edition.pdf()
    try:
        if target.is_file() and target.read_bytes() == data:
            return
    except OSError:
        pass
    _write(target, data)


def _write(target: Path, data: bytes) -> None:
    if target.is_dir():
        raise PublishError(f"{target}: is a folder, where publishing writes a file; move the "
                           "folder away, then publish again")
    write_atomic(target, data)


def _href(options: PublishOptions, path: str) -> str:
    return f"{options.base_url.rstrip('/')}/{path}" if options.base_url else path


def feed(briefings: dict[str, list[Edition]], options: PublishOptions, *,
         now: dt.datetime | None = None) -> bytes:
    """The Atom feed: one entry per edition, newest first."""
    gen = FeedGenerator()
    base = options.base_url.rstrip("/")
    gen.id(f"{base}/feed.xml" if base else "urn:briefing:feed")
    # Texts go through printable(): an older record may hold characters XML refuses.
    gen.title(printable(options.title))
    gen.author({"name": printable(options.title)})
    gen.link(href=_href(options, "index.html"), rel="alternate")
    gen.link(href=_href(options, "feed.xml"), rel="self")
    gen.generator("briefing", __version__)
    editions = sorted((e for eds in briefings.values() for e in eds),
                      key=lambda e: (e.date, e.name, e.number))
    latest = editions[-1].date if editions else dt.date(2000, 1, 1)
    gen.updated(now or _moment(latest))
    for edition in editions:
        entry = gen.add_entry(order="prepend")
        entry.id(f"urn:briefing:{edition.name}:{edition.number}")
        entry.title(printable(f"{edition.title} (edition {edition.number})"))
        entry.link(href=_href(options, dated_name(edition)), rel="alternate",
                   type="application/pdf")
        entry.updated(_moment(edition.date))
        entry.published(_moment(edition.date))
        entry.summary(printable(edition.summary))
    data: bytes = gen.atom_str(pretty=True)
    return data


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def stylesheet(theme: Theme) -> str:
    """Plain CSS in the theme's colours."""
    c = theme.colors
    return f"""\
:root {{ --primary: {c['primary']}; --accent: {c['accent']}; --text: {c['text']};
  --muted: {c['muted']}; --panel: {c['callout_background']}; --rule: {c['rule']};
  --link: {c['link']}; --band-text: {c.get('band_text', '#FFFFFF')}; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; color: var(--text); background: #fff;
  font: 1rem/1.5 "Noto Serif", Georgia, serif; }}
header {{ background: var(--primary); color: var(--band-text); padding: 1.5rem 1rem; }}
header p {{ margin: 0; color: var(--accent); font: bold .8rem/1.2 "Noto Sans", sans-serif;
  letter-spacing: .1em; text-transform: uppercase; }}
h1, h2 {{ font-family: "Noto Sans", Arial, sans-serif; }}
h1 {{ margin: .3rem 0 0; font-size: 1.8rem; }}
main {{ max-width: 60rem; margin: 0 auto; padding: 1rem; }}
.wrap {{ max-width: 60rem; margin: 0 auto; }}
ul.briefings {{ list-style: none; padding: 0; margin: 0; }}
.briefing {{ display: flex; gap: 1.2rem; padding: 1.2rem 0; border-bottom: 1px solid var(--rule); }}
.briefing img {{ width: 9rem; height: auto; border: 1px solid var(--rule); flex: none; }}
.briefing h2 {{ margin: 0 0 .3rem; font-size: 1.25rem; color: var(--primary); }}
.date {{ color: var(--muted); font-size: .9rem; margin: 0; }}
.changes {{ border-left: 3px solid var(--accent); background: var(--panel); padding: .4rem .7rem;
  margin: .6rem 0; }}
a {{ color: var(--link); }}
a:focus-visible {{ outline: 3px solid var(--accent); outline-offset: 2px; }}
.download {{ font-weight: bold; }}
details summary {{ cursor: pointer; color: var(--muted); }}
footer {{ color: var(--muted); font-size: .85rem; padding: 1rem; text-align: center; }}
@media (max-width: 36rem) {{ .briefing {{ flex-direction: column; }} }}
"""


def index_page(briefings: dict[str, list[Edition]], options: PublishOptions, theme: Theme) -> str:
    """The page listing the briefings: plain, accessible HTML, no JavaScript."""
    def e(text: str) -> str:
        return html.escape(printable(text))

    items = []
    for name, editions in sorted(briefings.items(),
                                 key=lambda kv: (kv[1][-1].date, kv[0]), reverse=True):
        latest = editions[-1]
        lang = latest.model().meta.lang or "en"
        past = "".join(
            f'<li><a href="{e(dated_name(ed))}">Edition {ed.number}, '
            f'<time datetime="{ed.date.isoformat()}">{_day(ed.date)}</time></a>: {e(ed.summary)}</li>'
            for ed in reversed(editions)
        )
        changed = (f'<p class="changes"><strong>What changed:</strong> {e(latest.summary)}</p>'
                   if latest.number > 1 else "")
        items.append(f"""\
  <li class="briefing" id="{e(name)}">
    <img src="{e(name)}.png" alt="Page 1 of {e(latest.title)}" width="144">
    <div>
      <h2 lang="{e(lang)}"><a href="{e(name)}.pdf">{e(latest.title)}</a></h2>
      <p class="date">Edition {latest.number},
        <time datetime="{latest.date.isoformat()}">{_day(latest.date)}</time>,
        {latest.pages} page{'s' if latest.pages != 1 else ''}</p>
      {changed}
      <p><a class="download" href="{e(name)}.pdf">Download the PDF<span class="visually-hidden"> of {e(latest.title)}</span></a></p>
      <details><summary>All editions ({len(editions)})</summary><ul>{past}</ul></details>
    </div>
  </li>""")
    body = "\n".join(items) or "  <li>No briefing has been published yet.</li>"
    return f"""\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(options.title)}</title>
<link rel="stylesheet" href="style.css">
<link rel="alternate" type="application/atom+xml" title="{e(options.title)}" href="feed.xml">
<style>.visually-hidden {{ position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }}</style>
</head>
<body>
<header><div class="wrap"><p>Briefings · {len(briefings)} published</p><h1>{e(options.title)}</h1></div></header>
<main>
<ul class="briefings">
{body}
</ul>
</main>
<footer><a href="feed.xml">Atom feed</a> · made with briefing {e(__version__)}</footer>
</body>
</html>
"""


def _day(day: dt.date) -> str:
    return format_date(day, "en")
