"""The docs are tested: every fenced example of README.md and docs/*.md runs as written.

Each example runs in a new temporary folder, through the ``briefing`` command (this checkout's,
run by this interpreter):

- a command block (no language, ``sh``): each line is run in turn and must succeed; a
  ``$ command`` line is a transcript, and the lines after it must be what the command prints;
  ``pip install`` lines are checked (the extra exists, the tool is installed), not run; a
  command that runs until stopped (``briefing watch``, ``briefing schedule``) is stopped with
  SIGTERM once it has said it is running, and must then end cleanly;
- a Markdown, YAML, JSON or plain-text example (``markdown``, ``yaml``, ``json``, ``txt``) is
  saved and built; a manifest (``toml`` with ``[[briefing]]``) is saved and updated; a theme
  (other ``toml``) is saved and a briefing built with it;
- a printed crontab or systemd unit (``<!-- output-of: COMMAND -->``) must be what COMMAND
  prints for the manifest above it, kept in ``/srv/briefings``.

The files an example names (``article.md``, ``voyage.txt``, ``report.docx``, a manifest's
sources and themes…) are put in its folder first. Comments before a block say more:
``<!-- as: NAME -->`` (the file to save the block as), ``<!-- then: COMMAND -->`` (what to run
instead of the build), ``<!-- not-run: why -->`` (an example that cannot run; they are counted
in ``NOT_RUN``, so that they cannot silently grow).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
EXAMPLES = ROOT / "assets" / "examples"
FIXTURES = ROOT / "tests" / "read" / "fixtures"

#: Examples marked ``<!-- not-run: … -->``, per document. Change it only with the marker.
NOT_RUN = {"README.md": 9, "docs/themes.md": 1}

FENCE = re.compile(r"^```(\S*)\s*$")
MARKER = re.compile(r"^<!--\s*([\w-]+)\s*(?::\s*(.*?))?\s*-->\s*$")
#: Commands that run until stopped, and what they say once they are running.
LASTING = re.compile(r"^briefing (watch\b|schedule(?!.*--(once|print-)))")
RUNNING = re.compile(r"scheduling \d+ briefing|: built|wrote ")


@dataclass
class Example:
    doc: str  # the document, relative to the repository
    line: int  # the line of its opening fence
    lang: str
    text: str
    markers: dict[str, str] = field(default_factory=dict)
    manifest: str | None = None  # the manifest example above it in the same document

    @property
    def id(self) -> str:
        return f"{self.doc}:{self.line}:{self.lang or 'commands'}"

    @property
    def is_manifest(self) -> bool:
        return self.lang == "toml" and "[[briefing]]" in self.text


def examples(path: Path) -> list[Example]:
    """The fenced examples of a Markdown document, in order, with the markers before each."""
    doc = str(path.relative_to(ROOT))
    lines = path.read_text(encoding="utf-8").splitlines()
    found: list[Example] = []
    manifest = None
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        markers: dict[str, str] = {}
        j = i - 1
        while j >= 0 and (marker := MARKER.match(lines[j])):
            markers.setdefault(marker.group(1), marker.group(2) or "")
            j -= 1
        end = next(k for k in range(i + 1, len(lines)) if lines[k].startswith("```"))
        example = Example(doc, i + 1, opening.group(1), "\n".join(lines[i + 1:end]) + "\n",
                          markers, manifest)
        found.append(example)
        if example.is_manifest:
            manifest = example.text
        i = end + 1
    return found


ALL = [example for path in DOCS for example in examples(path)]
RUN = [example for example in ALL if "not-run" not in example.markers]


# --- the folder an example runs in ------------------------------------------------------------


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Files made once for every example that names them: a built sample, a Word document."""
    folder = tmp_path_factory.mktemp("made")
    done = subprocess.run([sys.executable, "-m", "briefing", "build", "-q", "-o",
                           str(folder / "briefing.pdf")], env=_env(folder), cwd=folder,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    import docx

    document = docx.Document()
    document.add_paragraph("Storm warning for the coast", style="Title")
    document.add_paragraph("A strong storm reaches the coast tonight.")
    document.add_heading("What to do", level=1)
    document.add_paragraph("Stay at home, and keep away from the shore.")
    document.save(str(folder / "report.docx"))
    return folder


def _provide(folder: Path, text: str, made: Path) -> None:
    """Put in ``folder`` the files the example's text names."""
    copies = {
        "article.txt": [EXAMPLES / "sora-artists.txt"],
        "article.md": [EXAMPLES / "storm-warning.md", EXAMPLES / "storm-map.png"],
        "voyage.txt": [FIXTURES / "pasted" / "voyage.txt"],
        "Storm warning.html": [FIXTURES / "pages" / "coastal-towns-storm.html"],
        "report.docx": [made / "report.docx"],
        "flood-districts.csv": [EXAMPLES / "flood-districts.csv"],
        "briefing.pdf": [made / "briefing.pdf"],
    }
    for name, sources in copies.items():
        if name not in text:
            continue
        shutil.copyfile(sources[0], folder / name)
        for extra in sources[1:]:
            shutil.copyfile(extra, folder / extra.name)
    if "Storm warning.html" in text:  # saved "complete": its _files folder beside it
        shutil.copytree(FIXTURES / "pages" / "coastal-towns-storm_files",
                        folder / "coastal-towns-storm_files")


def _provide_manifest(folder: Path, manifest: str) -> None:
    """A manifest and the files it names: each missing source a bundled example of its kind,
    each theme file one that extends the default theme."""
    (folder / "briefings.toml").write_text(manifest, encoding="utf-8")
    data = tomllib.loads(manifest)
    by_kind = {".md": EXAMPLES / "storm-warning.md", ".txt": EXAMPLES / "example.txt",
               ".yaml": EXAMPLES / "sora-artists.yaml"}
    for table in data.get("briefing", []):
        for name in (table.get("each"), *table.get("data", {}).values()):
            if name and not (folder / name).exists():  # a bundled data file of that name
                shutil.copyfile(EXAMPLES / name, folder / name)
        source = folder / table["source"]
        if not source.exists():
            source.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(by_kind[source.suffix], source)
            if source.suffix == ".md":
                shutil.copyfile(EXAMPLES / "storm-map.png", source.parent / "storm-map.png")
        for key in ("theme",):
            value = table.get(key) or data.get("defaults", {}).get(key)
            if isinstance(value, str) and value.endswith(".toml"):
                theme = folder / value
                theme.parent.mkdir(parents=True, exist_ok=True)
                theme.write_text('extends = "default"\n[colors]\naccent = "#2A7A4B"\n')


def _env(home: Path) -> dict[str, str]:
    """The environment examples run in: ``briefing`` is this checkout's, no viewer opens."""
    bin_dir = home / ".bin"
    bin_dir.mkdir(exist_ok=True)
    for name, script in {
        "briefing": f'exec {shlex.quote(sys.executable)} -m briefing "$@"',
        "python": f'exec {shlex.quote(sys.executable)} "$@"',
        "xdg-open": "exit 0",
        "open": "exit 0",
    }.items():
        path = bin_dir / name
        path.write_text(f"#!/bin/sh\n{script}\n")
        path.chmod(0o755)
    search = os.pathsep.join([str(bin_dir), str(Path(sys.executable).parent),
                              "/usr/local/bin", "/usr/bin", "/bin"])
    env = {key: value for key, value in os.environ.items()
           if key in ("LANG", "LC_ALL", "TMPDIR", "SOURCE_DATE_EPOCH", "BRIEFING_CACHE_DIR")}
    return {**env, "PATH": search, "HOME": str(home), "PYTHONPATH": str(ROOT),
            "COLUMNS": "100", "BRIEFING_SMTP_PASSWORD": "not-a-real-password",
            "BRIEFING_HOOK_TOKEN": "not-a-real-token"}


# --- running ------------------------------------------------------------------------------------


def _run(command: str, folder: Path, env: dict[str, str], where: str) -> str:
    """Run one command line of an example; what it printed. It must succeed."""
    if LASTING.match(command):
        return _run_until_running(command, folder, env, where)
    done = subprocess.run(["bash", "-c", f"set -eo pipefail; {command}"], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=300)
    said = done.stdout + done.stderr
    assert done.returncode == 0, f"{where}: `{command}` failed ({done.returncode}):\n{said}"
    for bad in (r"Traceback", r"cannot be built", r"(?m)^Error:"):
        assert not re.search(bad, said), f"{where}: `{command}` said {bad!r}:\n{said}"
    return done.stdout


def _run_until_running(command: str, folder: Path, env: dict[str, str], where: str) -> str:
    """Start a command that runs until stopped; once it says it runs, stop it (SIGTERM)."""
    process = subprocess.Popen(["bash", "-c", f"exec {command}"], cwd=folder, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen = []
    try:
        assert process.stderr is not None
        for line in process.stderr:  # until it says it is running (or ends)
            seen.append(line)
            if RUNNING.search(line):
                break
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    said = "".join(seen) + (rest or "")
    assert RUNNING.search(said), f"{where}: `{command}` never said it runs:\n{said}"
    assert process.returncode == 0, f"{where}: `{command}` ended with {process.returncode}:\n{said}"
    assert "Traceback" not in said and "FAILED" not in said, f"{where}: {said}"
    return said


def _pip(command: str, where: str) -> None:
    """``pip install`` lines are checked, not run: the extra exists, or the tool is here."""
    for name in shlex.split(command)[2:]:
        extra = re.fullmatch(r"briefing\[([\w,]+)\]", name)
        if extra:
            extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
                "optional-dependencies"]
            for wanted in extra.group(1).split(","):
                assert wanted in extras, f"{where}: no extra {wanted!r} in pyproject.toml"
        else:
            assert shutil.which(name, path=str(Path(sys.executable).parent)) or \
                __import__("importlib.util").util.find_spec(name), f"{where}: {name} missing"


def _commands(example: Example, folder: Path, env: dict[str, str]) -> None:
    lines = example.text.splitlines()
    i = 0
    while i < len(lines):
        line, number = lines[i], example.line + 1 + i
        i += 1
        where = f"{example.doc}, line {number}"
        transcript = line.startswith("$ ")
        command = line[2:] if transcript else re.sub(r"\s+#\s.*$", "", line).strip()
        if not command:
            continue
        expected = []
        if transcript:
            while i < len(lines) and not lines[i].startswith("$ "):
                expected.append(lines[i])
                i += 1
        parts = [part.strip() for part in command.split("&&")]
        for part in parts:
            if part.startswith("pip install "):
                _pip(part, where)
            else:
                printed = _run(part, folder, env, where)
        if transcript:
            assert printed.rstrip("\n").splitlines() == expected, where


def _output_of(example: Example, folder: Path, env: dict[str, str]) -> None:
    """The block is what a command prints for the manifest above it, in /srv/briefings."""
    assert example.manifest is not None, f"{example.id}: no manifest above it"
    home = folder / "srv" / "briefings"
    home.mkdir(parents=True)
    _provide_manifest(home, example.manifest)
    printed = _run(example.markers["output-of"], home, env, example.id)
    command = str((folder / ".bin" / "briefing").resolve())
    printed = printed.replace(str(home), "/srv/briefings").replace(command,
                                                                   "/usr/local/bin/briefing")
    said = set(printed.splitlines())
    for line in example.text.splitlines():
        if line.strip() and not line.startswith("#"):
            assert line in said, f"{example.id}: {line!r} is not printed:\n{printed}"


DEFAULT_FILE = {"markdown": "example.md", "md": "example.md", "yaml": "example.yaml",
                "json": "example.json", "txt": "example.txt"}


@pytest.mark.parametrize("example", RUN, ids=[example.id for example in RUN])
def test_every_example_runs_as_written(example: Example, tmp_path: Path, made: Path) -> None:
    env = _env(tmp_path)
    folder = tmp_path / "work"
    folder.mkdir()
    if "output-of" in example.markers:
        _output_of(example, tmp_path, env)
        return
    then = example.markers.get("then")
    named = example.text + (then or "")
    _provide(folder, named, made)
    if example.lang in ("", "sh", "bash", "console"):
        if example.manifest and re.search(r"briefings\.toml|briefing (update|schedule)", named):
            _provide_manifest(folder, example.manifest)
        _commands(example, folder, env)
        return
    if example.is_manifest:
        _provide_manifest(folder, example.text)
        name = "briefings.toml"
        then = then or "briefing update"
    elif example.lang == "toml":  # a theme
        name = example.markers.get("as", "theme.toml")
        _provide(folder, "article.txt", made)
        then = then or f"briefing build article.txt --theme {name}"
    else:
        assert example.lang in DEFAULT_FILE, f"{example.id}: unknown kind of example"
        name = example.markers.get("as", DEFAULT_FILE[example.lang])
        then = then or f"briefing build {name}"
    (folder / name).write_text(example.text, encoding="utf-8")
    _run(then, folder, env, example.id)


def test_every_example_is_run_or_says_why_not() -> None:
    kinds = {"", "sh", "bash", "console", "toml", *DEFAULT_FILE}
    for example in ALL:
        if "not-run" in example.markers:
            assert example.markers["not-run"], f"{example.id}: say why it is not run"
        elif "output-of" not in example.markers:
            assert example.lang in kinds, (
                f"{example.id}: a {example.lang!r} example: make it runnable, or mark it "
                "<!-- not-run: why --> or <!-- output-of: COMMAND -->")
    counted = {doc: sum(1 for e in ALL if e.doc == doc and "not-run" in e.markers)
               for doc in {e.doc for e in ALL}}
    assert {doc: n for doc, n in counted.items() if n} == NOT_RUN


def test_the_readme_opens_with_what_a_newcomer_needs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    opening = readme[:readme.index("## Using it")]
    required = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert required == ">=3.11" and "Python 3.11 or later" in opening
    for said in ("python3-venv", ".venv/bin/pip install -q . && .venv/bin/briefing build",
                 "<!-- test-command -->", "<!-- /test-command -->",
                 "source .venv/bin/activate", "pipx install .", "uv tool install ."):
        assert said in opening, said
    for example in sorted(EXAMPLES.iterdir()):
        assert f"`{example.name}`" in opening, f"{example.name} is not listed"


def test_the_readme_shows_the_starter_init_writes() -> None:
    from briefing.jobs.manifest import STARTER

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"```toml\n{STARTER}```" in readme
