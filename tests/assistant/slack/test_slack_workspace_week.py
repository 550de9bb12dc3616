"""A recruiting team's week in one Slack workspace, through signed requests to the served app:
messages as Slack really sends them (its <@U…>, <#C…|name>, <mailto:…> markup and &amp;
entities; replies broadcast to the channel or with a file; edits; people talking to each other
in the bot's thread), the draft's Edit button from a bystander and from the slash command, and
the App Home of someone who is not a user. One app serves the module; each test speaks as its
own people in its own places, and every message the bot posted is checked against Block Kit's
limits at the end."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine

from assistant.slack.bot import EDITED
from assistant.slack.drafts import ASKER_ONLY, EDIT_BY_COMMAND, EDIT_IN_THREAD
from bench.kit.factories import OrgFixture, make_automation, make_org
from bench.kit.peers.slack_signed import WebApi
from models.engine import make_engine
from models.store.automations import list_automations
from models.store.orgs import create_user, find_user
from models.store.run_history import list_runs
from models.store.run_queue import queue_run, runs
from tests.assistant.slack.harness import BOT, NOW, click, command, event, slack_app

ANSWERS = ("chat.postMessage", "chat.postEphemeral", "chat.update", "response_url")
# Slack's person ids in this workspace: two recruiters, a hiring manager, a stranger
PEOPLE = {
    "URECA": ("rec@acme.test", "Rita Recruiter"),
    "URECB": ("bea@acme.test", "Bea Recruiter"),
    "UHANK": ("hank@acme.test", "Hank Manager"),
}


class Workspace:
    """Signed events from anyone anywhere, each with its own ts and event id."""

    def __init__(self, base: str, api: WebApi) -> None:
        self.base, self.api, self.sent = base, api, 0

    def answers(self) -> list[tuple[str, dict[str, Any]]]:
        return [(m, a) for m, a in self.api.calls if m in ANSWERS]

    def send(self, user: str, channel: str, text: str, **more: Any) -> str:
        """A message event; its ts."""
        self.sent += 1
        ts = f"1700300{self.sent:03d}.000100"
        inner = {
            "type": "message",
            "channel_type": "im" if channel.startswith("D") else "channel",
            "user": user,
            "channel": channel,
            "ts": ts,
            "text": text,
            **more,
        }
        assert event(self.base, inner, event_id=f"Ev{ts}").status_code == 200
        return ts

    def say(self, user: str, channel: str, text: str, **more: Any) -> tuple[str, dict[str, Any]]:
        """A message that is answered: the answer's method and arguments."""
        before = len(self.answers())
        self.send(user, channel, text, **more)
        with self.api.changed:
            assert self.api.changed.wait_for(lambda: len(self.answers()) > before, 15), text
        return self.answers()[before]

    def mention(self, user: str, channel: str, text: str) -> tuple[str, dict[str, Any]]:
        """A mention of the bot in `channel`, which starts a thread: its ts and the answer."""
        thread = self.send(user, channel, f"<@{BOT}> {text}", type="app_mention")

        def answered() -> list[dict[str, Any]]:
            return [a for _, a in self.answers() if a.get("thread_ts") == thread]

        with self.api.changed:
            assert self.api.changed.wait_for(answered, 15), text
        return thread, answered()[0]


def buttons(post: dict[str, Any]) -> dict[str, str]:
    return {
        e["action_id"]: e["value"]
        for b in post.get("blocks") or []
        if b["type"] == "actions"
        for e in b["elements"]
    }


@pytest.fixture(scope="module")
def team(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Engine, OrgFixture, Workspace]]:
    path = tmp_path_factory.mktemp("week") / "skilltick.db"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    org = make_org(engine, NOW)
    for email, name in PEOPLE.values():
        create_user(engine, org_id=org.org_id, email=email, name=name, now=NOW)
    try:
        with slack_app(engine) as (base, api):
            api.profiles.update(
                {u: {"tz": "UTC", "profile": {"email": e}} for u, (e, _) in PEOPLE.items()}
            )
            api.profiles["UADA"] = {"tz": "UTC", "profile": {"email": org.admin_email}}
            api.profiles["USTRANGER"] = {"tz": "UTC", "profile": {"email": "x@elsewhere.test"}}
            yield engine, org, Workspace(base, api)
    finally:
        engine.dispose()


