"""Who gets which message of a run: a skill may give an addressee their own copy (a report over
many jobs, each job's hiring manager their own jobs' part); everyone else gets the whole."""

from __future__ import annotations

from skills.base import SkillOutput
from worker.delivery.base import Message, Recipient
from worker.run.recipients import Resolved


def messages_of(output: SkillOutput, resolved: Resolved) -> list[tuple[Message, list[Recipient]]]:
    """Each message and its recipients: the whole first (when anyone gets it), then each
    addressee's own copy. A recipient named by a role alone whose addressee has a copy gets it;
    one also named otherwise (the owner, the team, an address) gets the whole, once."""
    whole = Message(
        subject=output.subject, text=output.text, html=output.html, document=output.document
    )
    if not output.copies or not resolved.addressed:
        return [(whole, resolved.recipients)]
    everyone: list[Recipient] = []
    own: dict[str, list[Recipient]] = {}
    for recipient in resolved.recipients:
        key = resolved.addressed.get(recipient.address.strip().lower())
        if key is None or key not in output.copies:
            everyone.append(recipient)
        else:
            own.setdefault(key, []).append(recipient)
    messages = [(whole, everyone)] if everyone else []
    for key, recipients in own.items():
        copy = output.copies[key]
        message = Message(
            subject=copy.subject, text=copy.text, html=copy.html, document=copy.document
        )
        messages.append((message, recipients))
    return messages
