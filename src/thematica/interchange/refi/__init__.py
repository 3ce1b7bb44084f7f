"""REFI-QDA projects (``.qdpx``) and codebooks (``.qdc``) in and out, as plain values.

This package reads and writes files only (standard library, lxml, defusedxml, ``thematica.errors``,
``thematica.domain`` and ``thematica.interchange.files``); mapping a :class:`RefiProject` to and
from a study is the service layer's work. The public surface is::

    read_qdpx(path, *, position_unit=None, max_total_bytes=..., max_ratio=...,
              max_source_bytes=None)
        -> (RefiProject, ImportReport)
    write_qdpx(project, path, *, schema=None, position_unit="code-points") -> None
    read_qdc(path, *, max_bytes=...) -> (RefiCodebook, ImportReport)
    write_qdc(codes, path, *, sets=(), schema=None) -> None

Modules, by concept: ``model`` (the values, and the decisions they embody: GUIDs, canonical text
and positions, notes), ``archive`` (safe zip reading), ``parsing`` (safe XML), ``texts`` (decoding
text files as written), ``positions`` (code points or UTF-16 units), ``reader`` with ``sources``,
``groupings`` and ``context`` (a project), ``codebook`` (code trees and ``.qdc`` files),
``writer`` with ``markup`` and ``output`` (writing and checking).
"""

from thematica.interchange.refi.archive import DEFAULT_MAX_RATIO, DEFAULT_MAX_TOTAL_BYTES
from thematica.interchange.refi.codebook import read_qdc, write_qdc
from thematica.interchange.refi.model import (
    VARIABLE_TYPES,
    Guid,
    ImportReport,
    PositionUnit,
    RefiCase,
    RefiCode,
    RefiCodebook,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSet,
    RefiSource,
    RefiUser,
    RefiVariable,
    UnmappedElement,
)
from thematica.interchange.refi.reader import read_qdpx
from thematica.interchange.refi.writer import write_qdpx

__all__ = [
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
]
