"""HTML transcripts (``.html``, ``.htm``): the visible text, stored as text.

Parsed with the standard library's :class:`html.parser.HTMLParser`, which never runs anything: the
content of ``script``, ``style``, ``template`` and ``head`` is dropped (the title too), entities
are decoded (``&amp;`` is ``&``), block elements (``p``, ``div``, ``li``, headings, table rows ...)
become paragraphs a blank line apart and ``<br>`` a line break, as for ``.docx``. Markup that
arrives *inside* a plain-text transcript is not HTML and stays as typed.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from thematica.errors import InvalidInputError
from thematica.interchange.encodings import decode_text
from thematica.interchange.formats import ImportedText, register_format
from thematica.interchange.packages import row_as_line
from thematica.interchange.plaintext import imported_from_text

__all__ = ["html_paragraphs", "read_html", "register"]

_HIDDEN = frozenset({"script", "style", "template", "head", "noscript", "svg", "math", "iframe"})
_BLOCKS = frozenset(
    {
        "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "blockquote",
        "pre", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "table",
        "tr", "form", "fieldset", "figure", "figcaption", "address", "hr", "body", "html",
    }
)  # fmt: skip
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._current: list[str] = []
        self._hidden = 0
        self._cells: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag == "br":
            self._text("\n")
        elif tag == "tr":
            self._flush()
            self._cells = []
        elif tag in ("td", "th") and self._cells is not None:
            self._cell = []
        elif tag in _BLOCKS:
            self._flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._text("\n")
        elif tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in ("td", "th") and self._cells is not None and self._cell is not None:
            self._cells.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._cells is not None:
            line = row_as_line(self._cells)
            self._cells = None
            if line:
                self.paragraphs.append(line)
        elif tag in _BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._text(data)

    def _text(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif self._cells is None:
            self._current.append(data)

    def _flush(self) -> None:
        lines = ("".join(self._current)).split("\n")
        text = "\n".join(" ".join(line.split()) for line in lines).strip()
        if text:
            self.paragraphs.append(text)
        self._current = []

    def close(self) -> None:
        super().close()
        self._flush()


def html_paragraphs(markup: str) -> list[str]:
    """The visible text of ``markup`` as paragraphs (whitespace inside each collapsed)."""
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    return collector.paragraphs


def read_html(data: bytes, name: str) -> ImportedText:
    declared = _META_CHARSET.search(data[:4096])
    markup = None
    if declared and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            markup = data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            markup = None  # a wrong declaration: fall back to detection
    if markup is None:
        markup, _ = decode_text(data, name)
    if "<" not in markup:
        raise InvalidInputError("not an HTML file (it holds no markup)", file=name)
    return imported_from_text("\n\n".join(html_paragraphs(markup)), name, "html")


def register() -> None:
    register_format("html", (".html", ".htm", ".xhtml"), read_html)
