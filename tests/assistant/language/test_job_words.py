"""A change narrowing a skill's jobs is read against the ATS's titles: a word in several titles
takes them all, an exact title takes it, a word in none is asked about naming the titles."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.language.clock_words import Text
from assistant.language.event_words import read_events
from assistant.language.job_words import read_jobs, takes_jobs
from skills.builtin import default_registry
from tests.examples import examples

SPECS = default_registry().specs()
FIELDS = ("Engineer", "Analyst", "Designer", "Manager", "Scientist", "Recruiter")
LEVELS = ("Backend", "Frontend", "Data", "Product", "Senior", "Staff")
FRAMES = (
    "only for the {} jobs",
    "just the {} role",
    "for {} roles",
    "only {} positions",
    "just for {} openings",
)

titles_strategy = st.lists(
    st.tuples(st.sampled_from(LEVELS), st.sampled_from(FIELDS)).map(" ".join),
    min_size=1,
    max_size=8,
    unique=True,
)


@settings(max_examples=examples(300), deadline=None)
@given(titles=titles_strategy, frame=st.sampled_from(FRAMES), data=st.data())
def test_a_word_takes_every_title_it_is_in(
    titles: list[str], frame: str, data: st.DataObject
) -> None:
    word = data.draw(st.sampled_from(FIELDS + LEVELS))
    expected = [t for t in titles if word in t.split()]
    said = read_jobs(frame.format(word.lower()), titles)
    assert said is not None
    if expected:
        assert said.question is None and list(said.titles) == expected
    else:
        assert said.question is not None and said.titles == ()
        assert all(t in said.question for t in titles)


@settings(max_examples=examples(120), deadline=None)
@given(titles=titles_strategy, frame=st.sampled_from(FRAMES), data=st.data())
def test_an_exact_title_takes_that_job(titles: list[str], frame: str, data: st.DataObject) -> None:
    title = data.draw(st.sampled_from(titles))
    said = read_jobs(frame.format(title), titles)
    assert said is not None and said.titles == (title,)


def test_forms_of_a_word_and_which_skills_take_jobs() -> None:
    titles = ["Backend Engineer", "Frontend Engineer", "Data Analyst"]
    assert read_jobs("only for the engineering jobs", titles).titles == tuple(titles[:2])  # type: ignore[union-attr]
    assert read_jobs("move it to 8am", titles) is None
    assert read_jobs("send it to the team", titles) is None
    declared = {
        name
        for name, spec in SPECS.items()
        if "jobs" in spec.params and spec.params["jobs"].type == "list"
    }
    assert {
        n for n in SPECS if takes_jobs(n, SPECS)
    } == declared and "new-candidate-alert" in declared
    assert not re.search("Engineer", read_jobs("only for the plumbing jobs", titles).said)  # type: ignore[union-attr]


JOINERS = (" and ", " or ", ", ")


@settings(max_examples=examples(150), deadline=None)
@given(
    titles=titles_strategy.filter(lambda t: len(t) >= 2),
    frame=st.sampled_from(FRAMES[:2]),
    data=st.data(),
)
def test_several_titles_said_take_each(titles: list[str], frame: str, data: st.DataObject) -> None:
    """ "only for the Backend Engineer and Data Analyst jobs": each title named is taken, in a
    change (read against the titles) and in a new request's event alike."""
    named = data.draw(st.lists(st.sampled_from(titles), min_size=2, max_size=3, unique=True))
    joiner = data.draw(st.sampled_from(JOINERS))
    listed = joiner.join(named)
    said = read_jobs(frame.format(listed), titles)
    assert said is not None and said.titles == tuple(named), listed
    facts = read_events(Text(f"when someone applies for the {listed} jobs, email me"))
    assert facts.filters["job"] == named, listed
