"""A channel that sends nothing and records nothing: benchmarks measure the worker, not SMTP."""

from __future__ import annotations

import threading

from worker.delivery.base import Message, Recipient


class NoopChannel:
    name: str = "noop"
    records_deliveries: bool = False
    # a send has no effect outside the database transaction that records its run (see
    # Channel.in_transaction): a run delivering here may be recorded at its claim
    in_transaction: bool = True
    # its sends go nowhere: no message id is made for them (see Channel)
    message_ids: bool = False

    def __init__(self) -> None:
        self.sent: int = 0
        # benchmarks may drive one channel from several threads; keep the count exact
        self._lock = threading.Lock()

    def send(
        self, message: Message, recipient: Recipient, *, message_id: str, org_id: int | None
    ) -> None:
        with self._lock:
            self.sent += 1
