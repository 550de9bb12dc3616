"""Slack Block Kit for a report document, built from the same context the e-mail templates render so
both say the same: a header, a context line (scope, period), one section per part of the report
(counts as fields, people as a short list), and context lines at the end. Slack's limits hold:
50 blocks, 150 characters a header, 3000 a section, 10 fields of 2000 a section; what does not
fit is cut with a line saying the dashboard has the whole report. Names are escaped
(assistant.slack.mrkdwn): a candidate called "<!channel>" is shown, never pings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from assistant.slack.mrkdwn import clip_literal, escape, mrkdwn
from skills.base import ReportDocument
from skills.footer import SENT_BY

FOOTER = SENT_BY  # what a report without the service's footer ends with: it promises nothing
CUT = "_… more than Slack shows in one message: the dashboard has the whole report._"
MAX_BLOCKS = 50
HEADER_CHARS = 150
SECTION_CHARS = 3000
FIELD_CHARS = 2000
FIELDS_PER_SECTION = 10

Block = dict[str, Any]


def _clip(text: str, limit: int) -> str:
    return clip_literal(text, limit)


def header(text: str) -> Block:
    plain = _clip(" ".join(text.split()), HEADER_CHARS)
    return {"type": "header", "text": {"type": "plain_text", "text": plain, "emoji": True}}


def context(*lines: str) -> Block:
    return {
        "type": "context",
        "elements": [mrkdwn(_clip(line, SECTION_CHARS)) for line in lines],
    }


def section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(_clip(text, SECTION_CHARS))}


def fields(pairs: Sequence[tuple[str, Any]]) -> list[Block]:
    """Label/value pairs as sections of two-column fields (a table Slack lays out itself)."""
    blocks: list[Block] = []
    for start in range(0, len(pairs), FIELDS_PER_SECTION):
        chunk = pairs[start : start + FIELDS_PER_SECTION]
        blocks.append(
            {
                "type": "section",
                "fields": [
                    mrkdwn(_clip(f"*{escape(k)}*\n{escape(v)}", FIELD_CHARS)) for k, v in chunk
                ],
            }
        )
    return blocks


def bullets(heading: str, lines: Iterable[str], *, more: int = 0, empty: str) -> Block:
    """A heading and a bulleted list in one section, cut to Slack's section size."""
    items = [f"• {line}" for line in lines]
    if more:
        items.append(f"_… and {more} more_")
    body = "\n".join(items) if items else f"_{escape(empty)}_"
    text = f"*{escape(heading)}*\n{body}"
    if len(text) > SECTION_CHARS:
        text = text[: SECTION_CHARS - len(CUT) - 1].rsplit("\n", 1)[0] + "\n" + CUT
    return section(text)


def finish(blocks: list[Block], footer: str | None) -> list[Block]:
    """The footer as a closing context line; within the block limit (the footer kept)."""
    closing = [{"type": "divider"}, context(escape(footer or FOOTER))]
    if len(blocks) > MAX_BLOCKS - len(closing):
        blocks = [*blocks[: MAX_BLOCKS - len(closing) - 1], context(CUT)]
    return blocks + closing


def sections_blocks(ctx: Mapping[str, Any]) -> list[Block]:
    """Blocks for the shared report layout: title, subtitle, intro and headed sections of
    paragraphs and flagged items."""
    blocks: list[Block] = [header(str(ctx.get("title") or "Report"))]
    if ctx.get("subtitle"):
        blocks.append(context(escape(ctx["subtitle"])))
    if ctx.get("intro"):
        blocks.append(section(escape(ctx["intro"])))
    for part in ctx.get("sections") or []:
        paragraphs = [escape(p) for p in part.get("paragraphs") or []]
        items = [
            (f"*{escape(i['flag'])}* " if i.get("flag") else "") + escape(i.get("text", ""))
            for i in part.get("items") or []
        ]
        heading = str(part.get("heading", ""))
        if paragraphs and not items:
            blocks.append(section("\n".join([f"*{escape(heading)}*", *paragraphs])))
            continue
        empty = "" if paragraphs else str(part.get("empty") or "Nothing here.")
        block = bullets(heading, items, more=int(part.get("more") or 0), empty=empty)
        if paragraphs:  # the paragraphs go between the heading and the list
            head, _, rest = block["text"]["text"].partition("\n")
            block = section("\n".join([head, *paragraphs, rest]))
        blocks.append(block)
    return finish(blocks, ctx.get("footer"))


def pipeline_blocks(ctx: Mapping[str, Any]) -> list[Block]:
    """Blocks for the pipeline report: counts by stage as fields, movement and the candidates
    waiting for contact as lists."""
    blocks: list[Block] = [
        header(f"{ctx['title']} ({ctx['period_label']})"),
        context(f"{escape(ctx['scope_label'])} · as of {escape(ctx['generated_label'])}"),
    ]
    if ctx["active"]:
        blocks.append(section(f"*Active candidates by stage* ({ctx['active']} in all)"))
        blocks.extend(fields([(s["name"], s["count"]) for s in ctx["stages"]]))
    else:
        blocks.append(section("*Active candidates by stage*\n_No active candidates right now._"))
    moves = [
        f"{escape(m['name'])} ({escape(m['job'])}): {escape(m['from'])} → "
        f"{escape(m['to'])}, {escape(m['date'])}"
        for m in ctx["moves"]
    ]
    if ctx["move_total"]:
        total = ctx["move_total"]
        blocks.append(section(f"*Movement {escape(ctx['since_label'])}* ({total} in all)"))
        blocks.extend(
            fields([(f"{r['from']} → {r['to']}", r["count"]) for r in ctx["move_counts"]])
        )
        blocks.append(bullets("Latest", moves, more=ctx["moves_not_listed"], empty=""))
    else:
        blocks.append(section(f"*Movement {escape(ctx['since_label'])}*\n_No stage changes._"))
    stale = [
        f"{escape(s['name'])} ({escape(s['job'])}, {escape(s['stage'])}): {s['days']} days"
        for s in ctx["stale"]
    ]
    blocks.append(
        bullets(
            f"Not contacted for {ctx['stale_days']}+ days ({ctx['stale_total']})",
            stale,
            more=ctx["stale_not_listed"],
            empty=f"Everyone has been contacted in the last {ctx['stale_days']} days.",
        )
    )
    return finish(blocks, ctx.get("footer"))


REPORT_LAYOUTS = {"sections": sections_blocks, "pipeline": pipeline_blocks}


def report_blocks(document: ReportDocument) -> list[Block]:
    """The document's blocks in its layout (the sections layout for one this app does not know)."""
    return REPORT_LAYOUTS.get(document.layout, sections_blocks)(document.context)
