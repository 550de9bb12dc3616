"""A local Greenhouse Harvest v1 peer: Basic auth with the API key as the user name, `per_page`
and `page` with an RFC 5988 Link header, `updated_after` filtering (`last_activity_after` for
applications), and faults on demand (429 with Retry-After, 500s after N requests). It serves a generated organisation: users, jobs with
their stages, candidates, applications over those stages, scheduled interviews and offers,
with the documented JSON shapes. Run it with bench.kit.peers.local_http.serve(peer.handle).
"""

from __future__ import annotations

import random
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.kit.peers.api_peer import ApiPeer
from bench.kit.peers.local_http import Reply

STAGES = ("Application Review", "Phone Screen", "Face to Face", "Offer")
#: applications have no `updated_at`: Harvest filters them by `last_activity_after`
SINCE_FIELDS = {"applications": ("last_activity_after", "last_activity_at")}
LISTINGS = ("users", "jobs", "candidates", "applications", "scheduled_interviews", "offers")


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@dataclass
class HarvestPeer(ApiPeer):
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    stages: dict[int, list[dict[str, Any]]] = field(default_factory=dict)

    # --- the organisation -------------------------------------------------------------------

    @classmethod
    def generated(
        cls, api_key: str, now: datetime, *, seed: int = 7, candidates: int = 40
    ) -> HarvestPeer:
        rng, peer = random.Random(seed), cls(api_key)
        at = now - timedelta(days=60)
        users = [
            {
                "id": 100 + n,
                "name": name,
                "first_name": name.split()[0],
                "last_name": name.split()[1],
                "primary_email_address": f"{name.split()[0].lower()}@acme.test",
                "emails": [f"{name.split()[0].lower()}@acme.test"],
                "disabled": False,
                "site_admin": n == 0,
                "created_at": iso(at),
                "updated_at": iso(at),
            }
            for n, name in enumerate(["Ada Admin", "Max Member", "Rita Recruiter", "Hank Manager"])
        ]
        jobs: list[dict[str, Any]] = []
        stage_id = 5000
        for n, (title, dept, city) in enumerate(
            [
                ("Backend Engineer", "Engineering", "Berlin"),
                ("Product Designer", "Design", "London"),
                ("Account Executive", "Sales", "New York, NY"),
            ]
        ):
            job_id = 200 + n
            names = list(STAGES) if n != 1 else [*STAGES[:2], "Take Home Test", *STAGES[2:]]
            peer.stages[job_id] = []
            for priority, name in enumerate(names):
                stage_id += 1
                peer.stages[job_id].append(
                    {
                        "id": stage_id,
                        "name": name,
                        "active": True,
                        "job_id": job_id,
                        "priority": priority,
                        "created_at": iso(at),
                        "updated_at": iso(at),
                        "interviews": [],
                    }
                )
            jobs.append(
                {
                    "id": job_id,
                    "name": title,
                    "requisition_id": f"REQ-{n}",
                    "status": "open",
                    "confidential": False,
                    "created_at": iso(at),
                    "opened_at": iso(at),
                    "closed_at": None,
                    "updated_at": iso(at),
                    "departments": [{"id": 300 + n, "name": dept, "parent_id": None}],
                    "offices": [{"id": 400 + n, "name": city, "location": {"name": city}}],
                    "hiring_team": {
                        "hiring_managers": [
                            {"id": 103, "name": "Hank Manager", "responsible": False}
                        ],
                        "recruiters": [{"id": 102, "name": "Rita Recruiter", "responsible": True}],
                        "coordinators": [],
                        "sourcers": [],
                    },
                }
            )
        people: list[dict[str, Any]] = []
        applications: list[dict[str, Any]] = []
        interviews: list[dict[str, Any]] = []
        offers: list[dict[str, Any]] = []
        firsts = ["Ana", "Ben", "Caro", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun"]
        lasts = ["Berg", "Costa", "Diaz", "Eze", "Fox", "Gill", "Hart", "Ito"]
        for n in range(candidates):
            person_id, created = 10_000 + n, at + timedelta(hours=rng.randint(0, 1000))
            first, last = firsts[n % len(firsts)], lasts[(n * 3) % len(lasts)]
            app_ids = []
            for job in rng.sample(jobs, 2 if n % 7 == 0 else 1):
                app_id = 50_000 + len(applications)
                app_ids.append(app_id)
                stage = rng.choice(peer.stages[job["id"]])
                status = rng.choices(["active", "rejected", "hired"], [8, 2, 1])[0]
                applications.append(
                    {
                        "id": app_id,
                        "candidate_id": person_id,
                        "prospect": False,
                        "applied_at": iso(created),
                        "rejected_at": iso(created + timedelta(days=3))
                        if status == "rejected"
                        else None,
                        "last_activity_at": iso(created + timedelta(days=2)),
                        "source": {"id": 1, "public_name": rng.choice(["LinkedIn", "Referral"])},
                        "credited_to": {"id": 102, "name": "Rita Recruiter"},
                        "jobs": [{"id": job["id"], "name": job["name"]}],
                        "status": status,
                        "current_stage": {"id": stage["id"], "name": stage["name"]},
                    }
                )
                if stage["name"] in ("Face to Face", "Offer"):
                    starts = now + timedelta(days=rng.randint(-5, 5), hours=rng.randint(0, 8))
                    interviews.append(
                        {
                            "id": 70_000 + len(interviews),
                            "application_id": app_id,
                            "start": {"date_time": iso(starts)},
                            "end": {"date_time": iso(starts + timedelta(hours=1))},
                            "location": None,
                            "status": "scheduled" if starts > now else "complete",
                            "created_at": iso(created),
                            "updated_at": iso(created + timedelta(days=2)),
                            "interview": {"id": 1, "name": "Face to Face"},
                            "interviewers": [
                                {
                                    "id": 103,
                                    "name": "Hank Manager",
                                    "email": "hank@acme.test",
                                    "scorecard_id": 9 if starts < now else None,
                                }
                            ],
                        }
                    )
                # a hire accepted its offer a day or so after applying; the application's
                # last activity (two days on) is later, as a note after a hire makes it. Half
                # of the hires (odd ids) have no offer in Greenhouse.
                hired = created + timedelta(hours=20 + app_id % 23)
                if status == "hired" and app_id % 2:
                    offers.append(
                        {
                            "id": 80_000 + len(offers),
                            "version": 1,
                            "application_id": app_id,
                            "job_id": job["id"],
                            "candidate_id": person_id,
                            "created_at": iso(created),
                            "updated_at": iso(hired),
                            "sent_at": iso(created)[:10],
                            "resolved_at": iso(hired),
                            "starts_at": (now + timedelta(days=30)).date().isoformat(),
                            "status": "accepted",
                        }
                    )
                elif stage["name"] == "Offer":
                    offers.append(
                        {
                            "id": 80_000 + len(offers),
                            "version": 1,
                            "application_id": app_id,
                            "job_id": job["id"],
                            "candidate_id": person_id,
                            "created_at": iso(created),
                            "updated_at": iso(created + timedelta(days=2)),
                            "sent_at": iso(created)[:10],
                            "resolved_at": None,
                            "starts_at": (now + timedelta(days=30)).date().isoformat(),
                            "status": "unresolved",
                        }
                    )
            people.append(
                {
                    "id": person_id,
                    "first_name": first,
                    "last_name": last,
                    "company": "Initech",
                    "title": "Engineer",
                    "created_at": iso(created),
                    "updated_at": iso(created + timedelta(days=2)),
                    "last_activity": iso(created + timedelta(days=2)),
                    "is_private": False,
                    "application_ids": app_ids,
                    "phone_numbers": [{"value": f"+1 555 01{n:02d}", "type": "mobile"}],
                    "addresses": [{"value": "Springfield", "type": "home"}],
                    "email_addresses": [
                        {"value": f"{first}.{last}{n}@example.org".lower(), "type": "personal"}
                    ],
                    "recruiter": {"id": 102, "name": "Rita Recruiter"},
                    "coordinator": None,
                    "applications": [a for a in applications if a["candidate_id"] == person_id],
                    "tags": [],
                }
            )
        peer.records = {
            "users": users,
            "jobs": jobs,
            "candidates": people,
            "applications": applications,
            "scheduled_interviews": interviews,
            "offers": offers,
        }
        return peer

    # --- changes a test makes ----------------------------------------------------------------

    def move(self, application_id: int, stage: str, at: datetime) -> None:
        """Move an application to another stage of its job, as a recruiter would."""
        with self.lock:
            app = self.find("applications", application_id)
            target = next(s for s in self.stages[app["jobs"][0]["id"]] if s["name"] == stage)
            app["current_stage"] = {"id": target["id"], "name": target["name"]}
            app["last_activity_at"] = iso(at)

    def accept_offer(self, application_id: int, at: datetime) -> None:
        """The candidate accepts the application's offer (its last version)."""
        with self.lock:
            offer = [o for o in self.records["offers"] if o["application_id"] == application_id][-1]
            offer.update(status="accepted", resolved_at=iso(at), updated_at=iso(at))

    def mark_hired(self, application_id: int, at: datetime) -> None:
        """A recruiter marks the application hired (it keeps its stage)."""
        with self.lock:
            app = self.find("applications", application_id)
            app.update(status="hired", last_activity_at=iso(at))

    def delete_candidate(self, candidate_id: int) -> None:
        with self.lock:
            self.records["candidates"] = [
                c for c in self.records["candidates"] if c["id"] != candidate_id
            ]

    def find(self, listing: str, record_id: int) -> dict[str, Any]:
        return next(r for r in self.records[listing] if r["id"] == record_id)

    # --- the wire ---------------------------------------------------------------------------

    def refusal(self, status: int) -> Any:
        messages = {
            401: "Invalid Basic Auth credentials",
            404: "Resource not found",
            429: "Rate limit exceeded",
            500: "Internal Server Error",
        }
        return {"message": messages.get(status, "Error")}

    def answer(self, parts: list[str], query: str, headers: dict[str, str]) -> Reply:
        host = headers.get("host", "127.0.0.1")  # the next page's link names it
        return self._answer(parts, dict(urllib.parse.parse_qsl(query)), host)

    def _answer(self, parts: list[str], query: dict[str, str], host: str) -> Reply:
        listing = parts[0]
        if listing not in self.records:
            return self.json_reply(404, {"message": "Resource not found"})
        if len(parts) == 3 and listing == "jobs" and parts[2] == "stages":
            stages = self.stages.get(int(parts[1]))
            return self.json_reply(200, stages) if stages is not None else self.json_reply(404, {})
        if len(parts) == 2:
            found = [r for r in self.records[listing] if str(r["id"]) == parts[1]]
            return (
                self.json_reply(200, found[0])
                if found
                else self.json_reply(404, {"message": "Resource not found"})
            )
        rows = self.records[listing]
        # the documented filter of each listing; another is ignored, as Harvest ignores it
        field = SINCE_FIELDS.get(listing, ("updated_after", "updated_at"))
        if field[0] in query:
            since = _parse(query[field[0]])
            rows = [r for r in rows if _parse(r[field[1]]) >= since]
        per_page, page = int(query.get("per_page", 100)), int(query.get("page", 1))
        chunk = rows[(page - 1) * per_page : page * per_page]
        links = []
        if page * per_page < len(rows):
            following = urllib.parse.urlencode({**query, "page": str(page + 1)})
            links.append(f'<http://{host}/v1/{listing}?{following}>; rel="next"')
        last = urllib.parse.urlencode({**query, "page": str(max(1, -(-len(rows) // per_page)))})
        links.append(f'<http://{host}/v1/{listing}?{last}>; rel="last"')
        return self.json_reply(200, chunk, Link=", ".join(links))
