"""What a study chooses for its report: quote attributes, Table 1's layout and N, the page size,
the record's title and team. Each on a small study this file builds (fictional)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from thematica.errors import InvalidInputError
from thematica.services.coding import CodingRequest, apply_codings
from thematica.services.documents import add_text
from thematica.services.participants import add_participant
from thematica.services.report import gather_report, write_report
from thematica.services.report_options import page_size, quote_attributes, table1_layout
from thematica.services.scope import open_db
from thematica.services.studies import create_study
from thematica.services.study_record import set_study_record
from thematica.storage import Database

STUDY = "Options study"
#: Attribute names no demo uses, so nothing can be hard-coded to them.
PEOPLE = {
    "R1": ("Ada", {"region": "North", "years_in_post": "3", "band": "5"}),
    "R2": ("Bo", {"region": "South", "years_in_post": "11", "band": "6"}),
    "R3": ("Cy", {"region": "North", "years_in_post": "7"}),
    "R4": ("Di", {"region": "East", "years_in_post": "40"}),  # no transcript
}
TEXT = "Interviewer: How is it?\n\nParticipant: The rota changes every week and it wears me out.\n"


@pytest.fixture
def built(tmp_path: Path) -> Database:
    db = open_db(str(tmp_path / "options.db"), create=True)
    create_study(db, STUDY, template="blank", actor="tester")
    for label, (pseudonym, attributes) in PEOPLE.items():
        add_participant(
            db, label, study=STUDY, pseudonym=pseudonym, attributes=attributes, actor="tester"
        )
    from thematica.services.codebook import add_code

    add_code(db, "Rota", study=STUDY, actor="tester")
    for label in ("R1", "R2", "R3"):
        add_text(db, f"T-{label}", TEXT, study=STUDY, participant=label, actor="tester")
    start = TEXT.index("The rota")
    apply_codings(
        db,
        [
            CodingRequest(f"T-{label}", start, start + 40, "Rota", "Kim", "barrier")
            for label in ("R1", "R2", "R3")
        ],
        study=STUDY,
        actor="tester",
    )
    return db


def _attributions(db: Database, **options: object) -> list[str]:
    report = gather_report(db, STUDY, **options)  # type: ignore[arg-type]
    return [q.attribution(report.quote_attributes) for q in report.quotes.quotes["Rota"]]


def test_quotes_carry_the_attributes_chosen_and_none_by_default(built: Database) -> None:
    assert all("," not in who for who in _attributions(built))  # the pseudonym alone
    set_study_record(built, "quote_attributes", "region", study=STUDY, actor="tester")
    regions = {PEOPLE[label][0]: PEOPLE[label][1]["region"] for label in PEOPLE}
    for who in _attributions(built):
        pseudonym, region = who.split(", ")
        assert regions[pseudonym] == region
    # The command line wins over the study record, in the order given.
    for who in _attributions(built, quote_attributes=["years_in_post,region"]):
        pseudonym, years, region = who.split(", ")
        label = next(k for k, (p, _) in PEOPLE.items() if p == pseudonym)
        assert (years, region) == (PEOPLE[label][1]["years_in_post"], regions[pseudonym])


def test_an_unknown_quote_attribute_is_refused_naming_the_setting(built: Database) -> None:
    with pytest.raises(InvalidInputError, match=r"--quote-attributes: .*'setting'.*region"):
        gather_report(built, STUDY, quote_attributes=["setting"])
    set_study_record(built, "quote_attributes", "role", study=STUDY, actor="tester")
    with pytest.raises(InvalidInputError, match=r"study record item quote_attributes: .*'role'"):
        gather_report(built, STUDY)


def test_table_one_counts_participants_with_a_transcript_in_the_studys_order(
    built: Database,
) -> None:
    set_study_record(
        built,
        "table1_attributes",
        "years_in_post=Years in post; region=Region; band",
        study=STUDY,
        actor="tester",
    )
    table = gather_report(built, STUDY).participants_table
    assert table.n == 3 and table.population == "participants with a transcript"  # not R4
    assert [b.name for b in table.blocks] == ["Years in post", "Region", "band"]
    years = table.block("years_in_post").summary
    assert years is not None and (years.median, years.minimum, years.maximum) == (7, 3, 11)
    band = table.block("band")  # pay bands are listed, not averaged; R3 has none
    assert band.summary is None and [c.category for c in band.categories] == ["5", "6"]
    assert band.not_reported is not None and band.not_reported.count == 1


def test_title_and_team_head_the_report_and_the_methods(built: Database, tmp_path: Path) -> None:
    set_study_record(built, "title", "Rotas and wellbeing", study=STUDY, actor="tester")
    team = "Two peer researchers with lived experience and one academic"
    set_study_record(built, "team", team, study=STUDY, actor="tester")
    report = gather_report(built, STUDY)
    assert report.summary.heading == "Rotas and wellbeing"
    assert f"Research team: {team}." in report.methods
    html, word = write_report(built, tmp_path / "out", ["html", "docx"], study=STUDY)
    page = html.read_text(encoding="utf-8")
    assert "<h1>Rotas and wellbeing</h1>" in page and f"Research team: {team}" in page
    paragraphs = [p.text for p in docx.Document(str(word)).paragraphs]
    assert paragraphs[0] == "Rotas and wellbeing" and f"Research team: {team}" in paragraphs


def test_page_size_by_option_record_or_locale() -> None:
    assert page_size(None, {}, {"LANG": "en_US.UTF-8"}) == "letter"
    assert page_size(None, {}, {"LANG": "en_GB.UTF-8"}) == "a4"
    assert page_size(None, {}, {"LC_PAPER": "fr_CA.UTF-8", "LANG": "en_GB"}) == "letter"
    assert page_size(None, {}, {}) == "a4"
    assert page_size(None, {"page_size": "Letter"}, {"LANG": "de_DE"}) == "letter"
    assert page_size("a4", {"page_size": "Letter"}, {"LANG": "en_US"}) == "a4"
    with pytest.raises(InvalidInputError, match="page_size must be A4 or Letter, not 'A5'"):
        page_size(None, {"page_size": "A5"}, {})


def test_settings_parse_lists_and_labels() -> None:
    attributes = {"a", "b", "c"}
    assert quote_attributes(None, {"quote_attributes": " b, a ,b"}, attributes) == ("b", "a")
    layout = table1_layout({"table1_attributes": "c=Age, years; a"}, attributes)
    assert layout.attributes == ("c", "a") and dict(layout.labels) == {"c": "Age, years"}
    assert table1_layout({}, attributes).attributes is None


def test_settings_naming_an_identifying_attribute_are_refused_in_one_line() -> None:
    attributes = {"setting", "name", "pseudonym"}
    with pytest.raises(
        InvalidInputError,
        match=r"^study record item table1_attributes: 'Name' holds real names \(identifying; "
        r"used only for de-identification\), so no report shows it$",
    ):
        table1_layout({"table1_attributes": "setting; Name=Who"}, attributes)
    with pytest.raises(InvalidInputError, match=r"^--quote-attributes: 'name' holds real names"):
        quote_attributes(["setting,name"], {}, attributes)
    with pytest.raises(InvalidInputError, match=r"^study record item quote_attributes: 'surname'"):
        quote_attributes(None, {"quote_attributes": "surname"}, attributes)
    assert quote_attributes(["pseudonym"], {}, attributes) == ("pseudonym",)
