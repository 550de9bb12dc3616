"""Delivery channels (email over SMTP or the local outbox, Slack, signed webhooks, the in-app
inbox, noop) and `deliver` (worker.delivery.deliver), which sends an occurrence's output to each
recipient at most once. Import what you need from its module; this front file loads nothing."""
