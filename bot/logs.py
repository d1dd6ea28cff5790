"""Logging set-up: the bot token never reaches a log line."""

from __future__ import annotations

import logging

REDACTED = "<token>"


class RedactToken(logging.Filter):
    """Replaces the bot token wherever it appears in a formatted record."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message with the token masked."""
        if self._token:
            message = record.getMessage()
            if self._token in message:
                record.msg = message.replace(self._token, REDACTED)
                record.args = None
        return True


def configure_logging(token: str, level: int = logging.INFO) -> None:
    """Log to stderr; httpx (which logs URLs that contain the token) only at WARNING."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactToken(token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
