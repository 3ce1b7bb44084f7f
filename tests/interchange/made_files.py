"""Transcript files built in the tests with the tools that really write them.

python-docx writes ``.docx``, odfpy ``.odt`` and reportlab ``.pdf``; each builder takes the
paragraphs (or pages) of text and returns the file's bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence


def make_docx(paragraphs: Sequence[str], *, bold_labels: bool = False) -> bytes:
    """A Word document with one paragraph per item; ``Name:`` labels in bold if asked."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        paragraph = document.add_paragraph()
        label, colon, rest = text.partition(": ")
        if bold_labels and colon:
            paragraph.add_run(f"{label}:").bold = True
            paragraph.add_run(f" {rest}")
        else:
            paragraph.add_run(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_docx_table(rows: Sequence[Sequence[str]]) -> bytes:
    import docx

    document = docx.Document()
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_odt(paragraphs: Sequence[str]) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    for text in paragraphs:
        document.text.addElement(P(text=text))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def make_pdf(pages: Sequence[Sequence[str]]) -> bytes:
    """A PDF with a text layer: each page a list of lines. An empty page list item makes a blank
    page (no text at all, as a scan without OCR has)."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, invariant=True)
    for lines in pages:
        y = 800
        for line in lines:
            pdf.drawString(72, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def make_image_only_pdf() -> bytes:
    """A one-page PDF holding only a drawn rectangle: what a scan looks like to a text reader."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, invariant=True)
    pdf.rect(72, 400, 300, 300, fill=1)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def replace_member(package: bytes, member: str, data: bytes) -> bytes:
    """``package`` (a zip) with ``member`` replaced by ``data``, deflated."""
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = data if info.filename == member else source.read(info)
            target.writestr(info.filename, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()
