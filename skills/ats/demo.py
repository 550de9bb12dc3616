"""DemoAts: the AtsReader and AtsWriter over the demo tables in the product's database.

One class made of focused query classes (pipeline, hiring, people, activities, records, writes), each
scoped to the organisation; DemoAts adds nothing of its own, so each method's SQL lives with the
reads it resembles and the protocol (skills.ats.reader) documents what each one answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from skills.ats.demo_activities import ActivityQueries
from skills.ats.demo_hiring import HiringQueries
from skills.ats.demo_people import PeopleQueries
from skills.ats.demo_pipeline import PipelineQueries
from skills.ats.demo_records import RecordQueries
from skills.ats.demo_writes import AtsWrites


@dataclass(frozen=True)
class DemoAts(
    PipelineQueries, HiringQueries, PeopleQueries, ActivityQueries, RecordQueries, AtsWrites
):
    """One organisation's demo ATS: DemoAts(engine, org_id)."""
