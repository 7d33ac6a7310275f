"""Schemathesis against the live reference server's own OpenAPI document: for every operation, data
that fits the schema and data that does not (a bounded number of examples each), sent with a real
agent's token. Checks: never a 5xx, every status is one the operation declares (the error
answers 400/401/403/404/409/422/429 included), and every answer conforms to the documented schema
and content type. Its `date-time` values include dates at both ends of the calendar with offsets.

A second run puts what a schema-shaped generator never makes into every body field and query
parameter in turn: JSON nested past every limit, extreme dates, lone surrogates."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.helpers.attacks import EXTREME_DATES
from tests.helpers.server_fixtures import AGENT_EMAIL, InProcessServer, ServerProcess, login

EXAMPLES = 12  # per operation and mode: up to 24 per operation, well under 90 s for the whole API
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]
# Dates at both ends of the calendar with offsets (converting them to UTC leaves it) beside the
# ordinary ones schemathesis makes.
schemathesis.openapi.format(
    "date-time",
    st.sampled_from(EXTREME_DATES)
    | st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
)

# Would end the session or the fuzzing itself, not find a bug (both are tested elsewhere).
SKIPPED = {("POST", "/api/v1/auth/logout"), ("POST", "/api/v1/auth/login")}


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server of its own: the fuzzer writes messages, templates and settings at random."""
    proc = InProcessServer(tmp_path_factory.mktemp("fuzz-server"), ("--seed-test",))
    proc.start()
    yield proc
    proc.stop()


@pytest.fixture(scope="module")
def fuzz_token(fuzz_server: ServerProcess) -> str:
    """One sign-in for both fuzz runs, taken before either: fuzzing POST /me/password with wrong
    current passwords spends the account's sign-in allowance (as it should), so a sign-in after the
    first run would meet the limit."""
    return login(fuzz_server, AGENT_EMAIL)


@pytest.mark.slow
@pytest.mark.filterwarnings(
    # schemathesis' own generation warns about schema features it cannot use; not our concern.
    "ignore::UserWarning:schemathesis",
)
def test_every_operation_survives_schemathesis(fuzz_server: ServerProcess, fuzz_token: str) -> None:
    token = fuzz_token
    headers = {"Authorization": f"Bearer {token}"}
    document = httpx.get(f"{fuzz_server.api}/openapi.json").json()
    schema = schemathesis.openapi.from_dict(document)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue
        operations += 1
        spec = document["paths"][operation.path][operation.method.lower()]
        negatable = "requestBody" in spec or any(
            p["in"] == "query" for p in spec.get("parameters", [])
        )
        modes = [GenerationMode.POSITIVE] + ([GenerationMode.NEGATIVE] if negatable else [])
        for mode in modes:

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case: schemathesis.Case) -> None:
                case.call_and_validate(
                    base_url=fuzz_server.url, headers=headers, checks=CHECKS, timeout=10
                )

            try:
                run()
            except Unsatisfiable:
                pass  # every parameter of this operation is a free string: nothing to negate
            except Exception as exc:  # collect every operation's failure, then report them all
                failures.append(f"{operation.method.upper()} {operation.path} [{mode}]: {exc}")
    assert operations >= 20, "the OpenAPI document lost its operations"
    assert not failures, "\n\n".join(failures)
    # How long it takes is a figure of the benchmarks (tests/bench/run.py --only bounds).


# --- hostile values: deep nesting, dates at the ends of the calendar, lone surrogates ----------

DEEP = (33, 200, 950, 5000)  # levels: just past the limit, then what parsers and validators hit
DEEP_QUERY = (33, 200, 950)  # in a query string (a URL is at most a few KB long)


@st.composite
def hostile_json(draw: st.DrawFn, depths: tuple[int, ...] = DEEP) -> str:
    """A JSON value, as text, that a schema-shaped generator never makes."""
    kind = draw(st.sampled_from(["deep", "date", "surrogate"]))
    if kind == "deep":
        depth = draw(st.sampled_from(depths))
        opener = draw(st.sampled_from(["[", '{"a":']))
        closer = "]" if opener == "[" else "}"
        return opener * depth + "1" + closer * depth
    if kind == "date":
        return json.dumps(draw(extreme_dates))
    # ensure_ascii writes a lone surrogate as the escape "\ud800", as an attacker would send it.
    text = draw(st.text(max_size=5)) + draw(st.sampled_from(SURROGATES)) + draw(st.text(max_size=5))
    return json.dumps(text, ensure_ascii=True)


