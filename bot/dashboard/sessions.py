"""Dashboard sessions: a short-lived token per sign-in, sent by the page in a header.

No cookies, so no cross-site request can act for an organiser. A token lives a few minutes and
the open page trades it for a new one before then; twelve hours after the sign-in it cannot be
renewed. The token says who signed in, not what they may do: whether they are still an organiser
is asked at every request. Kept in memory: a restart signs everyone out, and the page signs in
again with its launch data while that is fresh.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

TOKEN_LIFETIME = timedelta(minutes=15)
SESSION_LIMIT = timedelta(hours=12)


@dataclass(frozen=True)
class Session:
    token: str
    user_id: int
    first_name: str
    app_language: str | None  # Telegram's language_code, when the user set no language
    signed_in_at: datetime
    expires_at: datetime


class Sessions:
    def __init__(self) -> None:
        self._by_token: dict[str, Session] = {}

    def _issue(
        self, user_id: int, first_name: str, app_language: str | None, signed_in: datetime,
        now: datetime,
    ) -> Session:  # fmt: skip
        self._forget_expired(now)
        expires = min(now + TOKEN_LIFETIME, signed_in + SESSION_LIMIT)
        session = Session(
            secrets.token_urlsafe(32), user_id, first_name, app_language, signed_in, expires
        )
        self._by_token[session.token] = session
        return session

    def start(
        self, user_id: int, first_name: str, app_language: str | None, now: datetime
    ) -> Session:
        return self._issue(user_id, first_name, app_language, now, now)

    def find(self, token: str | None, now: datetime) -> Session | None:
        session = self._by_token.get(token or "")
        if session is None or session.expires_at <= now:
            return None
        return session

    def renew(self, session: Session, now: datetime) -> Session | None:
        """A new token for the same sign-in; the old one stops working. None after 12 hours."""
        self._by_token.pop(session.token, None)
        if now >= session.signed_in_at + SESSION_LIMIT:
            return None
        return self._issue(
            session.user_id, session.first_name, session.app_language, session.signed_in_at, now
        )

    def _forget_expired(self, now: datetime) -> None:
        for token in [t for t, s in self._by_token.items() if s.expires_at <= now]:
            del self._by_token[token]
