"""Delivery channels (email over SMTP or the local outbox, Slack, signed webhooks, the in-app
inbox, noop) and `deliver`, which sends an occurrence's output to each recipient at most once."""

from worker.delivery.base import Channel, Message, Recipient, message_id_for, recipient_key
from worker.delivery.deliver import DeliveryOutcome, deliver
from worker.delivery.email import OutboxChannel, SmtpChannel, build_email, email_channel
from worker.delivery.inapp import InAppChannel
from worker.delivery.noop import NoopChannel
from worker.delivery.slack import SlackChannel
from worker.delivery.webhook import WebhookChannel

__all__ = [
    "Channel",
    "DeliveryOutcome",
    "InAppChannel",
    "Message",
    "NoopChannel",
    "OutboxChannel",
    "Recipient",
    "SlackChannel",
    "SmtpChannel",
    "WebhookChannel",
    "build_email",
    "deliver",
    "email_channel",
    "message_id_for",
    "recipient_key",
]
