"""Same inputs → byte-identical PDF, across processes; one word more → other bytes."""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def build_in_new_process(source: Path, output: Path, epoch: str | None) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "random"}
    env.pop("SOURCE_DATE_EPOCH", None)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    subprocess.run(
        [sys.executable, "-m", "briefing", "-q", "build", str(source), "-o", str(output)],
        env=env,
        check=True,
        timeout=60,
    )


def test_two_processes_make_identical_bytes_and_one_word_changes_them(tmp_path: Path) -> None:
    source = tmp_path / "note.txt"
    source.write_text("Water notice\n\nThe tap water is safe to drink again.\n\nBoil no more.\n")
    first, second, changed = tmp_path / "1.pdf", tmp_path / "2.pdf", tmp_path / "3.pdf"
    build_in_new_process(source, first, "1796169600")
    build_in_new_process(source, second, "1796169600")
    assert filecmp.cmp(first, second, shallow=False)
    source.write_text(source.read_text().replace("safe", "fine"))
    build_in_new_process(source, changed, "1796169600")
    assert not filecmp.cmp(first, changed, shallow=False)


def test_source_date_epoch_sets_the_date(tmp_path: Path) -> None:
    source = tmp_path / "note.txt"
    source.write_text("Water notice\n\nThe tap water is safe to drink again.\n")
    build_in_new_process(source, tmp_path / "a.pdf", "1796169600")
    build_in_new_process(source, tmp_path / "b.pdf", "1700000000")
    assert not filecmp.cmp(tmp_path / "a.pdf", tmp_path / "b.pdf", shallow=False)
