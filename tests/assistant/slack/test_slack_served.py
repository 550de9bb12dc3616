"""The Slack app of a real `skilltick serve --demo`, as a team runs it: its Slack settings point
at the local Web API peer and requests come signed exactly as Slack signs them. The demo's
first Slack post meets a 429 and lands once after the wait Retry-After asked for; a DM
conversation gets its read-back in the DM, Activate makes the automation, a follow-up changes
it, and the App Home shows it with its next run in the recruiter's own zone."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from bench.kit.peers.slack_signed import web_api
from tests.assistant.serve_process import serve_demo
from tests.assistant.slack.harness import SECRET, click, event

MEMBER = "dana.recruiter@demo.skilltick.local"


def dm(text: str, n: int) -> dict[str, Any]:
    return {
        "type": "message",
        "channel_type": "im",
        "user": "U0DANA01",
        "channel": "D0DANA01",
        "ts": f"17000010{n:02d}.000100",
        "text": text,
    }


@pytest.mark.slow
def test_a_served_app_talks_in_the_dm_and_waits_out_a_rate_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = {"tz": "America/Los_Angeles", "profile": {"email": MEMBER}}
    with web_api(profile) as api:
        api.profiles["U0DANA01"] = profile
        api.throttled, api.retry_after = 1, 1  # the first post is refused with a 429
        for name, value in {
            "SKILLTICK_SLACK_SIGNING_SECRET": SECRET,
            "SKILLTICK_SLACK_BOT_TOKEN": "xoxb-test",
            "SKILLTICK_SLACK_ORG": "demo",
            "SKILLTICK_SLACK_API_URL": api.url,
        }.items():
            monkeypatch.setenv(name, value)
        with serve_demo(tmp_path, unset=("ANTHROPIC_API_KEY",)) as served:
            # the demo's forced Slack run: refused once, posted once after Retry-After
            (report,) = api.wait_for("chat.postMessage", timeout=120)
            assert report["channel"] == "D0DANA01"
            assert [m for m, _ in api.calls].count("chat.postMessage (ratelimited)") == 1
            started = time.monotonic()
            assert event(served.base, dm("every monday at 9am send me my pipeline", 1)).is_success
            read_back = api.wait_for("chat.postMessage", 2, timeout=60)[1]
            assert read_back["channel"] == "D0DANA01" and "thread_ts" not in read_back
            assert "America/Los_Angeles" in read_back["text"]
            draft = read_back["blocks"][1]["elements"][0]["value"]
            clicked = click(
                served.base,
                "draft_activate",
                draft,
                user="U0DANA01",
                channel="D0DANA01",
                ts=read_back["posted_ts"],
            )
            assert clicked.status_code == 200 and time.monotonic() - started < 60
            assert api.wait_for("chat.update", timeout=60)[0]["text"].startswith("Activated")
            event(served.base, dm("move it to 8am", 2))
            changed = api.wait_for("chat.postMessage", 3, timeout=60)[2]
            assert changed["text"].startswith("Changed") and "08:00 AM" in changed["text"]
            event(served.base, {"type": "app_home_opened", "user": "U0DANA01", "tab": "home"})
            home = json.dumps(api.wait_for("views.publish", timeout=60)[0]["view"])
    assert "Pipeline report" in home and "08:00 PST" in home
    assert not served.said("Traceback"), served.output()
