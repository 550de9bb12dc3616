"""Telling an organisation's admins that its ATS mirror stopped syncing, and that it came
back: one in-app message (their skilltick inbox) once a source has failed OUTAGE_AFTER times
in a row (or twice, more than an hour after its last good sync), none for the attempts after, and one when a sync succeeds again. The message says
what failed and what to do about it; the API key never appears in it."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from models.clock import utc
from models.errors import NotFound
from models.store.inbox import add_inbox_message
from models.store.orgs import get_org, list_users
from models.tables.ats_sync import AtsSyncSource

log = logging.getLogger(__name__)

#: failed syncs in a row that make an outage worth an admin's attention (with the worker's
#: backoff, the third comes an hour and a half after the first)
OUTAGE_AFTER = 3
#: or a second failure this long after the last good sync (a sync that runs seldom)
OUTAGE_LONGER_THAN = timedelta(hours=1)


#: the key an admin reconnects with, by vendor
_KEY_NAMES = {"greenhouse": "Harvest API key", "lever": "Lever API key"}


def _advice(error: str, vendor: str, slug: str) -> str:
    """What an admin can do about `error`, the failure's one line."""
    reconnect = (
        f"skilltick ats connect {vendor} --org {slug} --api-key-env VAR (VAR holding a new "
        f"{_KEY_NAMES.get(vendor, 'API key')} with read access)"
    )
    if "refused the API key" in error or "HTTP 401" in error or "HTTP 403" in error:
        return (
            f"{vendor.title()} no longer accepts the API key (revoked, expired or without "
            f"read access). Reconnect with a new key:\n  {reconnect}"
        )
    if "HTTP 429" in error:
        return (
            f"{vendor.title()} is limiting how fast skilltick may read (HTTP 429). skilltick "
            "keeps retrying, less often each time; if other tools share the key, give "
            f"skilltick its own:\n  {reconnect}"
        )
    return (
        f"{vendor.title()} did not answer as it should (down, or a network fault). skilltick "
        "keeps retrying, less often each time; if the address is wrong, reconnect:\n  "
        f"{reconnect} --api-url URL"
    )


def _tell_admins(
    engine: Engine, org_id: int, key: str, subject: str, text: str, now: datetime
) -> int:
    """The message in every admin's inbox, once per `key`; how many admins got it."""
    told = 0
    for admin in (u for u in list_users(engine, org_id) if u.role == "admin"):
        try:
            add_inbox_message(
                engine,
                org_id=org_id,
                user_email=admin.email,
                message_key=f"{key}:{admin.id}",
                subject=subject,
                text=text,
                html=None,
                now=now,
            )
            told += 1
        except NotFound:  # removed meanwhile
            log.info("an admin left before an ATS notice reached them")
    return told


def after_failure(
    engine: Engine, source: AtsSyncSource, failures: int, error: str, now: datetime
) -> bool:
    """A sync of `source` failed, the `failures`th in a row: from the OUTAGE_AFTER'th on (or
    the second, more than OUTAGE_LONGER_THAN after the last good sync), its admins are told,
    once for the outage (the message's key is the outage's start, the last good sync, so a
    notice that could not be stored is tried again at the next failure and a stored one is not
    repeated). True when they have been told."""
    began = source.last_synced_at or source.created_at
    lasting = failures >= 2 and utc(now) - utc(began) > OUTAGE_LONGER_THAN
    if failures < OUTAGE_AFTER and not lasting:
        return False
    slug = get_org(engine, source.org_id).slug
    since = source.last_synced_at
    text = (
        f"skilltick could not read {source.vendor.title()} for {slug}: the last "
        f"{failures} syncs failed in a row"
        + (
            f" (last good sync {since:%Y-%m-%d %H:%M} UTC)"
            if since
            else " (none has succeeded yet)"
        )
        + f".\n\nLast error: {error}\n\n{_advice(error, source.vendor, slug)}\n\n"
        "Until it syncs, automations read the records as they were at the last good sync. "
        f"`skilltick ats status --org {slug}` shows the latest attempt; you will get one more "
        "message when it syncs again."
    )
    key = f"ats-outage:{source.id}:{began:%Y%m%dT%H%M%S}"
    subject = f"{source.vendor.title()} sync is failing for {slug}"
    return _tell_admins(engine, source.org_id, key, subject, text, now) > 0


def after_success(engine: Engine, source: AtsSyncSource, now: datetime) -> bool:
    """A sync of `source` (as read before it ran) succeeded: if its admins were told of an
    outage, they are told it is over. True when they were."""
    if source.failures < OUTAGE_AFTER:
        return False
    slug = get_org(engine, source.org_id).slug
    text = (
        f"{source.vendor.title()} syncs again for {slug}: the sync at {now:%Y-%m-%d %H:%M} UTC "
        f"succeeded after {source.failures} failed in a row. Nothing more to do."
    )
    key = f"ats-recovered:{source.id}:{now:%Y%m%dT%H%M%S}"
    subject = f"{source.vendor.title()} sync recovered for {slug}"
    return _tell_admins(engine, source.org_id, key, subject, text, now) > 0