SURROGATES = ("\ud800", "\udfff", "\udbff")
extreme_dates = st.sampled_from(EXTREME_DATES) | st.builds(
    "{}T{:02d}:{:02d}:00{}".format,
    st.sampled_from(["0001-01-01", "0001-01-02", "9999-12-31", "9999-12-30"]),
    st.integers(0, 23),
    st.integers(0, 59),
    st.sampled_from(["Z", "+14:00", "-14:00", "+23:59", "-23:59"]),
)


def _with_hostile_field(body: Any, field: str, raw: str) -> bytes:
    """`body` (a JSON object) as text with `field` set to the raw JSON text `raw`."""
    placeholder = "__hostile_value__"
    shaped = dict(body) if isinstance(body, dict) else {}
    shaped[field] = placeholder
    return json.dumps(shaped).replace(json.dumps(placeholder), raw, 1).encode()


# The UTF-8-style bytes of U+D800 in a query string: no valid UTF-8 holds them.
RAW_SURROGATE = "%ED%A0%80"


def _query_with(query: dict[str, Any] | None, name: str, value: str) -> dict[str, Any]:
    """The case's query (its values percent-encoded here) with `name` set to `value`, which is
    already encoded as it should go on the wire."""
    out = {k: quote(str(v)) for k, v in (query or {}).items()}
    out[name] = value
    return out


def _url(path: str, params: dict[str, Any] | None) -> str:
    if not params:
        return path
    return path + "?" + "&".join(f"{quote(k)}={v}" for k, v in params.items())


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:Generating overly large repr")
def test_hostile_values_in_every_body_field_and_query_parameter(
    fuzz_server: ServerProcess, fuzz_token: str
) -> None:
    """Every JSON body field and query parameter of every operation, in turn, gets nesting past the
    limits, dates near year 1 and 9999 with offsets, and lone surrogates: the answer is a 4xx with
    the error shape (or a success), never a 5xx."""
    token = fuzz_token
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    document = httpx.get(f"{fuzz_server.api}/openapi.json").json()
    schema = schemathesis.openapi.from_dict(document)
    failures: list[str] = []
    tried = 0
    with httpx.Client(base_url=fuzz_server.url, timeout=30) as client:
        for result in schema.get_all_operations():
            operation = result.ok()
            key = (operation.method.upper(), operation.path)
            if key in SKIPPED:
                continue
            spec = document["paths"][operation.path][operation.method.lower()]
            body_schema = spec.get("requestBody", {}).get("content", {}).get("application/json", {})
            fields = list(_properties(document, body_schema.get("schema", {})))
            queries = [p["name"] for p in spec.get("parameters", []) if p["in"] == "query"]
            if not fields and not queries:
                continue

            @settings(
                max_examples=HOSTILE_EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(
                case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
                target=st.sampled_from(
                    [("body", f) for f in fields] + [("query", q) for q in queries]
                ),
                raw=hostile_json(),
                raw_query=hostile_json(DEEP_QUERY),
                plain=st.sampled_from([*EXTREME_DATES, RAW_SURROGATE]),
            )
            def run(
                case: schemathesis.Case,
                target: tuple[str, str],
                raw: str,
                raw_query: str,
                plain: str,
            ) -> None:
                where, name = target
                body = case.body if isinstance(case.body, (dict, list, str, int, float)) else None
                content: bytes | None
                if where == "body":
                    content = _with_hostile_field(body, name, raw)
                    params = {k: quote(str(v)) for k, v in (case.query or {}).items()}
                else:
                    raw = raw_query
                    content = json.dumps(body).encode() if body is not None else None
                    value = quote(raw) if raw.startswith(("[", "{")) else quote(plain, safe="%")
                    if name == "cursor":
                        value = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
                    params = _query_with(case.query, name, value)
                r = client.request(
                    case.method,
                    _url(case.formatted_path, params),
                    content=content,
                    headers=headers,
                )
                assert r.status_code < 500, (
                    f"{where} {name}={raw[:60]!r}: {r.status_code} {r.text[:200]}"
                )
                if r.status_code >= 400 and not case.formatted_path.startswith("/webhooks/"):
                    error = r.json()["error"]
                    assert error["code"] and error["message"].endswith("."), r.text

            tried += 1
            try:
                run()
            except Exception as exc:  # every operation's failure, reported together
                failures.append(f"{key[0]} {key[1]}: {exc}")
    assert tried >= 12, "the OpenAPI document lost its operations"
    assert not failures, "\n\n".join(failures)


HOSTILE_EXAMPLES = 15


def _properties(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """The properties of a body schema, following one `$ref`."""
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        schema = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
    props: dict[str, Any] = schema.get("properties", {})
    return props
