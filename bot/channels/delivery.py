"""What became of replies handed to a channel for one person."""

from __future__ import annotations

from enum import StrEnum


class Delivery(StrEnum):
    SENT = "sent"
    # Outside WhatsApp's customer-service window: the approved template went out and the
    # replies follow as soon as the person writes again.
    HELD = "held"
    FAILED = "failed"
