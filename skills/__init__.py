"""Skills: named units of work that automations run (pipeline-report, noop, ...).

A skill is declared by a SKILL.md (front matter + instructions) with Jinja2 templates, and its
data gathering is Python reading the ATS through `AtsReader` (skills.ats.reader). The contract
is skills.base, loading is skills.registry, the built-in set is skills.builtin. Import what you
need from its module; this front file loads nothing.
"""
