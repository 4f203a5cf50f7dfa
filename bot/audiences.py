"""Who an announcement goes to: every partner, or a group by registration status."""

from __future__ import annotations

from enum import StrEnum


class Audience(StrEnum):
    ALL = "all"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    DECLINED = "declined"
    NOT_ANSWERED = "not_answered"
