"""What the process reports to Prometheus at ``/metrics``: counts and timings, never message content."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST


class Metrics:
    """The metrics of one process, in a registry of their own (so tests and processes never share one)."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.messages_in = Counter(
            "wegweiser_messages_in", "Messages received", ["channel", "language"], registry=self.registry
        )
        self.messages_out = Counter(
            "wegweiser_messages_out", "Replies sent", ["channel", "language"], registry=self.registry
        )
        self.nlu_latency = Histogram(
            "wegweiser_nlu_latency_seconds",
            "Time to understand one message",
            buckets=(0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0),
            registry=self.registry,
        )
        self.fallbacks = Counter("wegweiser_fallbacks", "Messages not understood", registry=self.registry)
        self.emergencies = Counter("wegweiser_emergencies", "Emergency answers given", registry=self.registry)
        self.handovers = Counter("wegweiser_handovers", "Conversations handed to a counsellor", registry=self.registry)
        self.handover_wait = Histogram(
            "wegweiser_handover_wait_seconds",
            "Time from a handover ticket's opening to a counsellor's claim",
            buckets=(60, 300, 900, 1800, 3600, 4 * 3600, 24 * 3600, 3 * 24 * 3600),
            registry=self.registry,
        )
        self.handover_queue = Gauge(
            "wegweiser_handover_queue", "Handover tickets waiting for a counsellor", ["team"], registry=self.registry
        )
        self.errors = Counter(
            "wegweiser_errors", "Messages that failed with an error", ["stage"], registry=self.registry
        )

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
