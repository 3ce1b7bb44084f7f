"""Finding and replacing identifiers in transcripts (see README.md for what it may import)."""

from thematica.deid.detect import detect, settle_overlaps
from thematica.deid.entities import NAMED_TYPES, Detection, EntityType, normal_form
from thematica.deid.evaluation import AnnotatedPassage, Score, evaluate, parse_annotated
from thematica.deid.labels import LabelBook, MappingEntry, label_for
from thematica.deid.replacement import Replacement, ReplacementMap, apply_replacements
from thematica.deid.rules import is_valid_nhs_number, nhs_check_digit

__all__ = [
    "NAMED_TYPES",
    "AnnotatedPassage",
    "Detection",
    "EntityType",
    "LabelBook",
    "MappingEntry",
    "Replacement",
    "ReplacementMap",
    "Score",
    "apply_replacements",
    "detect",
    "evaluate",
    "is_valid_nhs_number",
    "label_for",
    "nhs_check_digit",
    "normal_form",
    "parse_annotated",
    "settle_overlaps",
]
