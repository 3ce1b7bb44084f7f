"""The participant characteristics table, reproducing Table 1 of Foye et al. (2025)."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thematica.analysis import participants_table as module
from thematica.analysis.participants_table import NOT_REPORTED, CategoryCount, participants_table
from thematica.analysis.records import ParticipantRecord
from thematica.errors import InvalidInputError, NotFoundError, UndefinedStatisticWarning

# Table 1 of Foye et al. (2025), BMC Psychiatry 25:480 (N = 35), block by block, in print order.
PUBLISHED: dict[str, list[tuple[str, int]]] = {
    "Age (years)": [
        ("18-24", 6),
        ("25-34", 6),
        ("35-44", 11),
        ("45-54", 6),
        ("55-64", 5),
        ("over 65", 1),
    ],
    "Gender": [("Female", 23), ("Male", 10), ("Non-binary or self-defined", 2)],
    "Ethnicity": [
        ("White British", 23),
        ("Asian or South Asian", 5),
        ("Other white", 3),
        ("Black Caribbean", 2),
        ("Black African", 1),
        ("Mixed or multiple", 1),
    ],
    "Peer support role": [("Peer worker", 23), ("Senior or managerial peer role", 12)],
    "Setting": [("NHS", 21), ("VCFSE", 14)],
    "Contract type": [("Permanent", 20), ("Fixed term", 15), ("Self-employed", 1)],
    "Employment": [("Full time", 17), ("Part time", 18)],
    "Time in peer role": [
        ("under 1 year", 11),
        ("1-2 years", 9),
        ("2-5 years", 9),
        ("5-10 years", 4),
        ("over 10 years", 2),
    ],
}
N = 35


def foye_participants() -> list[ParticipantRecord]:
    """35 participants whose attributes give the published counts. Each block lists its values
    person by person; the contract block has 35 single values, and participant 1 also holds
    "Self-employed" (the published block sums to 36)."""
    columns: dict[str, list[tuple[str, ...]]] = {}
    for attribute, rows in PUBLISHED.items():
        values: list[tuple[str, ...]] = [(c,) for c, count in rows for _ in range(count)]
        if attribute == "Contract type":
            values = [v for v in values if v != ("Self-employed",)]
            values[0] = ("Permanent", "Self-employed")
        assert len(values) == N, attribute
        columns[attribute] = values
    return [
        ParticipantRecord(
            f"P{i + 1:02d}",
            f"Peer {i + 1}",
            {attribute: values[i] for attribute, values in columns.items()},
        )
        for i in range(N)
    ]


def test_reproduces_the_published_table_1() -> None:
    table = participants_table(
        foye_participants(),
        attributes=list(PUBLISHED),
        categories={name: [c for c, _ in rows] for name, rows in PUBLISHED.items()},
    )
    assert table.n == N
    assert [b.attribute for b in table.blocks] == list(PUBLISHED)
    for block in table.blocks:
        assert [(c.category, c.count) for c in block.categories] == PUBLISHED[block.attribute]
        assert block.missing == 0


def test_the_contract_block_is_flagged_as_summing_to_36() -> None:
    table = participants_table(foye_participants())
    contract = table.block("Contract type")
    assert (contract.total, contract.n, contract.multi_valued) == (36, 35, 1)
    assert not contract.sums_to_n
    assert contract.note == "sums to 36 for N = 35: 1 participant holds more than one value"
    assert table.flagged == (contract,)
    for block in table.blocks:
        if block is not contract:
            assert block.total == 35 and block.sums_to_n and block.note is None


def test_percentages_are_of_n_rounded_half_up() -> None:
    table = participants_table(foye_participants())
    gender = table.block("Gender")
    assert [(c.category, c.percent) for c in gender.categories] == [
        ("Female", 65.7),  # 23/35 = 65.714...
        ("Male", 28.6),  # 10/35 = 28.571...
        ("Non-binary or self-defined", 5.7),  # 2/35 = 5.714...
    ]
    contract = table.block("Contract type")
    assert [c.percent for c in contract.categories] == [57.1, 42.9, 2.9]
    whole = participants_table(foye_participants(), decimals=0).block("Employment")
    assert [c.percent for c in whole.categories] == [51.0, 49.0]  # 18/35 = 51.4, 17/35 = 48.6
    # Half up, not to even: 1 of 8 is 12.5%, 1 of 40 is 2.5%.
    eight = [ParticipantRecord(f"P{i}", attributes={"x": ("a" if i else "b",)}) for i in range(8)]
    assert participants_table(eight, decimals=0).block("x").categories[1].percent == 13.0
    forty = [ParticipantRecord(f"P{i}", attributes={"x": ("a" if i else "b",)}) for i in range(40)]
    assert participants_table(forty, decimals=0).block("x").categories[1].percent == 3.0


def test_default_order_is_most_frequent_first_then_by_name() -> None:
    table = participants_table(foye_participants())
    assert [b.attribute for b in table.blocks] == sorted(PUBLISHED)
    age = table.block("Age (years)")
    assert [c.category for c in age.categories] == [
        "35-44",
        "18-24",
        "25-34",
        "45-54",
        "55-64",
        "over 65",
    ]


def test_missing_values_are_counted_and_flagged() -> None:
    people = [
        ParticipantRecord("P1", attributes={"setting": ("NHS",)}),
        ParticipantRecord("P2", attributes={"setting": ("",)}),
        ParticipantRecord("P3"),
    ]
    block = participants_table(people).block("setting")
    assert (block.total, block.missing, block.multi_valued) == (1, 2, 0)
    assert block.note == "sums to 1 for N = 3: 2 participants have no value recorded"
    assert block.count("NHS") == 1 and block.count("VCFSE") == 0


def test_offsetting_missing_and_double_values_are_still_flagged() -> None:
    people = [
        ParticipantRecord("P1", attributes={"contract": ("Permanent", "Bank")}),
        ParticipantRecord("P2"),
    ]
    block = participants_table(people).block("contract")
    assert block.sums_to_n and block.flagged
    assert block.note == (
        "sums to N = 2 only by offsetting: 1 participant holds more than one value; "
        "1 participant has no value recorded"
    )


def test_named_attributes_and_categories_nobody_holds() -> None:
    people = [ParticipantRecord("P1", attributes={"setting": ("NHS",)})]
    table = participants_table(
        people, attributes=["setting", "region"], categories={"setting": ["VCFSE", "NHS"]}
    )
    setting = table.block("setting")
    assert [(c.category, c.count, c.percent) for c in setting.categories] == [
        ("VCFSE", 0, 0.0),
        ("NHS", 1, 100.0),
    ]
    region = table.block("region")
    assert region.categories == () and region.missing == 1 and region.flagged
    with pytest.raises(NotFoundError, match="age"):
        table.block("age")


def test_no_participants_and_bad_input() -> None:
    with pytest.warns(UndefinedStatisticWarning, match="N = 0"):
        table = participants_table([], attributes=["setting"], categories={"setting": ["NHS"]})
    assert table.n == 0 and math.isnan(table.block("setting").categories[0].percent)
    with pytest.raises(InvalidInputError, match="share a label"):
        participants_table([ParticipantRecord("P1"), ParticipantRecord("P1")])
    with pytest.raises(InvalidInputError, match="decimals"):
        participants_table([], decimals=-1)


VALUES = st.lists(st.sampled_from(["a", "b", "c"]), max_size=3, unique=True)


@settings(max_examples=200, deadline=None)
@given(st.lists(VALUES, min_size=1, max_size=20))
def test_a_block_is_flagged_exactly_when_it_is_not_a_partition(
    held: list[list[str]],
) -> None:
    people = [ParticipantRecord(f"P{i}", attributes={"x": tuple(v)}) for i, v in enumerate(held)]
    block = participants_table(people, attributes=["x"]).block("x")
    assert block.total == sum(len(v) for v in held)
    assert block.missing == sum(1 for v in held if not v)
    partition = all(len(v) == 1 for v in held)
    assert block.flagged != partition
    if partition:
        assert math.isclose(sum(c.percent for c in block.categories), 100, abs_tol=0.15)


def test_doctests_run() -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_public_surface() -> None:
    assert sorted(module.__all__) == [
        "AttributeBlock",
        "CategoryCount",
        "NOT_REPORTED",
        "NumericSummary",
        "ParticipantsTable",
        "participants_table",
    ]


def test_a_numeric_attribute_is_summarised_by_median_iqr_and_range() -> None:
    ages = ["34", "22", "41", "29", "60", "38"]
    people = [ParticipantRecord(f"P{i}", attributes={"age": (a,)}) for i, a in enumerate(ages)]
    people.append(ParticipantRecord("P9"))  # no age recorded
    block = participants_table(people, labels={"age": "Age (years)"}).block("age")
    summary = block.summary
    assert summary is not None and block.categories == ()
    # Reference figures from numpy (its default quantile method is the inclusive one).
    numbers = np.array([float(a) for a in ages])
    assert (summary.n, summary.median) == (6, float(np.median(numbers)))
    assert (summary.q1, summary.q3) == tuple(np.quantile(numbers, [0.25, 0.75]))
    assert (summary.minimum, summary.maximum) == (22.0, 60.0)
    assert summary.describe() == ("36 (30.25–40.25)", "22–60")
    assert block.name == "Age (years)"
    assert block.not_reported == CategoryCount(NOT_REPORTED, 1, 14.3)


def test_bands_and_mixed_values_stay_categories() -> None:
    people = [
        ParticipantRecord("P1", attributes={"age": ("18-24",), "years": ("3",)}),
        ParticipantRecord("P2", attributes={"age": ("25-34",), "years": ("unknown",)}),
    ]
    people.append(ParticipantRecord("P3", attributes={"band": ("5",), "score": ("7",)}))
    people.append(ParticipantRecord("P4", attributes={"band": ("6",), "score": ("12",)}))
    table = participants_table(people)
    assert table.block("age").summary is None and table.block("years").summary is None
    # Whole numbers 0 to 10 are bands or scale points, listed; past 10 they are measures.
    assert table.block("band").summary is None and table.block("score").summary is not None
    assert [c.category for c in table.block("years").categories] == ["3", "unknown"]
    assert table.block("age").not_reported is not None
    assert table.block("years").name == "years" and table.population == "participants"


def test_labels_order_and_population_are_the_callers() -> None:
    people = [ParticipantRecord("P1", attributes={"peer_role": ("Lead",), "setting": ("NHS",)})]
    table = participants_table(
        people,
        attributes=["setting", "peer_role"],
        labels={"setting": "Service setting"},
        population="participants with a transcript",
    )
    assert [b.name for b in table.blocks] == ["Service setting", "peer role"]
    assert table.population == "participants with a transcript"
