"""QR tickets: the unguessable token, the deep link it travels in, and the PNG a door scans.

The token is the whole secret (128 bits, `secrets.token_urlsafe`). It lives only on a confirmed
registration and is replaced on every change, so an old ticket stops working. Telegram allows
only `A-Z a-z 0-9 _ -` and at most 64 characters in a start parameter; `ci_` + 22 characters fits.
"""

from __future__ import annotations

import io
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

import segno
from telegram.helpers import create_deep_linked_url

START_PREFIX = "ci_"
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,32}$")


@dataclass(frozen=True)
class Ticket:
    """A confirmed registration as the door sees it."""

    registration_id: int
    user_id: int
    token: str
    name: str
    organisation: str | None
    persons: int
    language: str
    checked_in_at: datetime | None = None
    checked_in_persons: int | None = None
    checked_in_by: str | None = None  # the organiser's first name

    @property
    def checked_in(self) -> bool:
        return self.checked_in_at is not None


def new_ticket_token() -> str:
    return secrets.token_urlsafe(16)


def start_parameter(token: str) -> str:
    return START_PREFIX + token


def token_from_start(argument: str) -> str | None:
    """The token of a `/start ci_<token>` argument, or None for anything that cannot be one."""
    if not argument.startswith(START_PREFIX):
        return None
    token = argument.removeprefix(START_PREFIX)
    return token if _TOKEN_RE.match(token) else None


def ticket_url(bot_username: str, token: str) -> str:
    """`https://t.me/<bot>?start=ci_<token>`: a phone camera opens it in the bot."""
    return create_deep_linked_url(bot_username, start_parameter(token))


def ticket_png(url: str) -> bytes:
    """The QR code as PNG, large enough for a phone camera at arm's length."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()