def owned_by(engine: Engine, org: OrgFixture, email: str) -> list[Any]:
    owner = find_user(engine, org.org_id, email).id
    return [a for a in list_automations(engine, org.org_id) if a.owner_id == owner]


def test_people_channels_and_addresses_are_read_as_the_writer_saw_them(
    team: tuple[Engine, OrgFixture, Workspace],
) -> None:
    engine, org, ws = team
    # Slack sends "@Bea" as <@URECB>: she is the recipient, not the writer
    _, asked = ws.say(
        "URECA", "DRECA", "every monday at 9am send a summary of my pipeline to <@URECB>"
    )
    assert "Slack message to Bea Recruiter (bea@acme.test)" in asked["text"], asked["text"]
    # "#hiring" picked from the list is <#C0HIRING|hiring>
    _, also = ws.say("URECA", "DRECA", "post it in <#C0HIRING|hiring> too")
    assert "the #hiring channel" in also["text"], also["text"]
    assert ws.say("URECA", "DRECA", "yes")[1]["text"].startswith("Activated")
    # a typed address arrives linked, "&" as &amp;, and a name is kept as typed
    _, asked = ws.say(
        "URECA",
        "DRECA",
        "every friday at 4pm email a recap of my sourcing to <mailto:hank@acme.test|hank@acme.test>",
    )
    assert "email to Hank Manager (hank@acme.test)" in asked["text"], asked["text"]
    assert ws.say("URECA", "DRECA", "yes")[1]["text"].startswith("Activated")
    ws.say("URECA", "DRECA", "call it R&amp;D &lt;sourcing&gt; recap")
    made = owned_by(engine, org, "rec@acme.test")
    reached = sorted(to for a in made for to in a.output_config["to"])
    assert reached == ["#hiring", "bea@acme.test", "hank@acme.test"], reached
    assert "R&D <sourcing> recap" in {a.name for a in made}


def test_formatting_and_emoji_are_read_as_the_writer_saw_them(
    team: tuple[Engine, OrgFixture, Workspace],
) -> None:
    engine, org, ws = team
    _, asked = ws.say(
        "URECB", "DRECB", ":white_check_mark: every wednesday at 9am send me a *pipeline summary*"
    )
    assert "only on Wednesday" in asked["text"], asked["text"]
    assert ws.say("URECB", "DRECB", ":+1::skin-tone-3:")[1]["text"].startswith("Activated")
    assert "Weekly digest" in ws.say("URECB", "DRECB", "rename it to `Weekly digest`")[1]["text"]
    ws.say("URECB", "DRECB", "~delete it~ thanks :tada:")
    (made,) = owned_by(engine, org, "bea@acme.test")
    assert made.name == "Weekly digest" and made.cron_expression == "0 9 * * 3"


def test_an_answer_slack_rate_limits_is_posted_once_it_may(
    team: tuple[Engine, OrgFixture, Workspace],
) -> None:
    _, _, ws = team
    ws.api.throttled = 1  # the next post is answered 429, Retry-After: 1
    method, answer = ws.say(
        "UHANK", "DHANK", "every tuesday at 7am send me a summary of my pipeline"
    )
    assert method == "chat.postMessage" and "Here's what I understood" in answer["text"]
    refused = [m for m, _ in ws.api.calls if m == "chat.postMessage (ratelimited)"]
    assert len(refused) == 1 and ws.say("UHANK", "DHANK", "cancel")[1]["text"].startswith("Cancel")


