"""Imports flow one way: cli → jobs → editions → build → render → typography → model, with
the utilities (errors, files, assets, cache, paths, clock...) and the data library under the
stages that use them.

Every top-level module or package of ``briefing`` has a rule saying what it MAY import of
ours (function-level and relative imports included); anything else fails, and a new module
fails until it is given a rule.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "briefing"

#: Floor 1: utilities that import nothing of ours, or only each other.
_UTILITIES = frozenset({"errors", "files", "assets", "cache", "paths", "clock", "output",
                        "convert", "extras", "runtime"})

#: Top-level module or package (``briefing.X``) → what of ours it may import ("" is
#: ``briefing`` itself, for the version).
ALLOWED: dict[str, frozenset[str]] = {
    "": frozenset(),
    "__main__": frozenset({"cli"}),
    "model": frozenset(),  # the model imports nothing of ours
    "convert": frozenset(),  # plain data into typed structs: for the model, options, themes
    "errors": frozenset(),
    "files": frozenset(),
    "assets": frozenset(),
    "cache": frozenset({"files"}),
    "paths": frozenset({"errors"}),  # the path policy: nothing but the errors
    "clock": frozenset({"errors"}),
    "runtime": frozenset(),  # how briefing's own processes run (the collector's pace)
    "extras": frozenset({"errors"}),  # optional dependencies, imported when a document needs them
    "starter": frozenset({"errors"}),
    "output": frozenset({"errors", "files", "paths"}),
    "preview": frozenset({"errors", "output"}),
    "summary": frozenset({"model", "read"}),  # what check prints: the model, the readers' notes
    # data files, expressions, tables and charts from data: used by readers, the renderer,
    # editions and jobs alike, so it stands under all of them
    "data": frozenset({"errors"}),
    "read": frozenset({"model", "convert", "errors", "paths", "data", "assets"}),
    # the data stage: a briefing's data read, its figures, tables and charts made
    "fill": frozenset({"model", "data", "paths", "errors"}),
    "typography": frozenset({"model", "cache", "errors", "data", "assets", "extras"}),
    "options": frozenset({"model", "convert", "errors", "pdf"}),  # what a build is asked for
    "pdf": frozenset({"model", "errors", "assets", "files", "paths", "cache"}),  # the PDF back end
    "theme": frozenset({"options", "convert", "assets", "files", "paths", "errors"}),
    "render": frozenset({"", "model", "typography", "theme", "options", "pdf", "data", *_UTILITIES}),
    "build": frozenset({"model", "read", "fill", "typography", "theme", "options", "pdf", "render", "data", "summary",
                        *_UTILITIES}),
    # the layout report (check --layout): a build measured, judged and printed
    "layout_report": frozenset({"model", "typography", "theme", "options", "render", "build",
                                *_UTILITIES}),
    "editions": frozenset({"", "model", "read", "fill", "typography", "theme", "options", "pdf", "render", "build",
                           "data", "preview", "summary", *_UTILITIES}),
    "jobs": frozenset({"", "model", "read", "fill", "typography", "theme", "options", "pdf", "render", "build", "data",
                       "editions", "preview", "summary", *_UTILITIES}),
    "cli": frozenset({"", "model", "read", "fill", "typography", "theme", "options", "pdf", "render", "build", "data",
                      "editions", "jobs", "preview", "summary", "starter", "layout_report",
                      *_UTILITIES}),
}


def _top_units() -> list[str]:
    """Every top-level module and package of ``briefing``."""
    out = [""]
    for path in sorted(PACKAGE.iterdir()):
        if path.suffix == ".py" and path.name != "__init__.py":
            out.append(path.stem)
        elif path.is_dir() and (path / "__init__.py").is_file():
            out.append(path.name)
    return out


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out.append((name, path))
    return out


def _unit(module: str) -> str | None:
    """The top-level unit of a module of ours (``"render"`` for ``briefing.render.story``),
    or None for a module that is not ours."""
    if module == "briefing":
        return ""
    if not module.startswith("briefing."):
        return None
    return module.split(".")[1]


def imported_units(name: str, path: Path) -> set[str]:
    """The units of ours that module ``name`` (at ``path``) imports, relative imports
    resolved against its package."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*parts, base] if base else parts)
            if base == "briefing":  # ``from briefing import errors`` imports a module
                modules = [f"briefing.{alias.name}" if _is_unit(alias.name) else "briefing"
                           for alias in node.names]
            else:
                modules = [base]
        for module in modules:
            unit = _unit(module)
            if unit is not None:
                found.add(unit)
    return found


def _is_unit(name: str) -> bool:
    return (PACKAGE / f"{name}.py").is_file() or (PACKAGE / name / "__init__.py").is_file()


def test_every_module_has_a_rule() -> None:
    missing = [unit for unit in _top_units() if unit not in ALLOWED]
    assert not missing, f"give these a rule in ALLOWED: {missing}"


@pytest.mark.parametrize(("module", "path"), _modules(), ids=[m for m, _ in _modules()])
def test_imports_flow_one_way(module: str, path: Path) -> None:
    unit = _unit(module)
    assert unit is not None and unit in ALLOWED, f"{module}: no rule"
    bad = sorted(u or "briefing" for u in imported_units(module, path) - {unit}
                 if u not in ALLOWED[unit])
    assert not bad, f"{module} imports {bad}, which the rule for {unit or 'briefing'} forbids"


def test_relative_imports_are_read(tmp_path: Path) -> None:
    module = tmp_path / "story.py"
    module.write_text("from ..jobs import update\nfrom . import fonts\nfrom .. import cli\n")
    assert imported_units("briefing.render.story", module) == {"jobs", "render", "cli"}
