"""Tables for the recruiting skills (issue: Skills): sequences and enrolments, holidays, in-app
inbox, and what else the skills need to remember. Empty until that work lands."""
