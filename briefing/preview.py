"""A PNG picture of a PDF page (for --preview and published thumbnails), with pypdfium2."""

from __future__ import annotations

from pathlib import Path

from briefing.errors import OutputError
from briefing.output import check_writable, write_atomic


def page_png(pdf: bytes, page: int = 0, dpi: float = 80) -> bytes:
    """A page of a PDF as PNG bytes."""
    import io

    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        image = document[page].render(scale=dpi / 72).to_pil()
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def check_preview_path(path: Path) -> None:
    """Fail early when a preview cannot be written there."""
    if path.suffix.lower() != ".png":
        raise OutputError(f"{path}: a preview is a PNG image; give a name ending in .png")
    check_writable(path)


def write_preview(pdf: bytes, path: Path, dpi: float = 80) -> None:
    """Write page 1 as a PNG."""
    check_preview_path(path)
    write_atomic(path, page_png(pdf, 0, dpi))
