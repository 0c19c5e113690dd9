# ruff: noqa: RUF001 - typographic quotes and dashes are what these tests print
"""Every PDF prints ordinary text as typed: core.pdf.Document embeds a Unicode TrueType font,
and no module builds a PDF without it (fpdf2's core fonts are Latin-1 only). The documents
themselves are tested in their apps (inventory: Buyers Guide, window sticker; customers:
the data export) with accented Latin, curly quotes and dashes."""

from __future__ import annotations

import ast
import io
from pathlib import Path

from pypdf import PdfReader

from forecourt.core.pdf import FONT, Document

DEALER = "O’Brien Motors — “Zoë’s” Autohaus Łódź"
FORECOURT = Path(__file__).resolve().parents[2]


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def embedded_fonts(content: bytes) -> set[str]:
    """The base font names of every page; each must be an embedded (descendant) font."""
    names = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert "/FontDescriptor" in font["/DescendantFonts"][0].get_object()
            names.add(str(font["/BaseFont"]))
    return names


def test_document_embeds_the_unicode_font():
    pdf = Document()
    pdf.add_page()
    pdf.cell(0, 10, DEALER)
    content = bytes(pdf.output())
    assert DEALER in pdf_text(content)
    assert embedded_fonts(content)
    assert all(FONT in name for name in embedded_fonts(content))


def test_no_document_builds_its_pdf_without_the_unicode_font():
    """fpdf2's FPDF is used through core.pdf.Document only: its core fonts are Latin-1."""
    offenders = []
    for path in FORECOURT.rglob("*.py"):
        if (path.name == "pdf.py" and path.parent.name == "core") or "tests" in path.parts:
            continue
        source = path.read_text()
        if "fpdf" not in source:
            continue
        for node in ast.walk(ast.parse(source)):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module == "fpdf"
                and any(alias.name == "FPDF" for alias in node.names)
            ):
                offenders.append(str(path.relative_to(FORECOURT)))
            if isinstance(node, ast.Constant) and node.value in {"Helvetica", "Times", "Courier"}:
                offenders.append(f"{path.relative_to(FORECOURT)}: core font {node.value}")
    assert not offenders
