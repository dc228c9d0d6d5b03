"""Structured JSON logs that never hold a message text or a person's identity in clear.

Log lines carry a request id, so one message can be followed through the
process, and a keyed hash (:class:`Pseudonyms`) instead of user ids: the same
person gets the same pseudonym, but it cannot be turned back into a phone
number or chat id without the key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

request_id: ContextVar[str] = ContextVar("request_id", default="-")

_STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line; extra fields given with ``extra={...}`` become keys."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id.get(),
        }
        entry.update({key: value for key, value in vars(record).items() if key not in _STANDARD_ATTRIBUTES})
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO") -> None:
    """Send every log line, the server's own included, as JSON to standard error."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "httpx", "telegram", "apscheduler"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    # httpx logs full request URLs, which for the Bot API contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)


class Pseudonyms:
    """Keyed hashes of user ids for logs."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def __call__(self, user: str) -> str:
        return hmac.new(self._key, user.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:16]


def load_log_key(configured: str | None, data_dir: Path) -> bytes:
    """The configured key, or one made once and kept (readable by this user only) in the data directory."""
    if configured:
        return configured.encode()
    path = data_dir / "log.key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as stream:
            stream.write(secrets.token_hex(32))
    return path.read_text().strip().encode()
