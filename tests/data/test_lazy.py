"""Jinja2 and Babel load only when a document declares data; without the extra, the error
names it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from briefing.data import EXTRA_HINT, require

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT,
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_cold_build_of_a_plain_source_imports_neither(tmp_path: Path) -> None:
    out = _run(f"""
        import sys
        from briefing.cli import main
        sys.argv = ["briefing", "-q", "build", "-o", {str(tmp_path / "out.pdf")!r}]
        try:
            main()
        except SystemExit as exit:
            assert not exit.code, exit.code
        import briefing.data, briefing.data.values  # the package's light part
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("jinja2", "babel")))
    """)
    assert (tmp_path / "out.pdf").stat().st_size > 1000
    assert out == "[]"


def test_missing_extra_is_named() -> None:
    out = _run("""
        import sys
        sys.modules["jinja2"] = None  # as if the extra were not installed
        from briefing.errors import DataError
        from briefing.data import require
        try:
            require("article.md")
        except DataError as exc:
            print(exc.message)
        try:
            import briefing.data.expr
        except DataError as exc:
            print(exc.message)
    """)
    assert out.splitlines() == [
        f"article.md: data needs jinja2; {EXTRA_HINT}",
        f"data needs Jinja2; {EXTRA_HINT}",
    ]
    assert "pip install 'briefing[data]'" in EXTRA_HINT


def test_require_passes_when_installed() -> None:
    assert require("article.md") is None
