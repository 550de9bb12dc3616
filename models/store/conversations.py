"""Store API for conversations: drafts (add, claim on confirmation, finish, prune), Slack
installations, mapping a Slack user to an organisation user, and the state an
ongoing conversation remembers (load, save, prune past its TTL).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, insert, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models.engine import read_only
from models.errors import InvalidInput, NotFound
from models.tables.audit import AuditEntry
from models.tables.conversations import (
    AutomationDraft,
    ConversationState,
    SlackEventSeen,
    SlackInstallation,
    SlackThread,
)
from models.tables.orgs import User

DRAFT_TTL = timedelta(days=1)


def _session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)


def add_draft(
    engine: Engine,
    *,
    org_id: int,
    user_id: int,
    request: str,
    draft: dict[str, Any],
    origin: dict[str, Any],
    now: datetime,
) -> AutomationDraft:
    row = AutomationDraft(
        org_id=org_id,
        user_id=user_id,
        request=request,
        draft=draft,
        origin=origin,
        created_at=now,
        expires_at=now + DRAFT_TTL,
    )
    with _session(engine) as s:
        s.add(row)
        s.commit()
        return row


def get_draft(engine: Engine, org_id: int, draft_id: int) -> AutomationDraft:
    with _session(read_only(engine)) as s:
        row = s.get(AutomationDraft, draft_id)
        if row is None or row.org_id != org_id:
            raise NotFound(f"No draft #{draft_id} in your organisation.")
        return row


def claim_draft(engine: Engine, org_id: int, draft_id: int, now: datetime) -> AutomationDraft:
    """Mark a pending draft confirmed (row-locked, so two clicks create one automation);
    returns it as it was before, or raises if it cannot be confirmed."""
    with _session(engine) as s:
        row = s.exec(
            select(AutomationDraft).where(AutomationDraft.id == draft_id).with_for_update()
        ).first()
        if row is None or row.org_id != org_id:
            raise NotFound(f"No draft #{draft_id} in your organisation.")
        if row.status == "cancelled":
            raise InvalidInput(f"Draft #{draft_id} was cancelled; ask again to start over.")
        if row.status == "deleted":
            raise InvalidInput(
                f"The automation draft #{draft_id} created was deleted; ask again to set it up anew."
            )
        if row.status == "pending" and row.expires_at <= now:
            raise InvalidInput(f"Draft #{draft_id} expired; ask again to get a fresh one.")
        before = row.model_copy()
        if row.status == "pending":
            row.status = "confirmed"
            s.add(row)
            s.commit()
        return before


def finish_draft(
    engine: Engine, draft_id: int, *, status: str, automation_id: int | None = None
) -> None:
    with _session(engine) as s:
        row = s.get(AutomationDraft, draft_id)
        if row is None:
            return
        row.status = status
        row.automation_id = automation_id if automation_id is not None else row.automation_id
        s.add(row)
        s.commit()


def drop_pending_draft(engine: Engine, draft_id: int) -> None:
    """Mark a draft cancelled if it still waits: one confirmed meanwhile (another door) keeps
    its state and its automation."""
    with engine.begin() as conn:
        conn.execute(
            update(AutomationDraft)
            .where(col(AutomationDraft.id) == draft_id, col(AutomationDraft.status) == "pending")
            .values(status="cancelled")
        )


def prune_drafts(engine: Engine, now: datetime) -> int:
    """Forget expired drafts that were never confirmed."""
    with _session(engine) as s:
        rows = list(
            s.exec(
                select(AutomationDraft).where(
                    col(AutomationDraft.expires_at) <= now, AutomationDraft.status != "confirmed"
                )
            )
        )
        for row in rows:
            for thread in s.exec(select(SlackThread).where(SlackThread.draft_id == row.id)):
                thread.draft_id = None
                s.add(thread)
            s.delete(row)
        s.commit()
        return len(rows)


def find_installation(engine: Engine, team_id: str) -> SlackInstallation | None:
    with _session(read_only(engine)) as s:
        return s.exec(select(SlackInstallation).where(SlackInstallation.team_id == team_id)).first()


def bot_token_for_org(engine: Engine, org_id: int) -> str | None:
    """The bot token of the Slack workspace the organisation installed the app in most
    recently; None when it installed none."""
    with _session(read_only(engine)) as s:
        row = s.exec(
            select(SlackInstallation)
            .where(
                SlackInstallation.org_id == org_id, col(SlackInstallation.bot_token).is_not(None)
            )
            .order_by(col(SlackInstallation.installed_at).desc(), col(SlackInstallation.id).desc())
        ).first()
        return row.bot_token if row is not None else None


def save_installation(
    engine: Engine,
    *,
    org_id: int,
    team_id: str,
    bot_user_id: str | None,
    bot_token: str | None,
    now: datetime,
    installed_by: int | None = None,
) -> SlackInstallation:
    """Map the workspace to the organisation (again: a reinstall's new token), with an audit
    entry naming the admin who installed it (`installed_by`) in the same transaction."""
    with _session(engine) as s:
        found = s.exec(
            select(SlackInstallation).where(SlackInstallation.team_id == team_id)
        ).first()
        row = found or SlackInstallation(org_id=org_id, team_id=team_id, installed_at=now)
        row.org_id, row.bot_user_id, row.bot_token = org_id, bot_user_id, bot_token
        s.add(row)
        s.add(
            AuditEntry(
                org_id=org_id,
                actor_user_id=installed_by,
                action="slack_install",
                at=now,
                changes={"team_id": team_id, "reinstalled": found is not None},
            )
        )
        s.commit()
        return row


def remove_installation(engine: Engine, team_id: str, now: datetime) -> bool:
    """Forget a workspace that removed the app (Slack says so): its mapping and bot token
    go, with an audit entry by the service itself. False when it was not installed."""
    with _session(engine) as s:
        row = s.exec(select(SlackInstallation).where(SlackInstallation.team_id == team_id)).first()
        if row is None:
            return False
        s.delete(row)
        s.add(
            AuditEntry(
                org_id=row.org_id,
                actor_user_id=None,
                action="slack_uninstall",
                at=now,
                changes={"team_id": team_id},
            )
        )
        s.commit()
        return True


def user_for_slack(engine: Engine, org_id: int, slack_user_id: str, email: str | None) -> User:
    """The organisation's user linked to a Slack user; linked on first sight by profile email
    (only that first sight writes: every later message of the user only reads)."""
    linked = select(User).where(User.org_id == org_id, User.slack_user_id == slack_user_id)
    with _session(read_only(engine)) as s:
        user = s.exec(linked).first()
    if user is not None:
        return user
    with _session(engine) as s:
        user = s.exec(linked).first()
        if user is not None:
            return user
        if email:
            user = s.exec(
                select(User).where(User.org_id == org_id, col(User.email) == email.lower())
            ).first()
        if user is None:
            raise NotFound(
                "Your Slack account is not linked to a skilltick user of this "
                "organisation; ask an admin to add your email (`skilltick users add EMAIL "
                "--org ORG`, or Add a user on the dashboard's Admin page)."
            )
        user.slack_user_id = slack_user_id
        s.add(user)
        s.commit()
        return user


def first_sighting(engine: Engine, event_id: str, now: datetime) -> bool:
    """Record a Slack event id; False when it was recorded before (a retry of an event that
    is being or was processed). The primary key decides, so concurrent retries agree."""
    with _session(engine) as s:
        s.add(SlackEventSeen(event_id=event_id[:64], received_at=now))
        try:
            s.commit()
        except IntegrityError:
            return False
        return True


def prune_slack_events(engine: Engine, before: datetime) -> int:
    """Forget event ids recorded before `before` (Slack stops retrying within the hour)."""
    with _session(engine) as s:
        count = s.exec(
            delete(SlackEventSeen).where(col(SlackEventSeen.received_at) < before)
        ).rowcount
        s.commit()
        return int(count or 0)


def conversation_held(engine: Engine, *, org_id: int, key: str, now: datetime) -> bool:
    """True when anyone of the organisation holds a live conversation under `key` (in Slack,
    a thread the bot answered in: replies there are for the bot)."""
    with _session(read_only(engine)) as s:
        return (
            s.exec(
                select(ConversationState.id).where(
                    ConversationState.org_id == org_id,
                    ConversationState.conv_key == key,
                    col(ConversationState.expires_at) > now,
                )
            ).first()
            is not None
        )


_STATES = ConversationState.__table__  # type: ignore[attr-defined]
_ONE_STATE = (
    (_STATES.c.org_id == bindparam("key_org"))
    & (_STATES.c.user_id == bindparam("key_user"))
    & (_STATES.c.conv_key == bindparam("key_conv"))
)
# every turn reads and writes its conversation's state: plain statements built once (the
# engine's compiled cache keeps them), without an ORM session and its identity map
_LOAD_STATE = select(_STATES.c.state, _STATES.c.expires_at).where(_ONE_STATE)
_UPDATE_STATE = (
    update(_STATES)
    .where(_ONE_STATE)
    .values(
        state=bindparam("new_state"),
        updated_at=bindparam("new_updated_at"),
        expires_at=bindparam("new_expires_at"),
    )
)


def _state_key(org_id: int, user_id: int, key: str) -> dict[str, Any]:
    return {"key_org": org_id, "key_user": user_id, "key_conv": key}


def load_state(
    engine: Engine, *, org_id: int, user_id: int, key: str, now: datetime
) -> dict[str, Any]:
    """The state of one person's conversation; empty when new or expired."""
    with read_only(engine).connect() as conn:
        row = conn.execute(_LOAD_STATE, _state_key(org_id, user_id, key)).first()
        conn.rollback()
    if row is None or row.expires_at <= now:
        return {}
    return dict(row.state)


def save_state(
    engine: Engine,
    *,
    org_id: int,
    user_id: int,
    key: str,
    state: dict[str, Any],
    now: datetime,
    ttl: timedelta,
) -> None:
    """Remember `state` for `ttl` from `now` (each message starts the TTL again)."""
    if len(key) > 200:
        raise InvalidInput("A conversation key has at most 200 characters.")
    values = {"new_state": dict(state), "new_updated_at": now, "new_expires_at": now + ttl}
    with engine.begin() as conn:
        # one statement for the usual case (the conversation goes on); a new one is inserted
        if not conn.execute(_UPDATE_STATE, {**_state_key(org_id, user_id, key), **values}).rowcount:
            conn.execute(
                insert(_STATES).values(
                    org_id=org_id,
                    user_id=user_id,
                    conv_key=key,
                    state=dict(state),
                    updated_at=now,
                    expires_at=now + ttl,
                )
            )


def prune_states(engine: Engine, now: datetime) -> int:
    """Forget conversations nobody spoke in for their TTL."""
    with _session(engine) as s:
        rows = list(
            s.exec(select(ConversationState).where(col(ConversationState.expires_at) <= now))
        )
        for row in rows:
            s.delete(row)
        s.commit()
        return len(rows)
