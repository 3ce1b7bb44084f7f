"""``thematica serve`` as a person starts it: a real process, its one-time link, 127.0.0.1 only."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from thematica.services.scope import open_db
from thematica.services.studies import create_study


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_prints_a_one_time_link_and_binds_loopback_only(tmp_path: Path) -> None:
    path = tmp_path / "serve.db"
    create_study(open_db(str(path), create=True), "Served", actor="me")
    port = _free_port()
    env = {**os.environ, "THEMATICA_USER": "ama"}
    command = [sys.executable, "-m", "thematica", "--db", str(path), "serve", "--no-browser"]
    server = subprocess.Popen(
        [*command, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        assert server.stdout is not None
        link = ""
        deadline = time.monotonic() + 30
        while not link and time.monotonic() < deadline:
            line = server.stdout.readline()
            found = re.search(r"http://127\.0\.0\.1:\d+/signin/\S+", line)
            link = found.group(0) if found else ""
        assert link, "no sign-in link printed"
        with httpx.Client() as client:
            for _ in range(100):  # the link is printed just before uvicorn listens
                try:
                    first = client.get(link, follow_redirects=False)
                    break
                except httpx.ConnectError:
                    time.sleep(0.1)
            assert first.status_code == 303
            assert client.get(f"http://127.0.0.1:{port}/api/v1/studies").json()[0] == {
                "name": "Served",
                "description": "",
                "role": "owner",
            }
            assert client.get(link, follow_redirects=False).status_code == 401  # once only
            spec = client.get(f"http://127.0.0.1:{port}/api/v1/openapi.json").json()
            assert spec["info"]["title"] == "Thematica"
        assert _listening(port) == {"0100007F"}  # 127.0.0.1, and nothing else
    finally:
        server.terminate()
        server.wait(10)
        if server.stdout is not None:
            server.stdout.close()


def _listening(port: int) -> set[str]:
    """The addresses listening on ``port`` (hex, as /proc/net/tcp and tcp6 write them)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_the_cli_does_not_load_the_web_stack_until_serve_runs() -> None:
    probe = (
        "import sys, thematica.cli.commands;"
        "print(sorted({'fastapi', 'uvicorn', 'jinja2'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_serve_team_refuses_without_a_secret(tmp_path: Path) -> None:
    path = tmp_path / "team.db"
    create_study(open_db(str(path), create=True), "Team", actor="me")
    env = {k: v for k, v in os.environ.items() if k != "THEMATICA_SECRET"}
    result = subprocess.run(
        [sys.executable, "-m", "thematica", "--db", str(path), "serve", "--team"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: team mode needs THEMATICA_SECRET")
    alone = subprocess.run(
        [sys.executable, "-m", "thematica", "--db", str(path), "serve", "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert alone.returncode == 2 and "--host and --proxy are for --team" in alone.stderr
