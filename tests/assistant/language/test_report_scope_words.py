"""The pipeline report's read-back says whose pipeline it sums up: the requester's own, or the
whole organisation's when its scope is everyone's candidates, however the request said it."""

from __future__ import annotations

from datetime import UTC, datetime

from assistant.language import understand

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
WHOSE = {
    "mine": ("my pipeline", "my pipeline report"),
    "organization": (
        "the team's pipeline",
        "the whole team's pipeline",
        "the company pipeline",
        "the organisation's pipeline",
        "everyone's pipeline",
        "the pipeline for the whole company",
    ),
}
TEMPLATES = (
    "every monday at 9am send me a summary of {whose}",
    "email me {whose} every friday at 4pm",
    "daily at 8am, a summary of {whose} to me",
)


def test_the_label_follows_the_scope() -> None:
    for scope, phrasings in WHOSE.items():
        for whose in phrasings:
            for template in TEMPLATES:
                request = template.format(whose=whose)
                draft = understand(request, tz="UTC", now=NOW)
                assert draft.ok and draft.skill == "pipeline-report", (request, draft.question)
                assert draft.params["scope"] == scope, request
                action = next(line for line in draft.summary.splitlines() if "Action" in line)
                if scope == "organization":
                    assert "the whole organisation's pipeline" in action, (request, action)
                    assert "your pipeline" not in action, (request, action)
                else:
                    assert "a summary of your pipeline" in action, (request, action)
                    assert "organisation" not in action, (request, action)