def test_two_messages_sent_in_a_breath_are_answered_in_order(
    team: tuple[Engine, OrgFixture, Workspace],
) -> None:
    _, _, ws = team
    before = len(ws.answers())
    for _ in range(3):
        ws.send("UHANK", "DHANK2", "send me a recap of my sourcing")
        ws.send("UHANK", "DHANK2", "every friday at 8am")
        ws.send("UHANK", "DHANK2", "cancel")
    with ws.api.changed:
        assert ws.api.changed.wait_for(lambda: len(ws.answers()) >= before + 9, 30)
    said = [a["text"] for _, a in ws.answers()[before:] if a["channel"] == "DHANK2"]
    assert [t.split(":")[0].split(";")[0] for t in said] == [
        "When should it run",
        "Here's what I understood",
        "Cancelled",
    ] * 3, said


def test_a_test_run_asked_in_the_dm_stays_in_the_dm(
    team: tuple[Engine, OrgFixture, Workspace],
) -> None:
    """Only the asker and the bot are in their DM: the output is posted there, where it stays
    (an ephemeral message goes when Slack reloads); in a channel it is ephemeral."""
    engine, org, ws = team
    owner = find_user(engine, org.org_id, "rec@acme.test").id
    auto = make_automation(
        engine, org, NOW, skill="reminder", params={"message": "Call Jane"}, owner_id=owner
    )
    method, shown = ws.say("URECA", "DRECA", f"test #{auto.id}")
    assert method == "chat.postMessage" and shown["channel"] == "DRECA"
    assert "nothing was sent" in shown["text"] and "Call Jane" in shown["text"]


def test_two_people_in_the_bots_thread(team: tuple[Engine, OrgFixture, Workspace]) -> None:
    engine, org, ws = team
    thread, _ = ws.mention(
        "URECB", "C0TEAM", "every monday at 9am send me a summary of my pipeline"
    )
    before = len(ws.answers())
    # the recruiter asks the hiring manager, who answers her and tells the channel: none of it
    # is for the bot
    ws.send("URECB", "C0TEAM", "<@UHANK> does 8am work for you?", thread_ts=thread)
    ws.send("UHANK", "C0TEAM", "<@URECB> 8 is better", thread_ts=thread)
    ws.send("UHANK", "C0TEAM", "<!here> the panel moves to 8am", thread_ts=thread)
    # her correction comes with a file attached; it is still hers to the bot
    method, changed = ws.say(
        "URECB",
        "C0TEAM",
        "actually make it 8am",
        thread_ts=thread,
        subtype="file_share",
        files=[{"id": "F1", "name": "plan.pdf"}],
    )
    assert len(ws.answers()) == before + 1  # the talk between them got no answer
    assert method == "chat.postMessage" and "08:00 AM" in changed["text"]
    # the admin's Activate on her read-back activates nothing: it would be the admin's
    seen = len(ws.api.wait_for("chat.postEphemeral", 0))
    click(
        ws.base,
        "draft_activate",
        buttons(changed)["draft_activate"],
        user="UADA",
        channel="C0TEAM",
        message={**changed, "ts": changed["posted_ts"]},
    )
    refused = ws.api.wait_for("chat.postEphemeral", seen + 1)[seen]
    assert refused["user"] == "UADA" and refused["text"] == ASKER_ONLY["draft_activate"]
    # his "yes" confirms nothing of hers, and only he is told
    method, told = ws.say("UHANK", "C0TEAM", "yes", thread_ts=thread)
    assert method == "chat.postEphemeral" and told["user"] == "UHANK"
    # she edits her correction: an edit is not a new request, and she alone is told so; a
    # link's preview attached to a message (the same words) is no edit to her
    unchanged = {"user": "URECB", "text": "actually make it 8am", "thread_ts": thread}
    edit = {"subtype": "message_changed", "thread_ts": thread, "previous_message": unchanged}
    ws.send("URECB", "C0TEAM", "", **edit, message={**unchanged, "attachments": [{"id": 1}]})
    method, told = ws.say("URECB", "C0TEAM", "", **edit, message={**unchanged, "text": "9am"})
    assert method == "chat.postEphemeral" and (told["user"], told["text"]) == ("URECB", EDITED)
    # her "yes" also sent to the channel activates it, once for all of Slack's retries
    ts = f"1700300{ws.sent + 1:03d}.000100"
    method, done = ws.say("URECB", "C0TEAM", "yes", thread_ts=thread, subtype="thread_broadcast")
    assert done["text"].startswith("Activated"), done["text"]
    broadcast = {"type": "message", "channel_type": "channel", "user": "URECB"}
    broadcast |= {"channel": "C0TEAM", "ts": ts, "text": "yes", "thread_ts": thread}
    for attempt in (1, 2):
        event(
            ws.base, {**broadcast, "subtype": "thread_broadcast"}, event_id=f"Ev{ts}", retry=attempt
        )
    assert "1." in ws.say("URECB", "DRECB", "list")[1]["text"]
    assert [a["text"] for _, a in ws.answers()].count(EDITED) == 1  # not for the preview
    mondays = [
        a for a in owned_by(engine, org, "bea@acme.test") if a.cron_expression != "0 9 * * 3"
    ]
    assert [a.cron_expression for a in mondays] == ["0 8 * * 1"]
    assert owned_by(engine, org, "hank@acme.test") == owned_by(engine, org, org.admin_email) == []


