"""Schemathesis against the web API's OpenAPI document, bounded, never part of ``make test``::

    nice -n 19 .venv/bin/python scripts/fuzz_api.py --examples 500
    nice -n 19 .venv/bin/python scripts/fuzz_api.py --examples 500 \\
        --db 'postgresql+psycopg://postgres@127.0.0.1:5432/test' --seed 7

Builds the small fictional study of tests/web/conftest.py (a fresh SQLite file, or a schema of
its own on the PostgreSQL server it is given, dropped afterwards), serves it in process (ASGI, no
network), signs in as the study's owner and runs every operation with ``--examples`` valid and
``--examples`` invalid requests (tests/web/apifuzz.py says what is checked). Prints the totals
and every distinct failure with a curl command that shows it; exits 1 if any.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=100, help="per operation and mode")
    parser.add_argument("--db", help="a PostgreSQL URL (default: a fresh SQLite file)")
    parser.add_argument("--seed", type=int, help="a random run with this seed (default: fixed)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        if args.db:
            return _on_postgres(args.db, args)
        return _fuzz(str(Path(folder) / "study.db"), args)


def _on_postgres(url: str, args: argparse.Namespace) -> int:
    from sqlalchemy import create_engine, text

    schema = f"fuzz_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        separator = "&" if "?" in url else "?"
        return _fuzz(f"{url}{separator}options=-csearch_path%3D{schema}", args)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _fuzz(url: str, args: argparse.Namespace) -> int:
    from tests.web import apifuzz
    from tests.web.conftest import DOCUMENT, STUDY, build_study, doc_url, sign_in

    from thematica.services.scope import open_db
    from thematica.web.app import create_app

    db = open_db(url, create=True)
    try:
        app = create_app(build_study(db, url))
        olu = sign_in(app, "olu")
        made = olu.post(f"{doc_url()}/codings", json={"start": 0, "end": 11, "code": "Pay"})
        real = {
            "study": [STUDY],
            "document": [DOCUMENT],
            "coding_id": [made.json()["id"]],
            "code": ["Pay"],
        }
        totals = apifuzz.run(
            app,
            cookies=dict(olu.cookies),
            headers={"x-csrf-token": olu.headers["x-csrf-token"]},
            real=real,
            examples=args.examples,
            seed=args.seed,
        )
        app.state.thematica.db.dispose()
    finally:
        db.dispose()
    print("backend:", "PostgreSQL" if url.startswith("postgresql") else "SQLite")
    print(totals.report())
    return 1 if totals.failures else 0


if __name__ == "__main__":
    sys.exit(main())
