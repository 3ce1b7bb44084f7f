"""gather_report and write_report: every figure traced back to the codings that made it.

The expected figures are computed here from the known study's list of codings with plain
Python, not with the analyses, so a wrong analysis or a wrong gathering both fail.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import both_backends
from tests.reports.known_study import (
    CODES,
    CODINGS,
    INTERVIEWS,
    LAYER,
    PARTICIPANTS,
    RECORD,
    SUMMARY,
)
from tests.reports.known_study import build as build_known
from thematica.errors import InvalidInputError, OutputError
from thematica.reports import formats as report_formats
from thematica.reports.data import ReportData
from thematica.services.report import FORMATS, gather_report, unlinked_warning, write_report
from thematica.services.scope import open_db
from thematica.storage import Database, UnitOfWork


@pytest.fixture(scope="module")
def known(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, ReportData]]:
    db = open_db(str(tmp_path_factory.mktemp("known") / "known.db"), create=True)
    build_known(db)
    yield db, gather_report(db)
    db.dispose()


def test_summary_counts_what_was_coded(known: tuple[Database, ReportData]) -> None:
    _, report = known
    s = report.summary
    assert s.participants == len(PARTICIPANTS)
    assert s.documents == len(INTERVIEWS)
    assert s.codings == len(LAYER)
    assert s.codes == len(CODES)
    assert s.coders == tuple(sorted({c.coder for c in CODINGS}))
    coders_of = defaultdict(set)
    for c in CODINGS:
        coders_of[c.document].add(c.coder)
    assert s.double_coded == sum(1 for who in coders_of.values() if len(who) > 1)


def test_framework_matrix_counts_and_summary(known: tuple[Database, ReportData]) -> None:
    _, report = known
    expected = Counter((c.participant, c.code) for c in LAYER)
    matrix = report.framework
    assert set(matrix.columns) == set(CODES)
    for participant in PARTICIPANTS:
        for code in CODES:
            cell = matrix.cell(participant, code)
            assert cell.codings == expected[(participant, code)], (participant, code)
            assert len(cell.passages) == cell.codings
    label, code, text, author = SUMMARY
    assert matrix.cell(label, code).summary == text
    assert report.summary_notes[(label, code)].author == author
    # Rows are grouped by setting: each group holds exactly the participants with that value.
    groups = {g.value: set(g.participants) for g in matrix.groups}
    for value in {a["setting"] for _, a in PARTICIPANTS.values()}:
        assert groups[value] == {p for p, (_, a) in PARTICIPANTS.items() if a["setting"] == value}


def test_barrier_facilitator_participants_per_theme_and_setting(
    known: tuple[Database, ReportData],
) -> None:
    _, report = known
    table = report.valence
    assert table.attribute == "setting"
    for theme in {c.theme for c in CODINGS}:
        for kind in ("barrier", "facilitator", "mixed"):
            people = {c.participant for c in CODINGS if c.theme == theme and c.valence == kind}
            assert getattr(table.row(theme), kind) == len(people), (theme, kind)
            for setting in table.groups:
                members = {p for p, (_, a) in PARTICIPANTS.items() if a["setting"] == setting}
                row = table.row(theme, group=setting)
                assert getattr(row, kind) == len(people & members), (theme, kind, setting)


def test_table_one_percentages_and_the_block_that_does_not_sum_to_n(
    known: tuple[Database, ReportData],
) -> None:
    _, report = known
    n = len(PARTICIPANTS)
    contract = report.participants_table.block("contract")
    held = Counter(
        value
        for _, attributes in PARTICIPANTS.values()
        for value in (
            [attributes["contract"]]
            if isinstance(attributes["contract"], str)
            else attributes["contract"]
        )
    )
    for category in contract.categories:
        assert category.count == held[category.category]
        assert category.percent == round(100 * held[category.category] / n, 1)
    assert contract.total == sum(held.values()) != n
    assert contract.flagged and f"N = {n}" in (contract.note or "")
    assert not report.participants_table.block("setting").flagged


def test_saturation_follows_first_appearances_in_interview_order(
    known: tuple[Database, ReportData],
) -> None:
    _, report = known
    seen: set[str] = set()
    cumulative, new = [], []
    for name, _, _ in INTERVIEWS:
        here = {c.code for c in CODINGS if c.document == name}
        new.append(len(here - seen))
        seen |= here
        cumulative.append(len(seen))
    result = report.saturation
    assert list(result.cumulative) == cumulative
    assert list(result.new_per_interview) == new
    assert (result.base_size, result.run_length, result.threshold) == (4, 2, 0.05)
    assert result.base_codes == cumulative[3]
    first = result.runs[0]
    assert (first.first, first.last) == (5, 6)
    assert first.ratio == pytest.approx(sum(new[4:6]) / cumulative[3])
    assert "heuristic" in result.verdict


def test_agreement_on_the_double_coded_interviews(known: tuple[Database, ReportData]) -> None:
    _, report = known
    found = report.agreement
    assert found is not None
    double = {c.document for c in CODINGS if c.coder == "Sam"}
    assert set(found.documents) == double
    assert found.coders == ("Robin", "Sam")
    assert found.pooled is not None


def test_quotes_carry_pseudonyms_and_codings_co_occur_by_turn(
    known: tuple[Database, ReportData],
) -> None:
    _, report = known
    for code, quotes in report.quotes.quotes.items():
        coded = {c.phrase for c in LAYER if c.code == code}
        for quote in quotes:
            assert quote.text in coded
            assert quote.pseudonym == PARTICIPANTS[quote.participant or ""][0]
    co = report.co_occurrence
    assert co.within == "turn"
    for code in CODES:
        turns = {(c.document, c.phrase) for c in LAYER if c.code == code}
        assert co.count(code, code) == len(turns)


def test_methods_and_coreq_use_the_record_and_mark_the_gaps(
    known: tuple[Database, ReportData],
) -> None:
    _, report = known
    assert RECORD["aim"] in report.methods
    assert "[to record: who interviewed]" in report.methods
    answers = {a.item.key: a for a in report.coreq}
    assert len(answers) == 32
    assert answers["sampling"].answer == RECORD["sampling"]
    assert answers["sampling"].source == "study record"
    assert answers["sample_size"].source == "from the data"
    assert str(len(PARTICIPANTS)) in answers["sample_size"].answer
    assert not answers["interviewer"].answered


@both_backends
def test_gathering_changes_nothing(db: Database) -> None:
    build_known(db)
    with UnitOfWork(db) as uow:
        study = uow.studies.all()[0]
        before = len(uow.events.all(study.id))
    report = gather_report(db)
    assert report.summary.codings == len(LAYER)
    with UnitOfWork(db) as uow:
        assert len(uow.events.all(study.id)) == before


def test_no_warning_while_every_coded_transcript_has_its_participant(
    known: tuple[Database, ReportData],
) -> None:
    assert known[1].warnings == ()


def test_coded_transcripts_without_a_participant_are_warned_about(
    db: Database, tmp_path: Path
) -> None:
    from thematica.reports.html import render_html
    from thematica.services.document_links import link_document

    build_known(db)
    link_document(db, "I1", None)
    link_document(db, "I2", None)
    report = gather_report(db)
    assert report.warnings == (unlinked_warning(2),)
    assert report.warnings[0].startswith("2 coded transcripts are linked to no participant")
    page = render_html(report)
    assert page.count("2 coded transcripts are linked to no participant") == 1
    summary = page.index('<section id="summary">')
    assert summary < page.index("linked to no participant") < page.index('id="participants"')
    seen: list[str] = []
    written = write_report(db, tmp_path / "out", ["html"], warn=seen.append)
    assert seen == [unlinked_warning(2)]
    assert unlinked_warning(2) in written[0].read_text(encoding="utf-8")


def test_split_by_another_attribute_or_an_unknown_one(known: tuple[Database, ReportData]) -> None:
    db, _ = known
    by_contract = gather_report(db, by="contract")
    assert set(by_contract.valence.groups) == {"Permanent", "Fixed term"}
    with pytest.raises(InvalidInputError, match="no participant has the attribute 'grade'"):
        gather_report(db, by="grade")


def test_write_report_writes_each_format_and_refuses_unknown_ones(
    known: tuple[Database, ReportData], tmp_path: Path
) -> None:
    db, _ = known
    paths = write_report(db, tmp_path / "out", list(FORMATS))
    assert [p.name for p in paths] == [f.filename for f in FORMATS.values()]
    assert all(p.stat().st_size > 0 for p in paths)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in paths)
    with pytest.raises(InvalidInputError, match="unknown report format pdf"):
        write_report(db, tmp_path / "out", ["pdf"])


def test_a_failing_format_leaves_the_folder_as_it_was(
    known: tuple[Database, ReportData], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, _ = known
    out = tmp_path / "out"
    [html] = write_report(db, out, ["html"])
    before = html.read_bytes()

    def full_disk(report: ReportData, path: Path) -> None:
        path.write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError(28, "No space left on device")

    broken = report_formats.ReportFormat("xlsx", "framework.xlsx", "broken", full_disk)
    monkeypatch.setitem(report_formats.FORMATS, "xlsx", broken)
    with pytest.raises(
        OutputError, match=r"framework\.xlsx: cannot write the file: the disk is full"
    ):
        write_report(db, out, ["html", "xlsx"])
    assert [p.name for p in out.iterdir()] == ["report.html"]
    assert html.read_bytes() == before


def test_a_file_where_the_folder_should_be_is_refused(
    known: tuple[Database, ReportData], tmp_path: Path
) -> None:
    db, _ = known
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="is a file, not a folder"):
        write_report(db, tmp_path / "out", ["html"])


def test_coverage_by_coder_counts_overlaps_once(known: tuple[Database, ReportData]) -> None:
    from tests.reports.known_study import transcript

    _, report = known
    texts = {name: transcript(turns) for name, _, turns in INTERVIEWS}
    assert report.coverage is not None
    for coder, share in report.coverage.coders.items():
        mine = [c for c in LAYER if c.coder == coder]
        covered = {
            (c.document, i)
            for c in mine
            for i in range(
                texts[c.document].index(c.phrase), texts[c.document].index(c.phrase) + len(c.phrase)
            )
        }
        length = sum(len(texts[d]) for d in {c.document for c in mine})
        assert (share.coded, share.characters) == (len(covered), length)


def test_overall_coverage_is_the_union_of_everyone_s_spans(
    known: tuple[Database, ReportData],
) -> None:
    from tests.reports.known_study import transcript

    _, report = known
    texts = {name: transcript(turns) for name, _, turns in INTERVIEWS}
    covered = set()
    for c in CODINGS:
        start = texts[c.document].index(c.phrase)
        covered |= {(c.document, i) for i in range(start, start + len(c.phrase))}
    overall = report.summary.coverage
    assert overall.coded == len(covered) < sum(len(c.phrase) for c in CODINGS)
    assert overall.characters == sum(len(t) for t in texts.values())


def test_a_study_with_nothing_coded_still_reports(db: Database, tmp_path: Path) -> None:
    from thematica.services.studies import create_study

    create_study(db, "Empty", template="blank", actor="tester")
    report = gather_report(db)
    assert report.summary.codings == 0 and report.agreement is None
    assert "cannot be assessed" in report.saturation.verdict
    paths = write_report(db, tmp_path / "out", list(FORMATS))
    page = paths[0].read_text(encoding="utf-8")
    assert "No coded interviews yet." in page and "No codes co-occur yet." in page


def test_real_names_on_the_sheet_reach_no_report_format(
    db: Database, study: str, tmp_path: Path
) -> None:
    from tests.services.named_sheet import REAL_NAMES, SHOWN, build, readable

    build(db, study)
    report = gather_report(db, study)
    assert all("name" not in p.attributes for p in report.participants)
    assert "Interviewer Name" not in {a for p in report.participants for a in p.attributes}
    coreq_16 = next(a for a in report.coreq if a.item.number == 16).answer
    blocks = coreq_16.removeprefix("Participant characteristics table: ").rstrip(".")
    assert set(blocks.split(", ")) == {"pseudonym", "setting"}
    assert report.methods.count("Left out of the report: Interviewer Name, name") == 1
    written = write_report(db, tmp_path / "out", list(FORMATS), study=study)
    assert {p.suffix for p in written} >= {".html", ".docx", ".xlsx", ".csv"}
    for path in written:
        text = readable(path)
        for real in REAL_NAMES:
            assert real not in text, (path.name, real)
    everything = "\n".join(readable(p) for p in written)
    for shown in SHOWN:
        assert shown in everything, shown
    html = readable(next(p for p in written if p.suffix == ".html"))
    assert "Robin" in html and "Hospice" in html


@pytest.mark.parametrize("named", ["name", "Interviewer-Name"])
def test_a_report_asking_for_an_identifying_attribute_is_refused(
    db: Database, study: str, tmp_path: Path, named: str
) -> None:
    from tests.services.named_sheet import build

    build(db, study)
    with pytest.raises(InvalidInputError, match="identifying; used only for de-identification"):
        write_report(db, tmp_path / "out", ["html"], study=study, quote_attributes=[named])
    with pytest.raises(InvalidInputError, match="identifying"):
        gather_report(db, study, by=named)
    assert not (tmp_path / "out").exists()
    # Pseudonyms are meant to be shown: asking for them is fine.
    quoted = gather_report(db, study, quote_attributes=["pseudonym", "setting"])
    assert quoted.quote_attributes == ("pseudonym", "setting")
