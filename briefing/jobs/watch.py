"""``briefing watch``: rebuild on every save of a source, its theme or an asset.

    build once → watch the folders of every file the build used → on a (debounced) batch of
    changes to those files, build again → ...

A failed build keeps the last good PDF (writes are atomic) and is reported; the next save
tries again. For a manifest, each batch runs ``update``, so only the affected briefings are
rebuilt, and a change to the manifest itself re-reads it. The watcher (watchfiles) keeps
running during a build, so a save made meanwhile triggers the next build.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol

import watchfiles

from briefing.errors import BriefingError, UsageError
from briefing.files import file_state
from briefing.jobs.manifest import Manifest, load_manifest
from briefing.jobs.state import read_record
from briefing.jobs.update import Builder, Outcome, Task, execute, pipeline_builder, update
from briefing.options import NOTHING_ASKED, Asked
from briefing.paths import check_outputs

log = logging.getLogger("briefing.jobs")

DEFAULT_DEBOUNCE_MS = 200


class Event(Protocol):
    def is_set(self) -> bool: ...


class _Target(Protocol):
    def build(self) -> None: ...

    def files(self) -> set[Path]: ...

    def folders(self) -> set[Path]: ...


def watch_source(
    source: Path,
    output: Path,
    asked: Asked = NOTHING_ASKED,
    *,
    builder: Builder = pipeline_builder,
    debounce_ms: int = DEFAULT_DEBOUNCE_MS,
    stop_event: Event | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> None:
    """Build ``source`` into ``output`` now and after every change, until stopped; ``asked``:
    the build options given (``watch``'s flags: the same as ``build``'s)."""
    check_outputs([("-o", output)], [("the source itself", source)], error=UsageError)
    target = _SourceTarget(source.resolve(), output, asked, builder, on_outcome)
    _loop(target, debounce_ms, stop_event)


def watch_manifest(
    manifest_path: Path,
    *,
    builder: Builder = pipeline_builder,
    jobs: int | None = None,
    debounce_ms: int = DEFAULT_DEBOUNCE_MS,
    stop_event: Event | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> None:
    """Update the manifest's stale briefings now and after every change, until stopped."""
    target = _ManifestTarget(load_manifest(manifest_path), builder, jobs, on_outcome)
    _loop(target, debounce_ms, stop_event)


def _loop(target: _Target, debounce_ms: int, stop_event: Event | None) -> None:
    target.build()
    while stop_event is None or not stop_event.is_set():
        files = {_real(path) for path in target.files()}
        folders = sorted(
            {_real(folder) for folder in target.folders()}
            | {os.path.dirname(path) for path in files}
        )
        folders = [folder for folder in folders if os.path.isdir(folder)]
        trees = [_real(folder) for folder in target.folders()]

        def relevant(
            change: watchfiles.Change, path: str, files: set[str] = files, trees: list[str] = trees
        ) -> bool:
            real = _real(path)
            return real in files or any(real.startswith(tree + os.sep) for tree in trees)

        log.debug("watching %d file(s) in %d folder(s)", len(files), len(folders))
        changed = False
        for batch in watchfiles.watch(
            *folders,
            watch_filter=relevant,
            debounce=max(1600, debounce_ms * 4),
            step=debounce_ms,
            stop_event=stop_event,
            recursive=False,
            raise_interrupt=True,
        ):
            names = sorted({os.path.basename(path) for _, path in batch})
            log.info("changed: %s", ", ".join(names))
            target.build()
            new_files = {_real(path) for path in target.files()}
            if new_files != files:  # the build now depends on other files: watch those
                changed = True
                break
        if not changed:
            return  # stopped


class _SourceTarget:
    def __init__(
        self,
        source: Path,
        output: Path,
        asked: Asked,
        builder: Builder,
        on_outcome: Callable[[Outcome], None] | None,
    ) -> None:
        self.task = Task(source.stem, source, output, asked)
        self.builder = builder
        self.on_outcome = on_outcome
        self.deps: tuple[Path, ...] = ()

    def build(self) -> None:
        outcome = execute(self.task, self.builder)
        if outcome.status == "built":
            self.deps = tuple(Path(stamp.path) for stamp in outcome.deps)
            log.info("%s", outcome.describe())
        else:
            log.error("%s (the last good PDF is kept)", outcome.describe())
        if self.on_outcome is not None:
            self.on_outcome(outcome)

    def files(self) -> set[Path]:
        theme = self.task.asked.get("theme")
        extra = {Path(str(theme))} if theme and str(theme).endswith(".toml") else set()
        return {self.task.source, *self.deps, *extra}

    def folders(self) -> set[Path]:
        assets = self.task.asked.get("assets")
        return _subfolders([Path(assets)] if assets else [])


class _ManifestTarget:
    def __init__(
        self,
        manifest: Manifest,
        builder: Builder,
        jobs: int | None,
        on_outcome: Callable[[Outcome], None] | None,
    ) -> None:
        self.manifest = manifest
        self.builder = builder
        self.jobs = jobs
        self.on_outcome = on_outcome
        self._seen = self._states()

    def _states(self) -> tuple[object, ...]:
        """The manifest's state, and that of each file it makes briefings from (``each``):
        a row added or removed changes the briefings."""
        rows = sorted({self.manifest.folder / e.each for e in self.manifest.entries
                       if e.each is not None})
        return (file_state(self.manifest.path), *(file_state(path) for path in rows))

    def build(self) -> None:
        seen = self._states()
        if seen != self._seen:
            self._seen = seen
            try:
                self.manifest = load_manifest(self.manifest.path)
            except BriefingError as exc:
                log.error(
                    "%s is wrong; keeping the previous one:\n%s",
                    self.manifest.path.name,
                    exc.message,
                )
        try:
            update(
                self.manifest,
                jobs=self.jobs,
                wait=True,
                builder=self.builder,
                on_outcome=self.on_outcome,
            )
        except BriefingError as exc:
            log.error("%s", exc.message)

    def files(self) -> set[Path]:
        out = {self.manifest.path}
        for entry in self.manifest.entries:
            out.add(entry.source)
            if entry.each is not None:
                out.add(self.manifest.folder / entry.each)
            record = read_record(self.manifest.state_dir, entry.name)
            if record is not None:
                out.update(Path(stamp.path) for stamp in record.deps)
            theme = entry.asked.get("theme")
            if theme and str(theme).endswith(".toml"):
                out.add(Path(str(theme)))  # watched even before a first good build
        return out

    def folders(self) -> set[Path]:
        assets = [str(entry.asked.get("assets")) for entry in self.manifest.entries
                  if entry.asked.get("assets")]
        return _subfolders(Path(folder) for folder in assets)


def _subfolders(roots: Iterable[Path]) -> set[Path]:
    out: set[Path] = set()
    for root in roots:
        for folder, _, _ in os.walk(root):
            out.add(Path(folder))
    return out


def _real(path: Path | str) -> str:
    return os.path.realpath(path)

