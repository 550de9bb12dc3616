"""Tables for the assistant (issue: Assistant): drafts awaiting confirmation, Slack
installations and threads. Empty until that work lands."""
