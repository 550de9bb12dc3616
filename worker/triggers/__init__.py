"""Triggers: ATS webhooks and polls become canonical events in the inbox; the tick processes the
inbox (matching, relative schedules, runaway protection) and runs what matched. The worker
factory (worker.tick.factory) adds them to each tick. This front file loads nothing."""
