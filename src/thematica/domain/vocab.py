"""The words the CLI, the services and the analyses share, defined once.

Each vocabulary is a ``Literal`` type (for mypy) and a tuple of its values (for the CLI's choices
and the services' checks), built from the same definition so that a new choice cannot be missing
from one layer. Standard library only: the CLI reads this module while ``thematica --help`` runs.
"""

from __future__ import annotations

from typing import Literal, TypeAlias, get_args

__all__ = [
    "BYS",
    "DOCUMENTS",
    "EXPORT_TARGETS",
    "LAYOUTS",
    "LEVELS",
    "MEMO_TARGETS",
    "PROJECT_KINDS",
    "REPORT_FORMATS",
    "STATISTICS",
    "TEMPLATES",
    "UNCODED",
    "UNITS",
    "VALENCES",
    "By",
    "Documents",
    "ExportTarget",
    "Layout",
    "Level",
    "MemoTarget",
    "ProjectKind",
    "ReportFormat",
    "Statistic",
    "Template",
    "Uncoded",
    "Unit",
    "ValenceName",
]

#: Agreement statistics, by the names the CLI uses.
Statistic: TypeAlias = Literal["percent", "cohen", "scott", "fleiss", "alpha", "ac1"]
#: The text unit a code is present or absent in, for agreement.
Unit: TypeAlias = Literal["turn", "sentence", "paragraph", "character"]
#: Level of measurement (Krippendorff's alpha).
Level: TypeAlias = Literal["nominal", "ordinal", "interval", "ratio"]
#: One agreement row per code, document or pair of coders, or pooled only.
By: TypeAlias = Literal["code", "document", "pair", "pooled"]
#: Which documents agreement compares.
Documents: TypeAlias = Literal["double-coded", "all"]
#: Whether units no coder coded stay in the agreement data.
Uncoded: TypeAlias = Literal["include", "exclude"]
#: How a reliability table is laid out.
Layout: TypeAlias = Literal["units-by-coders", "coders-by-units"]
#: The report's formats (``all`` on the command line means every one).
ReportFormat: TypeAlias = Literal["html", "docx", "xlsx", "csv"]
#: Kinds of whole projects from other tools.
ProjectKind: TypeAlias = Literal["refi-qda", "qualcoder", "taguette"]
#: The tools a project is exported for (positions counted as each counts them).
ExportTarget: TypeAlias = Literal["nvivo", "atlas", "maxqda", "qualcoder", "thematica"]
#: A coding's valence.
ValenceName: TypeAlias = Literal["barrier", "facilitator", "mixed"]
#: What a memo is about.
MemoTarget: TypeAlias = Literal["study", "document", "code", "coding"]
#: Codebooks a new study can start from.
Template: TypeAlias = Literal["peer-support", "blank"]

STATISTICS: tuple[Statistic, ...] = get_args(Statistic)
UNITS: tuple[Unit, ...] = get_args(Unit)
LEVELS: tuple[Level, ...] = get_args(Level)
BYS: tuple[By, ...] = get_args(By)
DOCUMENTS: tuple[Documents, ...] = get_args(Documents)
UNCODED: tuple[Uncoded, ...] = get_args(Uncoded)
LAYOUTS: tuple[Layout, ...] = get_args(Layout)
REPORT_FORMATS: tuple[ReportFormat, ...] = get_args(ReportFormat)
PROJECT_KINDS: tuple[ProjectKind, ...] = get_args(ProjectKind)
EXPORT_TARGETS: tuple[ExportTarget, ...] = get_args(ExportTarget)
VALENCES: tuple[ValenceName, ...] = get_args(ValenceName)
MEMO_TARGETS: tuple[MemoTarget, ...] = get_args(MemoTarget)
TEMPLATES: tuple[Template, ...] = get_args(Template)
