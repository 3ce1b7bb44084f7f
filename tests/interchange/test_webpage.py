from __future__ import annotations

import pytest

from tests.interchange.made_files import make_docx
from thematica.errors import InvalidInputError
from thematica.interchange.webpage import read_html
from thematica.interchange.word import read_docx

PAGE = b"""<!DOCTYPE html><html><head><title>Interview 4</title>
<style>p { color: red }</style><script>alert('head')</script></head>
<body><h1>Interview 4</h1>
<p><b>Interviewer:</b> What &amp; who   helped?</p>
<p>P04: My mentor &mdash; she said &lt;script&gt; isn't scary.<br>New line.</p>
<script>document.write('<p>Injected: no</p>')</script>
<div onclick="steal()">P04: &#8220;Really.&#8221;</div>
</body></html>"""


def test_visible_text_entities_decoded_scripts_dropped() -> None:
    imported = read_html(PAGE, "i.html")
    assert imported.text == (
        "Interview 4\n\n"
        "Interviewer: What & who helped?\n\n"
        "P04: My mentor — she said <script> isn't scary.\nNew line.\n\n"
        "P04: “Really.”\n"
    )
    assert "alert" not in imported.text and "Injected" not in imported.text
    assert "steal" not in imported.text and "color" not in imported.text
    assert [t.speaker for t in imported.turns] == ["Interviewer", "P04", "P04"]


def test_html_reads_like_the_same_docx() -> None:
    paragraphs = ["Int: Hello & welcome.", "P01: Thanks."]
    page = "".join(f"<p>{p.replace('&', '&amp;')}</p>" for p in paragraphs).encode()
    assert read_html(page, "a.html").text == read_docx(make_docx(paragraphs), "a.docx").text


def test_table_transcript_and_declared_charset() -> None:
    page = (
        '<html><head><meta charset="windows-1252"></head><body><table>'
        "<tr><th>Speaker</th><th>Text</th></tr><tr><td>Int</td><td>Café?</td></tr>"
        "<tr><td>P02</td><td>Yes.</td></tr></table></body></html>"
    ).encode("cp1252")
    imported = read_html(page, "t.html")
    assert imported.text == "Int: Café?\n\nP02: Yes.\n"


def test_not_html_or_empty() -> None:
    with pytest.raises(InvalidInputError, match=r"^x\.html: not an HTML file"):
        read_html(b"just words", "x.html")
    with pytest.raises(InvalidInputError, match=r"^e\.html: the file is empty"):
        read_html(b"<html><script>only()</script></html>", "e.html")
