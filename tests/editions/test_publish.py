"""The published folder: stable and dated PDFs, thumbnails, index.html and a valid Atom feed."""

from __future__ import annotations

import datetime as dt
import html.parser
import os
import shutil
import subprocess
from pathlib import Path

import feedparser
import pytest

from briefing.editions.publish import PublishOptions, publish
from briefing.editions.record import build_edition
from briefing.editions.store import EditionStore
from briefing.theme import load_theme


@pytest.fixture
def published(tmp_path: Path, sources: tuple[Path, Path]) -> tuple[Path, EditionStore]:
    store = EditionStore(tmp_path / "editions")
    build_edition(sources[0], "sora", store, date=dt.date(2026, 12, 1))
    build_edition(sources[1], "sora", store, date=dt.date(2026, 12, 2))
    site = tmp_path / "site"
    publish(store, PublishOptions(site, title="Our briefings",
                                  base_url="https://example.org/b"), load_theme(None))
    return site, store


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []
        self.imgs_without_alt = 0
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.targets.append(str(a["href"]))
        if tag == "img":
            self.targets.append(str(a["src"]))
            self.imgs_without_alt += not a.get("alt")
        if tag == "link" and a.get("href"):
            self.targets.append(str(a["href"]))
        self.scripts += tag == "script"


def test_folder_layout(published: tuple[Path, EditionStore]) -> None:
    site, store = published
    files = sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file())
    assert files == ["feed.xml", "index.html", "sora.pdf", "sora.png",
                     "sora/sora-2026-12-01-e1.pdf", "sora/sora-2026-12-02-e2.pdf", "style.css"]
    latest = store.latest("sora")
    assert latest is not None and (site / "sora.pdf").read_bytes() == latest.pdf()
    assert (site / "sora.png").read_bytes().startswith(b"\x89PNG")
    assert not [p for p in site.rglob(".*")], "temporary files left behind"


def test_index_points_only_to_files_that_exist(published: tuple[Path, EditionStore]) -> None:
    site, _ = published
    page = (site / "index.html").read_text(encoding="utf-8")
    links = _Links()
    links.feed(page)
    assert links.scripts == 0 and links.imgs_without_alt == 0
    local = [t for t in links.targets if "://" not in t]
    assert {"sora.pdf", "sora.png", "style.css", "feed.xml",
            "sora/sora-2026-12-01-e1.pdf", "sora/sora-2026-12-02-e2.pdf"} <= set(local)
    for target in local:
        assert (site / target).is_file(), target
    assert '<html lang="en">' in page
    assert "What changed:</strong> Article changed; 1 FAQ question added" in page
    assert "Edition 2" in page and "2 December 2026" in page
    assert "#1F3A5F" in (site / "style.css").read_text(encoding="utf-8")


def test_feed_is_valid_atom_with_one_entry_per_edition(
        published: tuple[Path, EditionStore]) -> None:
    site, _ = published
    parsed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Our briefings"
    assert len(parsed.entries) == 2
    newest = parsed.entries[0]
    assert newest.id == "urn:briefing:sora:2"
    assert newest.link == "https://example.org/b/sora/sora-2026-12-02-e2.pdf"
    assert newest.summary.startswith("Article changed; 1 FAQ question added")
    assert parsed.entries[1].summary == "first edition"


def test_republishing_is_stable(published: tuple[Path, EditionStore]) -> None:
    site, store = published
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    publish(store, PublishOptions(site, title="Our briefings",
                                  base_url="https://example.org/b"), load_theme(None))
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert before == after


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
@pytest.mark.skipif(chromium() is None, reason="Debian's chromium is not installed")
def test_index_in_a_headless_browser(published: tuple[Path, EditionStore], tmp_path: Path) -> None:
    """Screenshot of the page (kept as docs/images/index-page.png when BRIEFING_SCREENSHOT=1)."""
    site, _ = published
    shot = tmp_path / "index.png"
    browser = chromium()
    assert browser is not None
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}",
         "--window-size=1200,900", (site / "index.html").as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    assert shot.read_bytes().startswith(b"\x89PNG")
    if os.environ.get("BRIEFING_SCREENSHOT"):
        target = Path(__file__).parents[2] / "docs" / "images" / "index-page.png"
        shutil.copyfile(shot, target)
