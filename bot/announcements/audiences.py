"""Who an announcement goes to: every partner, a group by registration status, or by whether
they came to the door (the slides for those who were there, a "we missed you" to the others)."""

from __future__ import annotations

from enum import StrEnum


class Audience(StrEnum):
    ALL = "all"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    DECLINED = "declined"
    NOT_ANSWERED = "not_answered"
    CHECKED_IN = "checked_in"
    NOT_CHECKED_IN = "not_checked_in"  # registered (confirmed) but not checked in
