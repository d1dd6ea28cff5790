"""Logging set-up: text or JSON lines that carry the user and hazard ids, and never the token or a phone number."""

from __future__ import annotations

import io
import json
import logging
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import IO, Literal, TextIO
from urllib.parse import quote

REDACTED_TOKEN = "<token>"
REDACTED_PHONE = "<phone>"
REDACTED_CODE = "<code>"
LogFormat = Literal["text", "json"]

# Mainland mobile numbers (11 digits from 13x to 19x, optionally +86/86) and landlines with an area code (0571-8888 8888).
_PHONE = re.compile(r"(?<![\d.])(?:(?:\+|00)?86[- ]?)?(?:1[3-9]\d{9}|0\d{2,3}[- ]?\d{7,8})(?![\d.])")

# An invite code is what follows /start in an update's text (python-telegram-bot's DEBUG log shows whole updates) or
# start= in a deep link (the DEBUG log of a sent /invite answer): anyone reading the log could bind as that person.
_INVITE = re.compile(r"(/start(?:@\w+)?(?:\s|\\n|%20|\+)+|[?&]start=)[A-Za-z0-9_-]+")

# WeCom's access tokens change every two hours, so they are masked by where they appear (a query parameter or a
# JSON field, its quotes escaped inside a JSON log line), not by value.
_ACCESS_TOKEN = re.compile(r"""(access_token(?:\\?["'])?\s*[=:]\s*(?:\\?["'])?)[A-Za-z0-9_\-.~%]+""")

_user_id: ContextVar[int | None] = ContextVar("gridsafe_user_id", default=None)
_hazard_id: ContextVar[int | None] = ContextVar("gridsafe_hazard_id", default=None)


def bind_user(user_id: int | None) -> None:
    """Tag every log line of the current task (one update, in the bot) with this Telegram user id."""
    _user_id.set(user_id)


def bind_hazard(hazard_id: int | None) -> None:
    """Tag every later log line of the current task with this hazard id."""
    _hazard_id.set(hazard_id)


class Redactor:
    """Masks the bot token, the other secrets (WeCom's), access tokens, and unless told otherwise phone numbers and
    invite codes, in text."""

    def __init__(self, token: str, *, personal: bool = True, secrets: Iterable[str] = ()) -> None:
        # As written, and as it appears inside a URL (the colon percent-encoded).
        forms = {form for secret in (token, *secrets) for form in (secret, quote(secret, safe=""), quote(secret))}
        self._forms = sorted(forms - {""}, key=len, reverse=True)
        self._personal = personal

    def __call__(self, text: str) -> str:
        """Return text with the secrets masked, and phone numbers and invite codes unless personal=False."""
        for form in self._forms:
            text = text.replace(form, REDACTED_TOKEN)
        text = _ACCESS_TOKEN.sub(lambda match: match.group(1) + REDACTED_TOKEN, text)
        if not self._personal:
            return text
        text = _INVITE.sub(lambda match: match.group(1) + REDACTED_CODE, text)
        return _PHONE.sub(REDACTED_PHONE, text)


class MaskedStream(io.TextIOBase):
    """A text stream that passes every line on to another with secrets masked (whole lines: a secret is never split)."""

    def __init__(self, target: TextIO, redact: Callable[[str], str]) -> None:
        super().__init__()
        self._target = target
        self._redact = redact
        self._partial = ""

    def write(self, text: str) -> int:
        """Pass on the complete lines, masked; keep the unfinished one."""
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()
        if lines:
            self._target.write(self._redact("\n".join(lines) + "\n"))
        return len(text)

    def flush(self) -> None:
        """Pass on the unfinished line too, masked."""
        if self._partial:
            self._target.write(self._redact(self._partial))
            self._partial = ""
        self._target.flush()

    def writable(self) -> bool:
        """Always."""
        return True

    def isatty(self) -> bool:
        """As the target."""
        return self._target.isatty()

    def fileno(self) -> int:
        """The target's file descriptor."""
        return self._target.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        """The target's encoding."""
        return self._target.encoding


@contextmanager
def masked_output(token: str, secrets: Iterable[str] = ()) -> Iterator[None]:
    """While inside, every line written to stdout and stderr has the token masked (restored afterwards).

    The logging handler masks log lines, but a CLI error, a traceback or a warning is printed to stderr directly:
    wrapping the streams covers every line the program writes through Python, whoever writes it. Phone numbers and
    invite codes are left as they are here: the operator's own output names them on purpose (an invite link, a
    roster row).
    """
    redact = Redactor(token, personal=False, secrets=secrets)
    before = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = MaskedStream(before[0], redact), MaskedStream(before[1], redact)
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout, sys.stderr = before


class ContextFilter(logging.Filter):
    """Adds user_id and hazard_id (from the task's context, unless given with extra=) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Attach the ids; never drops a record."""
        if getattr(record, "user_id", None) is None:
            record.user_id = _user_id.get()
        if getattr(record, "hazard_id", None) is None:
            record.hazard_id = _hazard_id.get()
        return True


class TextFormatter(logging.Formatter):
    """`time level logger [user=.. hazard=..]: message`, traceback included, redacted as a whole."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(ids)s: %(message)s")
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        """Format the record (ids shown only when known), then mask secrets in the whole text."""
        ids = [f"{name}={value}" for name in ("user", "hazard") if (value := getattr(record, f"{name}_id", None))]
        record.ids = f" [{' '.join(ids)}]" if ids else ""
        return self._redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, user_id, hazard_id and exc when there is one."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        """Serialize the record, then mask secrets in the line."""
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "user_id": getattr(record, "user_id", None),
            "hazard_id": getattr(record, "hazard_id", None),
        }
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return self._redact(json.dumps(entry, ensure_ascii=False))


def log_handler(
    token: str, fmt: LogFormat = "text", stream: IO[str] | None = None, secrets: Iterable[str] = ()
) -> logging.Handler:
    """The handler GridSafe logs through: ids attached, secrets masked, text or JSON."""
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    redact = Redactor(token, secrets=secrets)
    handler.setFormatter(JsonFormatter(redact) if fmt == "json" else TextFormatter(redact))
    handler.addFilter(ContextFilter())
    return handler


def configure_logging(
    token: str, fmt: LogFormat = "text", level: str | int = logging.INFO, secrets: Iterable[str] = ()
) -> None:
    """Log to stderr through log_handler; httpx (which logs URLs that contain the token) only at WARNING."""
    root = logging.getLogger()
    root.handlers[:] = [log_handler(token, fmt, secrets=secrets)]
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
