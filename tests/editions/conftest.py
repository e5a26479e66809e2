"""Two editions of the sample: one paragraph changed and one FAQ question added."""

from __future__ import annotations

from pathlib import Path

import pytest

OLD_WORDS = "environ 20 artistes"
NEW_WORDS = "une vingtaine d’artistes"
NEW_QUESTION = "Que peuvent faire les lecteurs ?"
NEW_ANSWER = "Ils peuvent soutenir les artistes en achetant leurs œuvres."


def norm(text: str) -> str:
    """Text with the typography's no-break spaces as plain spaces, for comparisons."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def second_edition_text(sample: Path) -> str:
    text = sample.read_text(encoding="utf-8")
    assert OLD_WORDS in text
    return (text.replace(OLD_WORDS, NEW_WORDS).rstrip("\n")
            + f"\n{NEW_QUESTION}\n{NEW_ANSWER}\n")


@pytest.fixture
def sources(tmp_path: Path, sample_path: Path) -> tuple[Path, Path]:
    """The sample as edition 1, and the changed sample as edition 2 (same file name)."""
    old = tmp_path / "v1" / "article.txt"
    new = tmp_path / "v2" / "article.txt"
    old.parent.mkdir()
    new.parent.mkdir()
    old.write_text(sample_path.read_text(encoding="utf-8"), encoding="utf-8")
    new.write_text(second_edition_text(sample_path), encoding="utf-8")
    return old, new
