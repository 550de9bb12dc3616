"""Names are shown as typed in Slack: whatever a candidate or an automation is called (&, <, >,
"<!channel>", "<@U1>", "<https://x|y>", *, _, ~, `), the text the app sends pings nobody, links
nothing it did not mean to, formats nothing bold, italic, struck or as code ("Q1 *urgent*
roles" stays as typed) and never breaks a link of its own; bare web addresses stay links.
What Slack shows is read by a model of its mrkdwn spans written here, apart from the app's.
Generated names go through the report layout and a message's sections; one served app shows
such an automation in the App Home, with its next run in the viewer's zone, and in a chat."""

from __future__ import annotations

import json
import random
import re
import string
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from assistant.slack.blocks import section, sections
from assistant.slack.report_blocks import sections_blocks
from bench.kit.factories import make_automation, make_org
from tests.assistant.slack.harness import NOW, event, slack_app
from tests.examples import examples

SPECIAL = "<>&*_~`!@#|:/. "
names = (
    st.lists(
        st.one_of(
            st.text(alphabet=SPECIAL + "abcXYZ", min_size=1, max_size=12),
            st.sampled_from(["<!channel>", "<!everyone>", "<!here>", "<@U1>", "<#C1|x>", "&amp;"]),
            st.sampled_from(["<https://evil.test|click>", "https://ok.test/a?b=1&c=2"]),
        ),
        min_size=1,
        max_size=6,
    )
    .map("".join)
    .filter(str.strip)
)
LINK = re.compile(r"<(https?://[^<>|]+)>")
# a span's mark stands after a line's start, a space or punctuation, touches its first and last
# character, and ends before the line's end, a space or punctuation
EDGE = re.escape(string.punctuation + "“”\u2018\u2019…•→")
SPANS = {
    mark: re.compile(
        rf"(?:^|(?<=[\s{EDGE}])){re.escape(mark)}(?=\S)([^\n]*?\S){re.escape(mark)}"
        rf"(?=$|[\s{EDGE}])",
        re.M,
    )
    for mark in "*_~`"
}


def rendered(text: str) -> tuple[str, list[str]]:
    """What Slack shows for mrkdwn `text` holding only escapes, plain links and spans: the
    characters seen (zero-width spaces are not), and the texts of its formatted spans."""
    links = LINK.findall(text)
    # a link is shown as it is, nothing in it formatted: one word while spans are read
    plain = LINK.sub("\ue000", text)
    assert "<" not in plain and ">" not in plain, text  # nothing else Slack would parse
    spans: list[str] = []
    for pattern in SPANS.values():
        spans += [m.group(1) for m in pattern.finditer(plain)]
        plain = pattern.sub(lambda m: m.group(1), plain)

    def seen(part: str) -> str:
        for link in links:
            part = part.replace("\ue000", link, 1)
        part = part.replace("\u200b", "")
        return part.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")

    return seen(plain), [seen(span) for span in spans]


def mrkdwn_nodes(node: Any) -> list[dict[str, Any]]:
    """Every mrkdwn text object in `node` (sections, fields, context elements)."""
    if isinstance(node, list):
        return [d for v in node for d in mrkdwn_nodes(v)]
    if not isinstance(node, dict):
        return []
    own = [node] if node.get("type") == "mrkdwn" else []
    return [*own, *(d for v in node.values() for d in mrkdwn_nodes(v))]


def shown(text: str) -> str:
    """What Slack shows for mrkdwn `text` that formats nothing."""
    plain, spans = rendered(text)
    assert not spans, (text, spans)
    return plain


def assert_safe(blocks: Any) -> None:
    for node in mrkdwn_nodes(blocks):
        rendered(node["text"])  # only escapes, links to web addresses and spans
        assert not re.search(r"<[!@#]", node["text"]), node
        assert node.get("verbatim") is True  # Slack parses no bare "@channel" in it


@settings(max_examples=examples(400), deadline=None)
@given(names)
def test_a_message_shows_any_name_as_typed(name: str) -> None:
    blocks = [section(f"Paused “{name}”."), *sections(f"{name}\n\n{name}")]
    assert_safe(blocks)
    assert shown(blocks[0]["text"]["text"]) == f"Paused “{name}”."
    assert shown(blocks[1]["text"]["text"]) == f"{name}\n\n{name}".strip()


@settings(max_examples=examples(200), deadline=None)
@given(names, names)
def test_a_report_shows_any_candidate_and_heading_as_typed(candidate: str, heading: str) -> None:
    blocks = sections_blocks(
        {
            "title": heading,
            "subtitle": candidate,
            "intro": f"{candidate} moved.",
            "sections": [
                {"heading": heading, "items": [{"text": candidate, "flag": heading}]},
                {"heading": heading, "paragraphs": [candidate]},
            ],
        }
    )
    assert_safe(blocks)
    assert f"{candidate} moved." == shown(blocks[2]["text"]["text"])
    # the heading is bold as the layout means, the names in it as typed
    said, bold = rendered(blocks[3]["text"]["text"])
    if heading == heading.strip():  # else Slack shows the layout's stars too
        assert f"• {heading} {candidate}" in said
        assert heading in bold


def test_a_long_text_is_cut_outside_its_escapes_and_links() -> None:
    for filler in range(2985, 3001):
        text = "x" * filler + " <!channel> & https://ok.test/path " * 3
        (block,) = sections(text.replace("\n", " "))[:1]
        assert len(block["text"]["text"]) <= 3000
        assert_safe([block])


def test_the_home_and_a_chat_show_a_pinging_name_as_typed(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    name = "<!channel> & *team* <https://evil.test|click>"
    make_automation(sqlite_engine, org, NOW, name=name, cron="0 9 * * *", tz="UTC")
    # names with formatting marks, made up here: none may turn bold, italic, struck or code
    draw = random.Random(len(name))
    marked = ["Q1 *urgent* roles", "_draft_ ~old~ `code` roles"] + [
        " ".join(
            "".join(draw.choice("*_~`ab") for _ in range(draw.randint(1, 4)))
            for _ in range(draw.randint(2, 4))
        )
        for _ in range(6)
    ]
    for other in marked:
        make_automation(sqlite_engine, org, NOW, name=other, cron="0 9 * * *", tz="UTC")
    with slack_app(sqlite_engine) as (base, api):
        event(base, {"type": "app_home_opened", "user": "U1", "tab": "home"})
        view = api.wait_for("views.publish")[0]["view"]
        (row,) = [
            b
            for b in view["blocks"]
            if b.get("block_id", "").startswith("automation_") and name in b["text"]["text"]
        ]
        # plain text: Slack shows it as it is; the next run (09:00 UTC) in the viewer's zone
        assert row["text"]["type"] == "plain_text" and name in row["text"]["text"]
        assert "next run Tue 03 Mar 2026 01:00 PST" in row["text"]["text"]
        event(
            base,
            {
                "type": "message",
                "channel_type": "im",
                "user": "U1",
                "channel": "D1",
                "ts": "1700000001.000100",
                "text": "list",
            },
        )
        (answer,) = api.wait_for("chat.postMessage")
    said = shown(answer["text"])
    assert name in said
    for other in marked:
        assert f" {other} · " in said, (other, said)
    for node in mrkdwn_nodes(answer.get("blocks") or []):
        shown(node["text"])
    assert "<!channel>" not in json.dumps(answer) and "<https://evil" not in json.dumps(answer)
