"""What ``briefing publish`` publishes, and where: the command line's values over the manifest's
(its editions folder, its ``[publish]`` table, its page's theme), decided here so that the
command only wires its options."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from briefing.editions.publish import PublishOptions, check_base_url
from briefing.errors import UsageError
from briefing.jobs.manifest import DEFAULT_NAME, load_manifest
from briefing.paths import same_file


@dataclass(frozen=True, slots=True)
class SiteRequest:
    """A site to publish: from which editions folder, with which settings and theme."""

    editions: Path
    options: PublishOptions
    theme: str | None  # None: the default theme


def site_request(output: Path | None, editions: Path | None, *, manifest: Path | None = None,
                 title: str | None = None, base_url: str | None = None,
                 theme: str | None = None) -> SiteRequest:
    """The site ``briefing publish [OUTPUT] [--dir] [--manifest] [--title] [--base-url]
    [--theme]`` asks for; without OUTPUT or ``--dir``, the manifest says what is missing.
    A wrong or missing value is a ``UsageError`` saying what to give."""
    options = PublishOptions(output or Path("site"))
    if output is None or editions is None:
        if output is not None and manifest is None and not Path(DEFAULT_NAME).exists():
            raise UsageError(f"publishing into {output} needs the editions folder: give it "
                             "with --dir FOLDER (or run this beside the briefings.toml that "
                             "names it, or name that manifest with --manifest)")
        loaded = load_manifest(manifest)
        if loaded.editions is None:
            raise UsageError(f"{loaded.path.name}: no editions folder; add editions = "
                             "\"editions\" at its top, or give OUTPUT and --dir")
        editions = editions or loaded.editions
        if output is None and loaded.publish is None:
            raise UsageError(f"{loaded.path.name}: no [publish] table; add one or give OUTPUT")
        if loaded.publish is not None:
            options = dataclasses.replace(loaded.publish, folder=output or loaded.publish.folder)
        theme = theme or loaded.publish_theme
    if base_url is not None:
        try:
            base_url = check_base_url(base_url)
        except ValueError as exc:
            raise UsageError(f"--base-url: {exc}") from None
    options = dataclasses.replace(
        options,
        title=title if title is not None else options.title,
        base_url=base_url if base_url is not None else options.base_url,
    )
    if same_file(options.folder, editions):
        raise UsageError(f"{options.folder}: is the editions folder; publish into a folder "
                         "of its own")
    return SiteRequest(editions, options, theme)
