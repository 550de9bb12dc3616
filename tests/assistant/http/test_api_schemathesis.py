"""Schemathesis against the OpenAPI document the live server serves: for every REST and
operations endpoint, schema-valid and schema-invalid requests (bounded examples) never get a
5xx, and every answer matches its documented status codes, content type and schema."""

from __future__ import annotations

from datetime import UTC, datetime

import schemathesis
import schemathesis.checks as checks
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.core.result import Err
from schemathesis.schemas import APIOperation
from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation
from models.store.run_queue import db_now
from tests.assistant.http.service_harness import live_server, make_context, make_org_with_tokens
from tests.examples import examples

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
EXAMPLES_PER_OPERATION = examples(30)
OURS = ("/api/", "/healthz", "/status", "/metrics", "/cron/")
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]
# Business rules (an unknown skill, a cron the parser refuses) reject schema-valid data, unknown
# query parameters are ignored rather than refused, and random ids hit deleted records: those
# checks do not describe this API.
EXCLUDED = [
    checks.positive_data_acceptance,
    checks.negative_data_rejection,
    checks.use_after_free,
    checks.ensure_resource_availability,
    checks.ignored_auth,
]


def test_no_request_gets_a_5xx_or_an_answer_off_its_schema(sqlite_engine: Engine) -> None:
    org = make_org_with_tokens(sqlite_engine, NOW, slug="acme")
    ctx = make_context(sqlite_engine)
    for _ in range(3):  # low ids exist, so generated ids reach real records too
        auto = make_automation(sqlite_engine, org.fixture, db_now(sqlite_engine))
        ctx.tools.test(org.actor(sqlite_engine), auto.id or 0)
    headers = {"Authorization": f"Bearer {org.admin_token}"}
    with live_server(ctx) as url:
        schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
        operations: list[APIOperation] = []
        for result in schema.get_all_operations():
            if isinstance(result, Err):
                raise result.err()  # an operation the schema describes wrongly: say which
            operations.append(result.ok())
        ours = [op for op in operations if op.path.startswith(OURS)]
        assert len(ours) >= 20, [op.label for op in operations]
        failures: list[str] = []
        for operation in ours:
            strategy = operation.as_strategy(
                generation_mode=schemathesis.GenerationMode.POSITIVE
            ) | operation.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE)

            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                database=None,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy)
            def exercise(case: schemathesis.Case) -> None:
                case.call_and_validate(headers=headers, checks=CHECKS, excluded_checks=EXCLUDED)

            try:
                exercise()
            except Exception as exc:  # collect all operations' failures, then report them
                failures.append(f"{operation.label}: {exc}")
        assert not failures, "\n\n".join(failures)
