"""Persistence: the only layer that talks SQL. See README.md for its import rule."""

from thematica.storage.engine import Database, make_engine, resolve_url
from thematica.storage.unit_of_work import UnitOfWork

__all__ = ["Database", "UnitOfWork", "make_engine", "resolve_url"]
