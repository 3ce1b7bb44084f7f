"""Benchmark: simulated coders applying codes through the web API, Thematica vs Taguette 1.5.2.

Both servers run on loopback in this run, each on a fresh SQLite file, with one document of the
same text. N coders (threads, one HTTP client each, signed in the way each tool signs people in)
create codings (Thematica: POST .../codings; Taguette: POST .../highlight/new with one tag) as
fast as they can for the same number of seconds. Reported: p50 and p95 latency, throughput, and
the ratio Thematica / Taguette (the issue asks for p95 at most 1/4 of Taguette's).

Taguette is installed from PyPI into a separate virtual environment (never into this one) and
started with its announcement fetch (msg.taguette.org) switched off:

    python3.11 -m venv /tmp/taguette-venv && /tmp/taguette-venv/bin/pip install taguette==1.5.2
    .venv/bin/python bench/bench_web_coders.py --taguette /tmp/taguette-venv/bin/python \\
        [--coders 20] [--seconds 20]
"""

from __future__ import annotations

import argparse
import re
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

TEXT = "\n\n".join(
    f"Participant: Paragraph {i}. The team listened, the pay was poor, and supervision helped "
    "on the hard days when nobody else understood what the work asks of a person."
    for i in range(400)
)

#: A request slower than this fails the run (Taguette under 20 writers can take seconds).
TIMEOUT = 30.0

