"""Small REFI-QDA archives written by hand for the tests (real exports are in ../shared)."""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from pathlib import Path

from tests.conftest import require_shared

NS = "urn:QDA-XML:project:1.0"


def project_xsd() -> Path:
    """../shared/refi-qda/Project.xsd (the test skips, saying why, where ../shared is absent)."""
    return require_shared().parent / "refi-qda" / "Project.xsd"


def codebook_xsd() -> Path:
    return require_shared().parent / "refi-qda" / "Codebook.xsd"


def guid(n: int) -> str:
    """A deterministic, valid GUID for test number ``n``."""
    return f"00000000-0000-4000-8000-{n:012d}"


USER, CODE, CODE2, SOURCE, SELECTION, CODING = (guid(i) for i in range(1, 7))


def project_xml(
    body: str, *, name: str = "Test", origin: str = "Hand", declaration: bool = True
) -> str:
    head = '<?xml version="1.0" encoding="utf-8"?>\n' if declaration else ""
    return f'{head}<Project xmlns="{NS}" name="{name}" origin="{origin}">\n{body}\n</Project>\n'


def codebook(*codes: tuple[str, str]) -> str:
    inner = "".join(f'<Code guid="{g}" name="{n}" isCodable="true"/>' for g, n in codes)
    return f"<CodeBook><Codes>{inner}</Codes></CodeBook>"


def users() -> str:
    return f'<Users><User guid="{USER}" name="Robin"/></Users>'


def one_source_project(
    start: int,
    end: int,
    *,
    path: str = f"internal://{SOURCE}.txt",
    code: str = CODE,
    origin: str = "Hand",
) -> str:
    """A project with one code and one text source holding one coded selection."""
    return project_xml(
        users()
        + codebook((CODE, "Pay"))
        + f'<Sources><TextSource guid="{SOURCE}" name="T1" plainTextPath="{path}">'
        f'<PlainTextSelection guid="{SELECTION}" startPosition="{start}" endPosition="{end}" '
        f'creatingUser="{USER}"><Coding guid="{CODING}" creatingUser="{USER}">'
        f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection></TextSource></Sources>',
        origin=origin,
    )


def write_archive(
    path: Path,
    members: Mapping[str, object],
    *,
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        for name, data in members.items():
            assert isinstance(data, bytes | str)
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return path


def snapshot(*folders: Path) -> set[Path]:
    """Every path under ``folders``: compare before and after to prove nothing was written."""
    return {p for folder in folders for p in folder.rglob("*")}
