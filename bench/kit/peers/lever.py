"""A local Lever API v1 peer: Basic auth with the API key as the user name, list answers
`{"data": [...], "hasNext": ..., "next": "<token>"}` with `limit` and `offset=<token>`,
`updated_at_start` (milliseconds) on opportunities, `expand=applications`, and faults on
demand (429 with Retry-After, 500s after N requests, 401 for another key). It serves a
generated account: users, the pipeline's stages, archive reasons, postings, opportunities (some
contacts with two, some leads in no posting) and their interviews, with the documented JSON
shapes. Run it with bench.kit.peers.local_http.serve(peer.handle).
"""

from __future__ import annotations

import base64
import random
import urllib.parse
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.kit.peers.api_peer import ApiPeer
from bench.kit.peers.local_http import Reply

STAGES = ("New applicant", "Recruiter screen", "Phone interview", "On-site interview", "Offer")
LISTINGS = ("users", "stages", "archive_reasons", "postings", "opportunities")
HIRED_REASON, REJECTED_REASONS = "ar-hired", ("ar-underqualified", "ar-withdrew")


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _uid(kind: str, n: int) -> str:
    """A UUID-shaped id, stable for a kind and a number."""
    return f"{zlib.crc32(kind.encode()):08x}-0000-4000-8000-{n:012d}"