def test_edit_tells_only_the_asker_how_and_keeps_the_read_back(
    team: tuple[Engine, OrgFixture, Workspace],
) -> None:
    engine, org, ws = team
    _, read_back = ws.mention(
        "UHANK", "C0HANK", "every tuesday at 10am send me a summary of my pipeline"
    )
    draft = buttons(read_back)["draft_edit"]
    clicked = {**read_back, "ts": read_back["posted_ts"]}
    before = len(ws.answers())
    click(ws.base, "draft_edit", draft, user="URECA", channel="C0HANK", message=clicked)
    click(ws.base, "draft_edit", draft, user="UHANK", channel="C0HANK", message=clicked)
    with ws.api.changed:
        ws.api.changed.wait_for(lambda: len(ws.answers()) >= before + 2, 15)
    told = {a["user"]: a["text"] for m, a in ws.answers()[before:] if m == "chat.postEphemeral"}
    assert told == {"URECA": ASKER_ONLY["draft_edit"], "UHANK": EDIT_IN_THREAD}
    # on the slash command's read-back: the change goes by the command, the read-back stays
    response_url = f"{ws.api.url}response_url"
    count = len(ws.api.wait_for("response_url", 0))
    command(ws.base, ws.api, "every friday at 4pm email me a recap of my sourcing", user="URECB")
    read_back = ws.api.wait_for("response_url", count + 1)[count]
    count += 1
    click(
        ws.base,
        "draft_edit",
        buttons(read_back)["draft_edit"],
        user="URECB",
        response_url=response_url,
    )
    edit = ws.api.wait_for("response_url", count + 1)[count]
    assert edit["text"] == EDIT_BY_COMMAND and edit["replace_original"] is False
    command(ws.base, ws.api, "make it 8am", user="URECB")
    changed = ws.api.wait_for("response_url", count + 2)[count + 1]
    assert "08:00 AM, only on Friday" in changed["text"], changed["text"]
    assert owned_by(engine, org, "hank@acme.test") == []


def test_the_slash_command_reads_people_and_names_as_written(
    team: tuple[Engine, OrgFixture, Workspace],
) -> None:
    engine, org, ws = team
    said = [
        "every thursday at 9am send a summary of my pipeline to <@UHANK|hank>",
        "yes",
        "call it R&amp;D pipeline",
    ]
    count = len(ws.api.wait_for("response_url", 0))
    answers = []
    for n, text in enumerate(said, start=count + 1):
        command(ws.base, ws.api, text, user="URECA")
        answers.append(ws.api.wait_for("response_url", n)[n - 1]["text"])
    assert "Slack message to Hank Manager (hank@acme.test)" in answers[0], answers[0]
    assert answers[1].startswith("Activated") and "R&amp;D pipeline" in answers[2]
    thursdays = [a for a in owned_by(engine, org, "rec@acme.test") if a.name == "R&D pipeline"]
    assert [a.output_config["to"] for a in thursdays] == [["hank@acme.test"]]


