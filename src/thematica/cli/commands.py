"""Importing this module registers every command on the group."""

from thematica.cli import (
    agreement_commands,
    assist_commands,
    codebook_commands,
    coding_commands,
    data_commands,
    deid_bulk_commands,
    deid_commands,
    integrity_commands,
    memo_commands,
    project_commands,
    report_commands,
    round_commands,
    serve_command,
    study_commands,
    user_commands,
)

__all__ = [
    "agreement_commands",
    "assist_commands",
    "codebook_commands",
    "coding_commands",
    "data_commands",
    "deid_bulk_commands",
    "deid_commands",
    "integrity_commands",
    "memo_commands",
    "project_commands",
    "report_commands",
    "round_commands",
    "serve_command",
    "study_commands",
    "user_commands",
]