@dataclass
class LeverPeer(ApiPeer):
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    interviews: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    offers: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    # --- the account ------------------------------------------------------------------------

    @classmethod
    def generated(
        cls, api_key: str, now: datetime, *, seed: int = 11, contacts: int = 30
    ) -> LeverPeer:
        rng, peer = random.Random(seed), cls(api_key)
        at = now - timedelta(days=60)
        names = ["Ada Admin", "Max Member", "Rita Recruiter", "Hank Manager"]
        users = [
            {
                "id": _uid("user", n),
                "name": name,
                "username": name.split()[0].lower(),
                "email": f"{name.split()[0].lower()}@acme.test",
                "accessRole": "super admin" if n == 0 else "team member",
                "createdAt": ms(at),
                "deactivatedAt": None,
            }
            for n, name in enumerate(names)
        ]
        rita, hank = users[2]["id"], users[3]["id"]
        stages = [{"id": _uid("stage", n), "text": name} for n, name in enumerate(STAGES)]
        reasons = [
            {"id": HIRED_REASON, "text": "Hired", "status": "active", "type": "hired"},
            {"id": REJECTED_REASONS[0], "text": "Underqualified", "status": "active",
             "type": "non-hired"},
            {"id": REJECTED_REASONS[1], "text": "Withdrew", "status": "active",
             "type": "non-hired"},
        ]  # fmt: skip
        postings: list[dict[str, Any]] = [
            {
                "id": _uid("posting", n),
                "text": title,
                "createdAt": ms(at),
                "updatedAt": ms(at),
                "state": "published" if n != 2 else "internal",
                "confidentiality": "non-confidential",
                "user": rita,
                "owner": rita,
                "hiringManager": hank,
                "categories": {"team": team, "department": dept, "location": city,
                               "commitment": "Full-time"},
                "tags": [],
            }
            for n, (title, team, dept, city) in enumerate(
                [
                    ("Backend Engineer", "Platform", "Engineering", "Berlin"),
                    ("Product Designer", "Design", "", "London"),
                    ("Account Executive", "Sales", "Sales", "New York, NY"),
                ]
            )
        ]  # fmt: skip
        firsts = ["Ana", "Ben", "Caro", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun"]
        lasts = ["Berg", "Costa", "Diaz", "Eze", "Fox", "Gill", "Hart", "Ito"]
        opportunities: list[dict[str, Any]] = []
        for n in range(contacts):
            contact, created = _uid("contact", n), at + timedelta(hours=rng.randint(0, 1000))
            name = f"{firsts[n % len(firsts)]} {lasts[(n * 3) % len(lasts)]}"
            chosen = rng.sample(postings, 2 if n % 7 == 0 else 1) if n % 9 != 4 else [None]
            for posting in chosen:
                opp_id = _uid("opportunity", len(opportunities))
                stage = rng.choice(stages)
                status = rng.choices(["active", "rejected", "hired"], [8, 2, 1])[0]
                archived = None
                if status != "active":
                    reason = HIRED_REASON if status == "hired" else rng.choice(REJECTED_REASONS)
                    archived = {"archivedAt": ms(created + timedelta(days=3)), "reason": reason}
                applications = []
                if posting is not None:
                    applications.append(
                        {
                            "id": _uid("application", len(opportunities)),
                            "opportunityId": opp_id,
                            "candidateId": opp_id,
                            "createdAt": ms(created),
                            "type": "posting",
                            "posting": posting["id"],
                            "postingOwner": rita,
                            "postingHiringManager": hank,
                        }
                    )
                advanced = created + timedelta(days=1)
                opportunities.append(
                    {
                        "id": opp_id,
                        "name": name,
                        "headline": "Initech, Globex",
                        "contact": contact,
                        "stage": stage["id"],
                        "stageChanges": [
                            {"toStageId": stage["id"], "toStageIndex": stages.index(stage),
                             "updatedAt": ms(advanced), "userId": rita},
                        ],
                        "confidentiality": "non-confidential",
                        "location": "Springfield",
                        "phones": [{"type": "mobile", "value": f"+1 555 01{n:02d}"}],
                        "emails": [f"{name.replace(' ', '.')}{n}@example.org".lower()],
                        "links": [],
                        "archived": archived,
                        "tags": [],
                        "sources": [rng.choice(["LinkedIn", "Referral"])],
                        "origin": "applied",
                        "owner": rita,
                        "followers": [rita],
                        "applications": applications,
                        "createdAt": ms(created),
                        "updatedAt": ms(created + timedelta(days=2)),
                        "lastInteractionAt": ms(created + timedelta(days=2)),
                        "lastAdvancedAt": ms(advanced),
                        "snoozedUntil": None,
                        "isAnonymized": False,
                    }
                )  # fmt: skip
                peer.interviews[opp_id] = []
                if posting is not None and stage["text"] in ("On-site interview", "Offer"):
                    starts = now + timedelta(days=rng.randint(-5, 5), hours=rng.randint(0, 8))
                    peer.interviews[opp_id].append(
                        {
                            "id": _uid("interview", sum(map(len, peer.interviews.values()))),
                            "panel": _uid("panel", n),
                            "subject": "On-site interview",
                            "note": "",
                            "interviewers": [{"id": hank, "name": "Hank Manager",
                                              "email": "hank@acme.test"}],
                            "timezone": "Europe/Berlin",
                            "createdAt": ms(created),
                            "date": ms(starts),
                            "duration": 45,
                            "location": "Room 4",
                            "feedbackTemplate": "ft-1",
                            "feedbackForms": ["ff-1"] if starts < now else [],
                            "feedbackReminder": "frequently",
                            "user": rita,
                            "stage": stage["id"],
                            "canceledAt": None,
                            "postings": [posting["id"]],
                        }
                    )  # fmt: skip
        peer.records = {
            "users": users,
            "stages": stages,
            "archive_reasons": reasons,
            "postings": postings,
            "opportunities": opportunities,
        }
        peer.add_offers(random.Random(seed + 1), now, str(rita))
        return peer

    def add_offers(self, rng: random.Random, now: datetime, creator: str) -> None:
        """An offer, in any of Lever's offer statuses, for each candidacy in the Offer stage or
        hired (their own random numbers: the rest of the account stays as it was)."""
        statuses = ("draft", "approval-sent", "approved", "sent", "sent-manually", "opened",
                    "denied", "signed")  # fmt: skip
        for opp in self.records_in_pipeline():
            hired = (opp["archived"] or {}).get("reason") == HIRED_REASON
            if not hired and self.stage_of(opp) != "Offer":
                continue
            status = "signed" if hired else rng.choice(statuses)
            created = datetime.fromtimestamp(opp["createdAt"] / 1000, tz=UTC) + timedelta(days=2)
            start = now + timedelta(days=rng.randint(10, 40))
            self.offers[opp["id"]] = [self._offer(opp, status, created, start, creator)]

    def _offer(
        self, opp: dict[str, Any], status: str, created: datetime, start: datetime, creator: str
    ) -> dict[str, Any]:
        document = {"fileName": "offer.pdf", "uploadedAt": ms(created), "downloadUrl": ""}
        signed = {**document, "uploadedAt": ms(created + timedelta(days=1))}
        return {
            "id": _uid("offer", sum(map(len, self.offers.values()))),
            "posting": opp["applications"][0]["posting"],
            "createdAt": ms(created),
            "status": status,
            "creator": creator,
            "fields": [
                {"text": "Anticipated start date", "identifier": "anticipated_start_date",
                 "value": ms(start)},
                {"text": "Salary", "identifier": "salary_amount", "value": 90000},
            ],
            "sentDocument": document if status not in ("draft", "approval-sent", "approved")
            else None,
            "signedDocument": signed if status == "signed" else None,
        }  # fmt: skip

    def records_in_pipeline(self) -> list[dict[str, Any]]:
        return [o for o in self.records.get("opportunities", []) if o["applications"]]

    def stage_of(self, opp: dict[str, Any]) -> str:
        return self.stage_name(opp["stage"])

    # --- changes a test makes ----------------------------------------------------------------

    def sign(self, opportunity_id: str, at: datetime) -> None:
        """The candidate signs the opportunity's offer (Lever also moves its updatedAt)."""
        with self.lock:
            offer = self.offers[opportunity_id][-1]
            offer["status"] = "signed"
            offer["signedDocument"] = {"fileName": "signed.pdf", "uploadedAt": ms(at),
                                       "downloadUrl": ""}  # fmt: skip
            self.find("opportunities", opportunity_id)["updatedAt"] = ms(at)

    def move(self, opportunity_id: str, stage: str, at: datetime) -> None:
        """Advance an opportunity to another stage, as a recruiter would."""
        with self.lock:
            opp = self.find("opportunities", opportunity_id)
            target = next(s for s in self.records["stages"] if s["text"] == stage)
            opp["stage"] = target["id"]
            opp["stageChanges"].append(
                {
                    "toStageId": target["id"],
                    "toStageIndex": self.records["stages"].index(target),
                    "updatedAt": ms(at),
                    "userId": opp["owner"],
                }
            )
            opp["lastAdvancedAt"] = opp["updatedAt"] = ms(at)

    def stage_name(self, stage_id: str) -> str:
        return next(s["text"] for s in self.records["stages"] if s["id"] == stage_id)

    def find(self, listing: str, record_id: str) -> dict[str, Any]:
        return next(r for r in self.records[listing] if r["id"] == record_id)

    # --- the wire ---------------------------------------------------------------------------

    def refusal(self, status: int) -> Any:
        codes = {
            401: ("UnauthorizedError", "Invalid API key"),
            404: ("ResourceNotFound", "Not found"),
            429: ("TooManyRequests", "Rate limit exceeded"),
            500: ("InternalError", "Server error"),
        }
        code, message = codes.get(status, ("Error", "Error"))
        return {"code": code, "message": message}

    def answer(self, parts: list[str], query: str, headers: dict[str, str]) -> Reply:
        return self._answer(parts, urllib.parse.parse_qs(query))

    def _answer(self, parts: list[str], query: dict[str, list[str]]) -> Reply:
        missing = self.error_reply(404)
        if parts[0] not in self.records:
            return missing
        if len(parts) == 3 and parts[0] == "opportunities" and parts[2] in ("interviews", "offers"):
            kept = self.interviews if parts[2] == "interviews" else self.offers
            known = any(o["id"] == parts[1] for o in self.records["opportunities"])
            return self._page(kept.get(parts[1], []), query) if known else missing
        if len(parts) == 2:
            rows = [r for r in self.records[parts[0]] if r["id"] == parts[1]]
            return self.json_reply(200, {"data": self._shown(rows[0], query)}) if rows else missing
        rows = self.records[parts[0]]
        if parts[0] == "opportunities" and "updated_at_start" in query:
            since = int(query["updated_at_start"][0])
            rows = [r for r in rows if r["updatedAt"] >= since]
        return self._page([self._shown(r, query) for r in rows], query)

    @staticmethod
    def _shown(record: dict[str, Any], query: dict[str, list[str]]) -> dict[str, Any]:
        """Without `expand=applications` an opportunity lists its applications' ids."""
        if "applications" in record and "applications" not in query.get("expand", []):
            return {**record, "applications": [a["id"] for a in record["applications"]]}
        return record

    def _page(self, rows: list[dict[str, Any]], query: dict[str, list[str]]) -> Reply:
        limit = min(int(query.get("limit", ["100"])[0]), 100)
        token = query.get("offset", [""])[0]
        start = int(base64.urlsafe_b64decode(token).decode()) if token else 0
        chunk, end = rows[start : start + limit], start + limit
        more = end < len(rows)
        answer: dict[str, Any] = {"data": chunk, "hasNext": more}
        if more:
            answer["next"] = base64.urlsafe_b64encode(str(end).encode()).decode()
        return self.json_reply(200, answer)
