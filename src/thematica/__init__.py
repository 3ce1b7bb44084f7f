"""Thematica: participatory qualitative interview studies, end to end.

Open a study database from Python::

    import thematica
    study = thematica.open("thematica.db")
    study.codings()          # a pandas DataFrame

Importing this package does no I/O and imports nothing heavy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "open"]

if TYPE_CHECKING:
    from thematica.services.facade import StudyHandle


def open(
    url_or_path: str = "thematica.db", *, study: str | None = None, **kwargs: Any
) -> StudyHandle:
    """Open a study in a database file or URL and return a handle for Python use.

    ``study`` names the study when the database holds several. See
    :class:`thematica.services.facade.StudyHandle` for the operations.
    """
    from thematica.services.facade import StudyHandle

    return StudyHandle.open(url_or_path, study=study, **kwargs)
