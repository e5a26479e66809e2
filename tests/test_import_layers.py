"""Imports flow one way: cli → jobs → editions → build → render → typography → model (and
data, beside the model, under every stage). The path policy (``briefing.paths``) is a utility
layer under them all: every stage may use it, and it imports nothing of ours but the errors.

Each rule lists what a part of the package may NOT import (function-level imports included).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "briefing"

FORBIDDEN: dict[str, tuple[str, ...]] = {
    "briefing.model": ("briefing",),  # the model imports nothing of ours
    "briefing.paths": ("briefing",),  # ... and the path policy nothing but the errors
    # data files, expressions, tables and charts from data: used by readers, the renderer,
    # editions and jobs alike, so it stands under all of them
    "briefing.data": ("briefing.read", "briefing.typography", "briefing.theme",
                      "briefing.render", "briefing.build", "briefing.editions",
                      "briefing.jobs", "briefing.cli"),
    "briefing.typography": ("briefing.read", "briefing.theme", "briefing.render",
                            "briefing.build", "briefing.editions", "briefing.jobs",
                            "briefing.cli"),
    "briefing.read": ("briefing.typography", "briefing.theme", "briefing.render",
                      "briefing.build", "briefing.editions", "briefing.jobs", "briefing.cli"),
    "briefing.theme": ("briefing.read", "briefing.render", "briefing.build",
                       "briefing.editions", "briefing.jobs", "briefing.cli"),
    "briefing.render": ("briefing.read", "briefing.build", "briefing.editions",
                        "briefing.jobs", "briefing.cli"),
    "briefing.build": ("briefing.editions", "briefing.jobs", "briefing.cli"),
    "briefing.editions": ("briefing.jobs", "briefing.cli"),
    "briefing.jobs": ("briefing.cli",),
}


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out.append((name, path))
    return out


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


@pytest.mark.parametrize(("module", "path"), _modules(), ids=[m for m, _ in _modules()])
def test_imports_flow_one_way(module: str, path: Path) -> None:
    for layer, forbidden in FORBIDDEN.items():
        if not _within(module, layer):
            continue
        bad = sorted(i for i in _imports(path)
                     if any(_within(i, f) for f in forbidden) and not _within(i, layer)
                     and not (layer != "briefing.model" and i in ("briefing", "briefing.errors")))
        if layer == "briefing.model":
            bad = sorted(i for i in _imports(path) if _within(i, "briefing"))
        if layer == "briefing.paths":
            bad = sorted(i for i in _imports(path)
                         if _within(i, "briefing") and i != "briefing.errors")
        assert not bad, f"{module} imports {bad}"
