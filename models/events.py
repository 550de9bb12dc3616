"""Tables for triggers (issue: Triggers): ATS connections, the raw event inbox, poll snapshots,
relative occurrences. Empty until that work lands."""