TAGUETTE_LAUNCHER = """
import sys
from taguette.web import base
base.Application.check_messages = lambda self: None  # no announcement fetch from taguette.org
from taguette.main import main
sys.argv = ["taguette", "--no-browser", "--port", sys.argv[1], "--database", sys.argv[2]]
main()
"""


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _hammer(
    clients: list[httpx.Client], call: Callable[[httpx.Client, int], bool], seconds: float
) -> tuple[list[float], int]:
    """Every client calls ``call`` in its own thread until time is up: the latencies (ms) of
    the calls that succeeded, and how many failed."""
    latencies: list[float] = []
    failed = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def work(client: httpx.Client, k: int) -> None:
        mine: list[float] = []
        i = 0
        while time.monotonic() < stop:
            began = time.perf_counter()
            ok = call(client, k * 1_000_000 + i)
            if ok:
                mine.append((time.perf_counter() - began) * 1000)
            i += 1
        with lock:
            latencies.extend(mine)
            failed[0] += i - len(mine)

    threads = [threading.Thread(target=work, args=(c, k)) for k, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, failed[0]


THEMATICA_LAUNCHER = """
import json, sys
import uvicorn
from thematica.domain.actors import Role
from thematica.web.access import Members
from thematica.web.app import create_app
from thematica.web.settings import WebSettings
port, path, coders = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
names = [f"coder{k}" for k in range(coders)]
members = Members({n: {"Bench": Role.CODER} for n in names})
app = create_app(WebSettings(database=path, directory=members))
print(json.dumps({n: app.state.thematica.links.issue(n) for n in names}), flush=True)
uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
"""


def thematica(folder: Path, coders: int, seconds: float) -> tuple[list[float], int]:
    """Thematica's server in a process of its own, as Taguette's is (no shared GIL with the
    simulated coders)."""
    import json
    import sys

    from thematica.services.codebook import add_code
    from thematica.services.documents import add_text
    from thematica.services.scope import open_db
    from thematica.services.studies import create_study

    path = str(folder / "thematica.db")
    db = open_db(path, create=True)
    create_study(db, "Bench", actor="bench")
    add_code(db, "Pay", study="Bench", actor="bench")
    add_text(db, "D1", TEXT, study="Bench", actor="bench")
    db.dispose()
    port = _port()
    launcher = folder / "thematica_launcher.py"
    launcher.write_text(THEMATICA_LAUNCHER)
    process = subprocess.Popen(
        [sys.executable, str(launcher), str(port), path, str(coders)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        tokens = json.loads(process.stdout.readline())
        threading.Thread(target=process.stdout.read, daemon=True).start()
        base = f"http://127.0.0.1:{port}"
        clients = []
        for name, token in tokens.items():
            client = httpx.Client(base_url=base, timeout=TIMEOUT)
            for _ in range(100):
                try:
                    client.get(f"/signin/{token}")
                    break
                except httpx.ConnectError:
                    time.sleep(0.1)
            client.headers["x-csrf-token"] = client.get("/api/v1/me").json()["csrf_token"]
            assert name
            clients.append(client)
        length = len(TEXT)

        def code(client: httpx.Client, i: int) -> bool:
            start = (i * 37) % (length - 60)
            response = client.post(
                "/api/v1/studies/Bench/documents/D1/codings",
                json={"start": start, "end": start + 50, "code": "Pay", "valence": "barrier"},
            )
            return response.status_code == 201

        return _hammer(clients, code, seconds)
    finally:
        process.terminate()
        process.wait(10)
        if process.stdout is not None:
            process.stdout.close()


def taguette(python: str, folder: Path, coders: int, seconds: float) -> tuple[list[float], int]:
    port = _port()
    launcher = folder / "taguette_launcher.py"
    launcher.write_text(TAGUETTE_LAUNCHER)
    process = subprocess.Popen(
        [python, str(launcher), str(port), str(folder / "taguette.sqlite3")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = ""
        deadline = time.monotonic() + 60
        while not url and time.monotonic() < deadline:
            found = re.search(r"http://localhost:\d+/\?token=\w+", process.stdout.readline())
            url = found.group(0).replace("localhost", "127.0.0.1") if found else ""
        assert url, "Taguette printed no sign-in link"
        # Taguette logs every request: keep reading, or it blocks once the pipe is full.
        threading.Thread(target=process.stdout.read, daemon=True).start()
        base = f"http://127.0.0.1:{port}"
        admin = httpx.Client(base_url=base, follow_redirects=True, timeout=TIMEOUT)
        for _ in range(100):
            try:
                admin.get(url)
                break
            except httpx.ConnectError:
                time.sleep(0.1)
        admin.get("/project/new")
        xsrf = admin.cookies["_xsrf"]
        made = admin.post("/project/new", data={"name": "Bench", "description": "", "_xsrf": xsrf})
        project = re.search(r"/project/(\d+)", str(made.url))
        assert project, made.url
        pid = project.group(1)
        html = "".join(f"<p>{p}</p>" for p in TEXT.split("\n\n"))
        doc = admin.post(
            f"/api/project/{pid}/document/new",
            data={"name": "D1", "description": "", "_xsrf": xsrf},
            files={"file": ("d1.html", html.encode(), "text/html")},
            headers={"X-XSRFToken": xsrf},
        )
        document = doc.json()["created"]
        tag = admin.post(
            f"/api/project/{pid}/tag/new",
            json={"path": "Pay", "description": ""},
            headers={"X-XSRFToken": xsrf},
        ).json()["id"]
        # Taguette's offsets count the paragraphs' text only, without the breaks between them.
        length = sum(len(p) for p in TEXT.split("\n\n"))

        def highlight(client: httpx.Client, i: int) -> bool:
            start = (i * 37) % (length - 60)
            response = client.post(
                f"/api/project/{pid}/document/{document}/highlight/new",
                json={"start_offset": start, "end_offset": start + 50, "tags": [tag]},
                headers={"X-XSRFToken": xsrf},
            )
            return response.status_code == 200

        # Taguette alone is single-user: every simulated coder shares the admin's session.
        clients = []
        for _ in range(coders):
            client = httpx.Client(base_url=base, timeout=TIMEOUT)
            client.cookies.update(admin.cookies)
            clients.append(client)
        return _hammer(clients, highlight, seconds)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        if process.stdout is not None:
            process.stdout.close()


def _summary(name: str, run: tuple[list[float], int], seconds: float) -> tuple[float, float]:
    latencies, failed = run
    if not latencies:
        print(f"{name:10s} every one of {failed} requests failed")
        return float("nan"), float("nan")
    ordered = sorted(latencies)
    p50 = statistics.median(ordered)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    print(
        f"{name:10s} {len(ordered):7d} codings  {len(ordered) / seconds:8.1f}/s  "
        f"p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  ({failed} failed)"
    )
    return p50, p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taguette", required=True, help="Python of a venv with taguette 1.5.2")
    parser.add_argument("--coders", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ours = _summary("thematica", thematica(folder, args.coders, args.seconds), args.seconds)
        theirs = _summary(
            "taguette", taguette(args.taguette, folder, args.coders, args.seconds), args.seconds
        )
    print(
        f"ratio thematica/taguette: p50 {ours[0] / theirs[0]:.2f}, p95 {ours[1] / theirs[1]:.2f}"
        f" ({args.coders} coders, {args.seconds:g} s each, loopback, SQLite)"
    )


if __name__ == "__main__":
    main()
