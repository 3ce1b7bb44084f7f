"""Nothing is proposed inside a redaction marker a depositor (or Thematica) left."""

from __future__ import annotations

from thematica.deid import detect
from thematica.deid.markers import marker_spans


def test_markers_of_every_kind_are_recognised_and_brackets_that_are_not_markers_are_not() -> None:
    text = "[Redacted University] [Name] <name> XXX *** [Person 3] [laughs] [crosstalk]"
    marked = [text[s:e] for s, e in marker_spans(text)]
    assert marked == ["[Redacted University]", "[Name]", "<name>", "XXX", "***", "[Person 3]"]


def test_nothing_is_proposed_inside_a_marker_and_no_placeholder_is_nested() -> None:
    text = (
        "I started at [Redacted University] hospital. My manager was [Name], the lead <name>.\n"
        "Then a week with XXX from the trust. [Person 47] member, [Organisation 5] England."
    )
    found = detect(text)
    for d in found:
        for start, end in marker_spans(text):
            assert not (d.span.start < end and start < d.span.end), d


def test_names_beside_a_marker_are_still_found() -> None:
    found = detect("[Name] and Krzysztof met Ngozi at [Redacted Trust].")
    assert [d.text for d in found] == ["Krzysztof", "Ngozi"]
