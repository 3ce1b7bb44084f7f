"""Labelled tables from other work: a text column and its labels, for judging assisted coding.

Labels come either as one 0/1 column per label (``labels``: the column names, which may hold
commas) or as one column of codes separated by ``;`` (``label_column``). Like every reader here,
it names the file, line and column of the first problem and returns nothing unless all is good.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from thematica.errors import InvalidInputError
from thematica.interchange.tables import csv_rows, require_columns
from thematica.safeio.files import read_file

__all__ = ["LABEL_SEPARATOR", "LabelledTable", "read_labelled_csv"]

#: Separates several codes in one cell of a label column.
LABEL_SEPARATOR = ";"
_YES = {"1", "1.0", "true", "yes"}
_NO = {"0", "0.0", "false", "no", ""}


@dataclass(frozen=True)
class LabelledTable:
    """Texts and, for each, the set of labels a person gave it."""

    name: str
    texts: tuple[str, ...]
    labels: tuple[frozenset[str], ...]

    @property
    def label_names(self) -> list[str]:
        return sorted(set().union(*self.labels)) if self.labels else []


def read_labelled_csv(
    path: Path,
    text_column: str,
    *,
    labels: Sequence[str] = (),
    label_column: str | None = None,
) -> LabelledTable:
    """Read ``path``: the text in ``text_column``, labels from ``labels`` or ``label_column``."""
    if bool(labels) == (label_column is not None):
        raise InvalidInputError("name the labels either as 0/1 columns or as one label column")
    name = str(path)
    header, rows = csv_rows(read_file(path), name)
    require_columns(header, [text_column, *labels, *([label_column] if label_column else [])], name)
    texts: list[str] = []
    sets: list[frozenset[str]] = []
    for line, row in rows:
        text = row[text_column]
        if not text:
            raise InvalidInputError(f"the {text_column!r} column is empty", file=name, line=line)
        if label_column is not None:
            found = frozenset(
                code.strip() for code in row[label_column].split(LABEL_SEPARATOR) if code.strip()
            )
        else:
            chosen = set()
            for label in labels:
                value = row[label].lower()
                if value in _YES:
                    chosen.add(label)
                elif value not in _NO:
                    raise InvalidInputError(
                        f"column {label!r} holds {row[label]!r}; expected 0 or 1",
                        file=name,
                        line=line,
                    )
            found = frozenset(chosen)
        texts.append(text)
        sets.append(found)
    if not texts:
        raise InvalidInputError("the table has no rows", file=name)
    return LabelledTable(name, tuple(texts), tuple(sets))
