"""Organisers' announcements: drafts, the audience snapshot, and what happened to each.

Starting a broadcast is one transaction: the draft turns into "sending" with a conditional
update (so a double tap or a second organiser cannot send it twice) and every recipient gets an
outbox row. The outbox sender delivers from there.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from bot.announcements.audiences import Audience, AudienceChoice
from bot.core.event_context import EventContext
from bot.core.language import resolve_language
from bot.programme.model import Language
from bot.registration.export import table_csv
from storage.announcements import OutboxCounts
from storage.repositories import Repositories

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BroadcastReport:
    id: int
    created_at: datetime
    status: str
    audience: str
    counts: OutboxCounts
    report_chat_id: int | None
    report_message_id: int | None
    organisations: tuple[str, ...] = ()  # only linked partners of these (current names)


@dataclass(frozen=True)
class SentNow:
    id: int
    queued: int | None  # recipients queued now; None: this key had sent it already


@dataclass(frozen=True)
class OrganisationOption:
    """An organisation an announcement can be narrowed to, with its reachable partners."""

    id: int
    name: str
    partners: int


_FAILED_HEADERS: dict[Language, tuple[str, ...]] = {
    "de": ("Telegram-ID", "Name", "Benutzername", "Status", "Grund"),
    "en": ("Telegram id", "Name", "Username", "State", "Reason"),
}


class AnnouncementService:
    def __init__(
        self, event: EventContext, on_cancelled: Callable[[int], object] = lambda _: None
    ) -> None:
        self._event = event
        self._database, self._clock = event.database, event.clock
        self._default_language = event.default_language
        self._on_cancelled = on_cancelled  # the sender lets go of rows it holds

    async def audience_counts(
        self, organiser_id: int, organisation_ids: tuple[int, ...] = ()
    ) -> dict[Audience, int]:
        async with self._database.transaction() as repositories:
            return await repositories.audiences.counts(
                self._event.event_key, excluding=organiser_id, organisation_ids=organisation_ids
            )

    async def organisations(self, organiser_id: int) -> list[OrganisationOption]:
        """Every organisation, by name, with how many of its linked partners can be reached."""
        async with self._database.transaction() as repositories:
            rows = await repositories.audiences.organisations(excluding=organiser_id)
        return [OrganisationOption(*row) for row in rows]

    async def organisation_names(self, organisation_ids: tuple[int, ...]) -> list[str]:
        async with self._database.transaction() as repositories:
            return await repositories.audiences.organisation_names(organisation_ids)

    async def create_draft(self, organiser_id: int, content: dict[str, Any]) -> int:
        async with self._database.transaction() as repositories:
            broadcast = await repositories.announcements.create_broadcast(
                created_by=organiser_id, content=json.dumps(content), now=self._clock.now()
            )
            return broadcast.id

    async def start(
        self,
        broadcast_id: int,
        organiser_id: int,
        audience: Audience | AudienceChoice,
        report_chat_id: int | None = None,
        report_message_id: int | None = None,
    ) -> int | None:
        """Snapshot the audience into the outbox; None if this draft cannot be sent (any more).

        Without a progress message (the dashboard follows the figures itself) none is edited.
        """
        choice = audience if isinstance(audience, AudienceChoice) else AudienceChoice(audience)
        async with self._database.transaction() as repositories:
            broadcast = await repositories.announcements.get_broadcast(broadcast_id)
            if broadcast is None or broadcast.created_by != organiser_id:
                return None
            queued = await self._start(repositories, broadcast_id, organiser_id, choice)
            if queued is not None:  # a second tap leaves the first one's progress message
                broadcast.report_chat_id = report_chat_id
                broadcast.report_message_id = report_message_id
            return queued

    async def _start(
        self,
        repositories: Repositories,
        broadcast_id: int,
        organiser_id: int,
        choice: AudienceChoice,
    ) -> int | None:
        now = self._clock.now()
        announcements = repositories.announcements
        if not await announcements.start_broadcast(broadcast_id, now):
            return None
        broadcast = await announcements.get_broadcast(broadcast_id)
        assert broadcast is not None
        broadcast.audience = choice.audience.value
        broadcast.audience_organisations = choice.stored_organisations
        members = await repositories.audiences.members(
            self._event.event_key,
            choice.audience,
            excluding=organiser_id,
            organisation_ids=choice.organisation_ids,
        )
        recipients = [
            (user_id, resolve_language(chosen, telegram, self._default_language))
            for user_id, chosen, telegram in members
        ]
        return await repositories.outbox.enqueue_broadcast(broadcast_id, recipients, now)

    async def send_now(
        self, organiser_id: int, content: dict[str, Any], choice: AudienceChoice, key: str
    ) -> SentNow:
        """The dashboard's "send": draft and start in one transaction, once per `key`.

        The key is unique in the database: a double click, a retried request or a second tab
        with the same key finds the announcement the first one started and sends nothing more.
        """
        try:
            async with self._database.transaction() as repositories:
                announcements = repositories.announcements
                earlier = await announcements.by_idempotency_key(key)
                if earlier is not None:
                    return SentNow(earlier.id, None)
                broadcast = await announcements.create_broadcast(
                    created_by=organiser_id,
                    content=json.dumps(content),
                    now=self._clock.now(),
                    idempotency_key=key,
                )
                queued = await self._start(repositories, broadcast.id, organiser_id, choice)
                return SentNow(broadcast.id, queued)
        except IntegrityError:  # the same key committed a moment earlier (PostgreSQL)
            log.info("Announcement with a key already used: sent once")
            async with self._database.transaction() as repositories:
                earlier = await repositories.announcements.by_idempotency_key(key)
            assert earlier is not None
            return SentNow(earlier.id, None)

    async def discard(self, broadcast_id: int, organiser_id: int) -> None:
        async with self._database.transaction() as repositories:
            await repositories.announcements.discard_broadcast(broadcast_id, organiser_id)

    async def report(self, broadcast_id: int) -> BroadcastReport | None:
        async with self._database.transaction() as repositories:
            broadcast = await repositories.announcements.get_broadcast(broadcast_id)
            if broadcast is None:
                return None
            choice = AudienceChoice.stored(broadcast.audience, broadcast.audience_organisations)
            names = await repositories.audiences.organisation_names(choice.organisation_ids)
            return BroadcastReport(
                id=broadcast.id,
                created_at=broadcast.created_at,
                status=broadcast.status,
                audience=broadcast.audience,
                counts=await repositories.announcements.counts(broadcast_id),
                report_chat_id=broadcast.report_chat_id,
                report_message_id=broadcast.report_message_id,
                organisations=tuple(names),
            )

    async def cancel(self, broadcast_id: int) -> bool:
        """Stop a sending announcement: nothing more goes out, what was delivered stays.

        False if it had finished (or was stopped) already.
        """
        async with self._database.transaction() as repositories:
            broadcast = await repositories.announcements.get_broadcast(broadcast_id)
            if broadcast is None or broadcast.status != "sending":
                return False
            cancelled = await repositories.announcements.cancel_broadcast(
                broadcast_id, self._clock.now()
            )
        if cancelled:
            self._on_cancelled(broadcast_id)
        return cancelled

    async def recent(self, limit: int = 10) -> list[BroadcastReport]:
        async with self._database.transaction() as repositories:
            broadcasts = await repositories.announcements.recent_broadcasts(limit)
            ids = [broadcast.id for broadcast in broadcasts]
        reports = [await self.report(broadcast_id) for broadcast_id in ids]
        return [report for report in reports if report is not None]

    async def failed_csv(self, broadcast_id: int, language: Language) -> bytes:
        """Recipients who did not get the announcement, for organisers to follow up."""
        async with self._database.transaction() as repositories:
            rows = await repositories.announcements.failed_recipients(broadcast_id)
        return table_csv(
            _FAILED_HEADERS[language],
            ([str(row.user_id), row.name, row.username, row.state, row.reason] for row in rows),
            language,
        )
