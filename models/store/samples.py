"""What testing an event automation runs on: the latest event of its type that passes its
filter, or else a sample built from the organisation's ATS records (the newest application,
interview or offer), each with a sentence saying which it is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import desc
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.engine import read_only
from models.tables.demo_ats import AtsApplication, AtsCandidate, AtsInterview, AtsJob, AtsOffer
from models.tables.events import EventInbox

#: how many recent events of the type are read looking for one that passes the filter
RECENT_EVENTS = 200


@dataclass(frozen=True)
class SampleInput:
    trigger_data: dict[str, Any]
    source: str  # in words: "the latest matching event (#12, candidate.stage_changed)"


def latest_matching_event(
    engine: Engine,
    org_id: int,
    event_type: str,
    accepts: Callable[[dict[str, Any]], bool],
) -> SampleInput | None:
    with Session(read_only(engine)) as s:
        rows = s.exec(
            select(EventInbox)
            .where(
                col(EventInbox.org_id) == org_id,
                col(EventInbox.event_type) == event_type,
                col(EventInbox.duplicate_of).is_(None),
            )
            .order_by(desc(col(EventInbox.id)))
            .limit(RECENT_EVENTS)
        ).all()
    for event in rows:
        if not accepts(event.data):
            continue
        data = {
            **event.data,
            "event": event.event_type,
            "event_id": event.id,
            "provider": event.provider,
            "chain_depth": event.chain_depth,
        }
        return SampleInput(data, f"the latest matching event (#{event.id}, {event_type})")
    return None


def sample_from_ats(
    engine: Engine, org_id: int, event_type: str, accepts: Callable[[dict[str, Any]], bool]
) -> SampleInput | None:
    """A stand-in event built from the newest ATS record it would be about."""
    subject = event_type.split(".", 1)[0]
    with Session(read_only(engine)) as s:
        if subject == "interview":
            interview = s.exec(
                select(AtsInterview)
                .where(col(AtsInterview.org_id) == org_id)
                .order_by(desc(col(AtsInterview.starts_at)))
                .limit(1)
            ).first()
            if interview is None:
                return None
            data: dict[str, Any] = {
                "interview_id": interview.id,
                "candidate_id": interview.candidate_id,
                "application_id": interview.application_id,
            }
            what = f"interview #{interview.id}"
        elif subject == "offer":
            offer = s.exec(
                select(AtsOffer)
                .where(col(AtsOffer.org_id) == org_id)
                .order_by(desc(col(AtsOffer.id)))
                .limit(1)
            ).first()
            if offer is None:
                return None
            data = {
                "offer_id": offer.id,
                "candidate_id": offer.candidate_id,
                "application_id": offer.application_id,
            }
            what = f"offer #{offer.id}"
        else:
            found = s.exec(
                select(AtsApplication, AtsJob, AtsCandidate.owner_id)
                .join(AtsJob, col(AtsJob.id) == col(AtsApplication.job_id))
                .join(AtsCandidate, col(AtsCandidate.id) == col(AtsApplication.candidate_id))
                .where(col(AtsApplication.org_id) == org_id)
                .order_by(desc(col(AtsApplication.stage_changed_at)))
                .limit(RECENT_EVENTS)
            ).all()
            for app, job, owner_id in found:
                data = {
                    "candidate_id": app.candidate_id,
                    "application_id": app.id,
                    "job_id": app.job_id,
                    "job": job.title,
                    "department": job.department,
                    "stage": app.stage,
                    "to_stage": app.stage,
                    "owner_id": owner_id,
                }
                if accepts(data):
                    break
            else:
                return None
            what = f"candidate {data['candidate_id']}'s application #{data['application_id']}"
    data["event"] = event_type
    return SampleInput(data, f"a sample built from {what} (no matching event has arrived yet)")
