"""PDF transcripts: the text layer, page by page (``pdf`` extra: pypdf).

Only text is read; nothing in the file is run. A PDF with no text layer is almost always a scan,
and is refused with the advice to run OCR first, rather than imported as an empty document. An
encrypted PDF that opens without a password (only editing is restricted) is read; one that needs a
password to open is refused by name.
"""

from __future__ import annotations

import io
import logging
import warnings

from thematica.errors import InvalidInputError
from thematica.interchange.formats import ImportedText, register_format
from thematica.interchange.plaintext import imported_from_text

__all__ = ["read_pdf", "register"]


def read_pdf(data: bytes, name: str) -> ImportedText:
    try:
        import pypdf
    except ImportError:  # pragma: no cover - the dev extra installs it
        raise InvalidInputError(
            "reading PDF files needs the 'pdf' extra: pip install 'thematica[pdf]'", file=name
        ) from None
    if b"%PDF-" not in data[:1024]:
        raise InvalidInputError("not a PDF file (no %PDF- header)", file=name)
    pages = _page_texts(pypdf, data, name)
    if not pages:
        raise InvalidInputError("the PDF has no pages", file=name)
    if not any(page.strip() for page in pages):
        raise InvalidInputError(
            f"the PDF has no text layer ({len(pages)} page(s) of images only): it looks like a "
            "scan. Run OCR on it first (for example: ocrmypdf in.pdf out.pdf) and import the "
            "result",
            file=name,
        )
    return imported_from_text("\n\n".join(pages), name, "pdf")


def _page_texts(pypdf: object, data: bytes, name: str) -> list[str]:
    logger = logging.getLogger("pypdf")
    level = logger.level
    # pypdf logs and warns about every repairable flaw; a researcher can do nothing about them,
    # and the ones that matter end in an exception turned into a message below.
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)  # type: ignore[attr-defined]
            if reader.is_encrypted and not _opens_without_password(reader):
                raise InvalidInputError(
                    "the PDF is password-protected (encrypted); save a copy without the "
                    "password and import that",
                    file=name,
                )
            return [(page.extract_text() or "").replace("\x00", "") for page in reader.pages]
    except InvalidInputError:
        raise
    except Exception as exc:  # a damaged file can fail anywhere inside pypdf
        raise InvalidInputError(
            f"the PDF is damaged or truncated and cannot be read ({type(exc).__name__}: {exc})",
            file=name,
        ) from None
    finally:
        logger.setLevel(level)


def _opens_without_password(reader: object) -> bool:
    try:
        return bool(reader.decrypt(""))  # type: ignore[attr-defined]
    except Exception:  # pypdf raises for unsupported ciphers or a missing crypto library
        return False


def register() -> None:
    register_format("pdf", (".pdf",), read_pdf)
