"""Schemathesis against the web API's own OpenAPI document, in process (ASGI, no network).

Shared by tests/web/test_api_fuzz.py (a few examples per operation, in ``make test``) and
scripts/fuzz_api.py (as many as asked). Every operation in ``/api/v1/openapi.json`` is exercised
with property-based requests, valid (positive) and invalid (negative) by the schema, signed in as
the study's owner with the session's CSRF token. Three times in four a generated path parameter
or body field is swapped for a real one (the study, its document, a coding, a code), so requests
reach the services and the database rather than stopping at "no such study".

What is checked on every response: no 5xx; the status code, content type and body are the ones
the document declares; every 4xx is ``application/problem+json`` with a one-line ``detail``
naming what was wrong; invalid requests are refused with a 4xx.

The live stream (``events``) is asked with ``follow=false``: a followed stream never ends, and
tests/web/test_events.py covers following.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

PROBLEM_JSON = "application/problem+json"


@dataclass
class Totals:
    """What a run did: requests per operation and mode, status codes seen, distinct failures
    (each with one request that shows it, as a curl command)."""

    examples: int
    requests: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    def report(self) -> str:
        lines = [
            f"{sum(self.requests.values())} requests, {len(self.requests)} operation×mode pairs,"
            f" {self.examples} examples each asked, {self.seconds:.1f} s",
            "statuses: " + ", ".join(f"{s}×{n}" for s, n in sorted(self.statuses.items())),
        ]
        lines += [f"  {key}: {n}" for key, n in sorted(self.requests.items())]
        lines.append(f"{len(self.failures)} distinct failures")
        lines += [f"  FAIL {key}\n    {curl}" for key, curl in sorted(self.failures.items())]
        return "\n".join(lines)


def problem_json(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx from the API is application/problem+json with a one-line detail."""
    if 400 <= response.status_code < 500:
        kind = response.headers.get("content-type", [""])
        kind = kind[0] if isinstance(kind, list) else kind
        assert kind.split(";")[0].strip() == PROBLEM_JSON, (
            f"{response.status_code} answered as {kind!r}, not {PROBLEM_JSON}"
        )
        body = response.json()
        assert body.get("status") == response.status_code, f"problem status {body.get('status')}"
        detail = body.get("detail")
        assert isinstance(detail, str) and detail and "\n" not in detail, f"detail {detail!r}"
    return None


def run(
    app: Any,
    *,
    cookies: dict[str, str],
    headers: dict[str, str],
    real: dict[str, list[str]],
    examples: int,
    seed: int | None = None,
    only: str | None = None,
) -> Totals:
    """Fuzz every operation of ``app``'s API (or those whose path is ``only``), ``examples``
    per operation and mode. ``real`` maps a path parameter's or body field's name to values
    that exist (swapped in three times in four); ``seed`` makes a run reproducible (otherwise
    it is derandomised)."""
    import schemathesis

    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    totals = Totals(examples)
    began = time.perf_counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        if only is not None and operation.path != only:
            continue
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            _fuzz(operation, mode, totals, cookies, headers, real, seed)
    totals.seconds = time.perf_counter() - began
    return totals


def _fuzz(
    operation: Any,
    mode: Any,
    totals: Totals,
    cookies: dict[str, str],
    headers: dict[str, str],
    real: dict[str, list[str]],
    seed: int | None,
) -> None:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as use_seed
    from hypothesis import strategies as st
    from hypothesis.errors import Unsatisfiable
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        negative_data_rejection,
        response_schema_conformance,
        status_code_conformance,
    )

    key = f"{operation.method.upper()} {operation.path} [{mode.value}]"
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
        problem_json,
    ] + ([negative_data_rejection] if mode.is_negative else [])
    # A real value three times in four: most requests then reach the services and the database.
    swaps = {name: st.sampled_from([None, *values * 3]) for name, values in real.items()}

    @settings(
        max_examples=totals.examples,
        deadline=None,
        database=None,
        derandomize=seed is None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), swap=st.fixed_dictionaries(swaps))
    def fuzz(case: Any, swap: dict[str, str | None]) -> None:
        # A component made invalid on purpose keeps what was generated (a swap could mend it).
        meta = case.meta.components if case.meta is not None else {}
        mended = {str(where.value) for where, info in meta.items() if info.mode.is_negative}
        for name, value in swap.items():
            if value is None:
                continue
            if name in (case.path_parameters or {}) and "path" not in mended:
                case.path_parameters[name] = value
            elif isinstance(case.body, dict) and name in case.body and "body" not in mended:
                case.body[name] = value
        if operation.path.endswith("/events"):
            case.query = {**(case.query or {}), "follow": "false"}
        totals.requests[key] += 1
        try:
            response = case.call_and_validate(headers=headers, cookies=cookies, checks=checks)
            totals.statuses[response.status_code] += 1
        except AssertionError as failure:
            _record(totals, key, failure, case)
        except BaseExceptionGroup as group:
            for failure in group.exceptions:
                _record(totals, key, failure, case)

    if seed is not None:
        fuzz = use_seed(seed)(fuzz)
    try:
        fuzz()
    except Unsatisfiable:  # nothing in the request can be invalid (no parameters, no body)
        totals.requests.setdefault(key, 0)


def _record(totals: Totals, key: str, failure: BaseException, case: Any) -> None:
    title = getattr(failure, "title", None) or type(failure).__name__
    message = " ".join(str(failure).split())[:400]
    found = f"{key}: {title}: {message}"[:300]
    if found not in totals.failures:
        try:
            totals.failures[found] = case.as_curl_command()
        except Exception:  # the curl form is a convenience; the failure is what matters
            totals.failures[found] = repr(case)