def test_the_home_of_someone_who_is_not_a_user_says_why(
    team: tuple[Engine, OrgFixture, Workspace],
) -> None:
    _, _, ws = team
    event(ws.base, {"type": "app_home_opened", "user": "UHANK", "tab": "messages"})
    event(ws.base, {"type": "app_home_opened", "user": "USTRANGER", "tab": "home"})
    (view,) = [a for a in ws.api.wait_for("views.publish") if a["user_id"] == "USTRANGER"]
    assert "not linked to a skilltick user" in json.dumps(view["view"])
    # the Messages tab is the DM: nothing is published for it
    assert all(a["user_id"] != "UHANK" for a in ws.api.wait_for("views.publish"))


def test_retry_clicked_twice_on_a_failure_notice_runs_once(
    team: tuple[Engine, OrgFixture, Workspace],
) -> None:
    engine, org, ws = team
    owner = find_user(engine, org.org_id, "rec@acme.test").id
    auto = make_automation(engine, org, NOW, name="Offer digest", owner_id=owner)
    failed = queue_run(
        engine, automation_id=auto.id or 0, org_id=org.org_id, triggered_by="manual", now=NOW
    )
    with engine.begin() as conn:
        conn.execute(update(runs).where(runs.c.id == failed).values(status="failed"))
    notice = {"ts": "1700399999.000100", "text": "Offer digest failed."}
    seen = len(ws.api.wait_for("chat.postEphemeral", 0))
    for _ in range(2):
        click(ws.base, "notice_retry", str(failed), user="URECA", channel="DRECA", message=notice)
    refused = ws.api.wait_for("chat.postEphemeral", seen + 1)[seen]
    assert refused["user"] == "URECA" and "is being retried already" in refused["text"]
    retries = [r for r in list_runs(engine, org.org_id, automation_id=auto.id) if r.id != failed]
    assert [r.trigger_data["retry_of"] for r in retries] == [failed]


def test_every_message_of_the_week_is_valid_block_kit(
    team: tuple[Engine, OrgFixture, Workspace],
) -> None:
    """Slack's documented limits (50 blocks, 3000 characters a text, 75 a button's label),
    on everything the bot posted in this module, and no raw markdown. A question longer than
    one section shows every choice it lists (Slack shows the blocks, not the text)."""
    engine, org, ws = team
    owner = find_user(engine, org.org_id, "hank@acme.test").id
    made = []
    for n in range(20):  # names past a button's 75 characters, a question past 3000
        name = f"Weekly digest {n} " + "of every open engineering role in Berlin " * 4
        made.append(make_automation(engine, org, NOW, name=name.strip(), owner_id=owner).id)
    method, asked = ws.say("UHANK", "DHANK", "pause weekly digest")
    assert method == "chat.postMessage" and len(buttons(asked)) >= 2, asked
    shown = "".join(b["text"]["text"] for b in asked["blocks"] if b["type"] == "section")
    assert len(shown) > 3000 and all(f"#{n} " in shown for n in made)
    ws.say("UHANK", "DHANK", "list")
    posted = [a for _, a in ws.answers()] + ws.api.wait_for("views.publish", 0)
    for message in posted:
        blocks = message.get("blocks") or (message.get("view") or {}).get("blocks") or []
        assert len(blocks) <= 50
        for block in blocks:
            assert len(str(block.get("block_id", ""))) <= 255
            text = (block.get("text") or {}).get("text", "")
            assert len(text) <= 3000 and "**" not in text
            for element in block.get("elements") or []:
                assert len((element.get("text") or {}).get("text", "")) <= 75
                assert len(str(element.get("value", ""))) <= 2000
        assert "**" not in str(message.get("text") or "")
