"""Who an announcement goes to: every partner, a group by registration status, or by whether
they came to the door (the slides for those who were there, a "we missed you" to the others);
each optionally only the linked partners of one or more organisations."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Audience(StrEnum):
    ALL = "all"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    DECLINED = "declined"
    NOT_ANSWERED = "not_answered"
    CHECKED_IN = "checked_in"
    NOT_CHECKED_IN = "not_checked_in"  # registered (confirmed) but not checked in


@dataclass(frozen=True)
class AudienceChoice:
    """An audience, optionally narrowed to the linked partners of some organisations."""

    audience: Audience = Audience.ALL
    organisation_ids: tuple[int, ...] = ()

    @property
    def stored_organisations(self) -> str | None:
        """`broadcasts.audience_organisations`: the ids comma-separated, None for no limit."""
        return ",".join(map(str, self.organisation_ids)) or None

    @classmethod
    def stored(cls, audience: str, organisations: str | None) -> AudienceChoice:
        ids = tuple(int(part) for part in (organisations or "").split(",") if part.isdigit())
        return cls(Audience(audience), ids)
