"""Every PDF Forecourt prints starts here: fpdf2 with a Unicode TrueType font embedded.

fpdf2's built-in "core" fonts (Helvetica ...) know Latin-1 only: a dealer's name with a
curly apostrophe, an address with an em dash or a customer named with a Polish or Czech
letter either raised an encoding error or printed "?". DejaVu Sans (freely licensed,
fonts/LICENSE-DejaVu.txt) is shipped in the package and embedded (subset) in each document,
so any Latin, Greek or Cyrillic text prints as typed. Use `Document` (or `FONT` with
`Document.set_font`) instead of `FPDF` and the core font names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fpdf import FPDF

FONT = "DejaVuSans"
FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILES = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    "BI": "DejaVuSans-BoldOblique.ttf",
}


class Document(FPDF):
    """An FPDF whose one font family is the embedded DejaVu Sans (regular, bold, oblique)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for style, filename in FONT_FILES.items():
            self.add_font(FONT, style, str(FONT_DIR / filename))
        self.set_font(FONT, "", 10)
        self.set_creator("Forecourt")
