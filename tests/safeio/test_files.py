"""Reading and writing files: bounded reads of regular files only, errors that name the file,
never a half-written file and never a temporary left behind."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import BinaryIO

import pytest

from thematica.errors import InvalidInputError, OutputError
from thematica.interchange.codebook_text import read_code_list
from thematica.safeio.files import (
    new_file_mode,
    read_file,
    regular_size,
    staged_path,
    write_atomically,
)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    gone = tmp_path / "gone.txt"
    with pytest.raises(InvalidInputError, match=r"gone\.txt: file not found"):
        read_file(gone)
    with pytest.raises(InvalidInputError, match=r"gone\.txt: file not found"):
        read_code_list(gone)
    with pytest.raises(InvalidInputError, match="not a regular file: it is a folder"):
        read_file(tmp_path)


def test_a_fifo_is_refused_at_once_instead_of_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def attempt() -> None:
        try:
            read_file(fifo)
        except BaseException as exc:
            outcome.append(exc)

    reader = threading.Thread(target=attempt, daemon=True)
    reader.start()
    reader.join(timeout=5)
    assert not reader.is_alive(), "reading a FIFO blocked"
    assert isinstance(outcome[0], InvalidInputError)
    assert "pipe.txt: not a regular file: it is a named pipe (FIFO)" in str(outcome[0])
    with pytest.raises(InvalidInputError, match="named pipe"):
        regular_size(fifo)


def test_a_symlink_to_a_device_is_refused_though_its_size_is_zero(tmp_path: Path) -> None:
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    assert os.stat(link).st_size == 0
    with pytest.raises(InvalidInputError, match=r"zero\.txt: not a regular file: it is a char"):
        read_file(link, max_bytes=1000)
    target = tmp_path / "real.txt"
    target.write_bytes(b"fine")
    (tmp_path / "to-real.txt").symlink_to(target)
    assert read_file(tmp_path / "to-real.txt") == b"fine"


def test_the_limit_is_checked_on_the_bytes_read(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(b"x" * 1000)
    assert read_file(path, max_bytes=1000) == b"x" * 1000
    with pytest.raises(InvalidInputError, match=r"t\.txt: the file is 1,000 bytes, over the"):
        read_file(path, max_bytes=999, hint=" (raise it)")


def test_a_proc_file_that_reports_size_zero_is_still_bounded() -> None:
    # /proc files say st_size 0 and then hold text: the bytes read are what count.
    status = Path("/proc/self/status")
    if not status.exists():
        pytest.skip("no /proc on this system")
    with pytest.raises(InvalidInputError, match="holds more than the import limit of 10 bytes"):
        read_file(status, max_bytes=10)


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_bytes(b"old")

    def half(handle: BinaryIO) -> None:
        handle.write(b"new, but")
        raise RuntimeError("stopped")

    with pytest.raises(RuntimeError):
        write_atomically(target, half)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
    write_atomically(target, lambda handle: handle.write(b"new"))
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_one_file_mode_policy(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.csv"
    write_atomically(fresh, lambda handle: handle.write(b"a"))
    assert stat.S_IMODE(fresh.stat().st_mode) == new_file_mode()
    private = tmp_path / "private.csv"
    private.write_bytes(b"old")
    private.chmod(0o600)
    write_atomically(private, lambda handle: handle.write(b"b"))
    with staged_path(tmp_path / "report.html") as staged:
        staged.write_text("<p>")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600, "a replaced file keeps its mode"
    assert stat.S_IMODE((tmp_path / "report.html").stat().st_mode) == new_file_mode()


def test_a_disk_error_is_one_output_error_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=r"missing[/\\]out\.csv: cannot write the file"):
        write_atomically(tmp_path / "missing" / "out.csv", lambda handle: handle.write(b"x"))
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        with pytest.raises(OutputError, match="Permission denied"):
            write_atomically(locked / "out.csv", lambda handle: handle.write(b"x"))
    finally:
        locked.chmod(0o700)


_KILLED_WRITER = """
import os, sys
from pathlib import Path
from thematica.safeio.files import {function}
target = Path(sys.argv[1])
def stall(handle):
    handle.write(b"half")
    handle.flush()
    print("writing", flush=True)
    sys.stdin.read()
{call}
"""


@pytest.mark.parametrize(
    ("function", "call"),
    [
        ("write_atomically", "write_atomically(target, stall)"),
        ("staged_path", "with staged_path(target) as p:\n    stall(open(p, 'wb'))"),
    ],
)
def test_a_killed_run_leaves_no_hidden_temporary(tmp_path: Path, function: str, call: str) -> None:
    target = tmp_path / "codings.csv"
    script = _KILLED_WRITER.format(function=function, call=call)
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(target)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stdout.readline() == b"writing\n"
    child.send_signal(signal.SIGKILL)
    child.communicate()
    # O_TMPFILE leaves nothing at all; a named temporary is swept by the next write beside it.
    write_atomically(target, lambda handle: handle.write(b"done"))
    assert [p.name for p in tmp_path.iterdir()] == ["codings.csv"]
    assert target.read_bytes() == b"done"
