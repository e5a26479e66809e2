"""A theme's optional cover page: the title band, the lead, then the text from page 2."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf

from briefing.build import build
from briefing.options import ask


def test_cover_page(tmp_path: Path, sample_path: Path) -> None:
    theme = tmp_path / "cover.toml"
    theme.write_text('extends = "default"\nname = "cover"\n[page]\ncover = true\n', encoding="utf-8")
    result = build(sample_path, ask(theme=str(theme)))
    assert result.pages == 2 and result.warnings == []
    pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(result.pdf)).pages]
    assert "Un groupe d’artistes" in pages[0] and "Ils soutiennent" in pages[0]
    assert "En date de mardi" not in pages[0]
    assert "En date de mardi" in pages[1] and "Questions fréquentes" in pages[1]
    plain = build(sample_path, ask())
    assert plain.pages == 1
