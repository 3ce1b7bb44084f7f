"""The model's own small behaviours: walking the code tree, counts, and the import report."""

from __future__ import annotations

from thematica.interchange.refi import (
    ImportReport,
    RefiCode,
    RefiCoding,
    RefiProject,
    RefiSelection,
    RefiSource,
    UnmappedElement,
)


def test_all_codes_walks_depth_first_with_parents() -> None:
    tree = RefiCode("a", "A", children=(RefiCode("b", "B", children=(RefiCode("c", "C"),)),))
    project = RefiProject("P", codes=(tree, RefiCode("d", "D")))
    assert [(c.guid, parent) for c, parent in project.all_codes()] == [
        ("a", None),
        ("b", "a"),
        ("c", "b"),
        ("d", None),
    ]


def test_counts_include_whole_source_codings() -> None:
    selection = RefiSelection("s", "", 0, 2, codings=(RefiCoding("c1", "a"), RefiCoding("c2", "a")))
    source = RefiSource("src", "T", "text", (selection,), codings=(RefiCoding("c3", "a"),))
    counts = RefiProject("P", sources=(source,)).counts()
    assert (counts["sources"], counts["selections"], counts["codings"]) == (1, 1, 3)
    assert selection.of(source.text) == "te"


def test_report_summary_names_every_unmapped_element() -> None:
    report = ImportReport(
        "study.qdpx",
        "Tool",
        {"codes": 3, "sources": 1},
        (
            UnmappedElement("PictureSource", "pictures are not imported", "g1", "Photo", 12),
            UnmappedElement("PictureSelection", "part of it", "g2", None, 13, inside="g1"),
        ),
        ("a notice",),
    )
    assert not report.complete
    assert report.unmapped_counts() == {"PictureSource": 1, "PictureSelection": 1}
    assert report.summary_lines() == [
        "study.qdpx: imported 3 codes, 1 sources",
        "note: a notice",
        "not imported: 1 PictureSource, 1 PictureSelection",
        "  - PictureSource 'Photo' (g1), line 12: pictures are not imported",
        "  - PictureSelection (g2), line 13: part of it",
    ]


def test_the_public_surface_is_explicit() -> None:
    import thematica.interchange.refi as refi

    assert set(refi.__all__) == {
        "DEFAULT_MAX_RATIO",
        "DEFAULT_MAX_TOTAL_BYTES",
        "VARIABLE_TYPES",
        "Guid",
        "ImportReport",
        "PositionUnit",
        "RefiCase",
        "RefiCode",
        "RefiCodebook",
        "RefiCoding",
        "RefiNote",
        "RefiProject",
        "RefiSelection",
        "RefiSet",
        "RefiSource",
        "RefiUser",
        "RefiVariable",
        "UnmappedElement",
        "read_qdc",
        "read_qdpx",
        "write_qdc",
        "write_qdpx",
    }
    assert all(hasattr(refi, name) for name in refi.__all__)
