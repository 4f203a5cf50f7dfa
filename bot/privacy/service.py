"""The privacy desk: a person's data handed over or erased, and an event's data after retention.

Erasing cancels an active registration through the registration desk first, so seats are freed
and the waitlist moves up exactly as on /cancelrsvp; then the rows go. What python-telegram-bot
holds (conversation state, user_data) is erased by the caller through `storage.persistence`,
which is the only one that can reach it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.core.event_context import EventContext
from bot.privacy.personal_data import build_export, serialise
from bot.privacy.rules import deletion_due_at, is_due
from bot.registration.service import Outcome, RegistrationService, RegistrationView


@dataclass(frozen=True)
class Erasure:
    """What was deleted about one person: row counts by table, never the data."""

    deleted: dict[str, int]
    cancelled: bool = False  # an active registration was cancelled and its seats freed
    promoted: list[RegistrationView] = field(default_factory=list)


@dataclass(frozen=True)
class RetentionRun:
    """One retention deletion: row counts by table and the users whose rows went."""

    event_key: str
    deleted: dict[str, int]
    erased_users: list[int]


class PrivacyService:
    def __init__(
        self,
        event: EventContext,
        registrations: RegistrationService,
        *,
        retention_days: int,
        admin_ids: frozenset[int],
    ) -> None:
        self._event = event
        self._database, self._clock = event.database, event.clock
        self._registrations = registrations
        self.retention_days = retention_days
        self._admin_ids = admin_ids

    def deletion_date(self) -> datetime:
        """When the current event's personal data will be deleted, for /privacy."""
        return deletion_due_at(self._event.programme.event.ends_at, self.retention_days)

    async def export(self, user_id: int) -> bytes:
        """The JSON document of everything stored about the user."""
        async with self._database.transaction() as repositories:
            tables = await repositories.personal_data.rows_of(user_id)
            user = await repositories.users.get(user_id)
            organisation = (
                await repositories.organisations.get(user.organisation_id)
                if user is not None and user.organisation_id is not None
                else None
            )
        document = build_export(
            user_id,
            tables,
            self._clock.now(),
            linked_organisation=organisation.name if organisation else None,
        )
        return serialise(document)

    async def erase(self, user_id: int) -> Erasure:
        """Cancel an active registration (freeing seats), then delete the user's rows."""
        cancelled = await self._registrations.cancel(user_id)
        async with self._database.transaction() as repositories:
            deleted = await repositories.personal_data.erase_user(user_id)
        return Erasure(deleted, cancelled.outcome is Outcome.CANCELLED, cancelled.promoted)

    async def apply_retention(self) -> RetentionRun | None:
        """Delete the current event's personal data if its retention ended; None if not yet."""
        programme = self._event.programme
        if not is_due(self._clock.now(), programme.event.ends_at, self.retention_days):
            return None
        async with self._database.transaction() as repositories:
            deleted, erased = await repositories.personal_data.erase_event(
                programme.event_key, keep_user_ids=self._admin_ids
            )
        return RetentionRun(programme.event_key, deleted, erased)
