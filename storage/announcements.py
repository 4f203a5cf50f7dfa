"""Announcements in the database: their lifecycle, their progress, and who they go to.

A broadcast is a draft until an organiser sends it, then "sending" while its outbox rows go
out, then done (or cancelled). Its rows are queued and leased by storage/outbox.py; this module
reads them only to count progress and to list who was not reached.

Audiences come straight from SQL. Only reachable users are counted and chosen: a user who
blocked the bot would only answer 403. The organiser sending it is left out; they saw the
preview.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, delete, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.announcements.audiences import Audience
from storage.models import (
    Broadcast,
    BroadcastStatus,
    Organisation,
    OutboxMessage,
    OutboxState,
    Registration,
    User,
)
from storage.outbox import OutboxRepository


@dataclass(frozen=True)
class OutboxCounts:
    pending: int = 0
    sent: int = 0
    failed: int = 0
    unreachable: int = 0
    cancelled: int = 0

    @property
    def total(self) -> int:
        return self.pending + self.sent + self.failed + self.unreachable + self.cancelled


@dataclass(frozen=True)
class FailedRecipient:
    """A partner a broadcast did not reach, for the organisers' report."""

    user_id: int
    name: str
    username: str | None
    state: str
    reason: str | None  # the row's last_error: Telegram's description


class AnnouncementRepository:
    """Drafts, the sending -> done and cancel steps, and the counts of the organisers' report."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._outbox = OutboxRepository(session)

    async def create_broadcast(
        self,
        *,
        created_by: int,
        content: str,
        now: datetime,
        audience: str = "all",
        report_chat_id: int | None = None,
        report_message_id: int | None = None,
        idempotency_key: str | None = None,
    ) -> Broadcast:
        """A draft: nothing is queued until it starts and its rows are queued in the outbox.

        The audience may still change until the broadcast starts.
        """
        broadcast = Broadcast(
            created_by=created_by,
            created_at=now,
            status=BroadcastStatus.DRAFT,
            audience=audience,
            content=content,
            report_chat_id=report_chat_id,
            report_message_id=report_message_id,
            idempotency_key=idempotency_key,
        )
        self._session.add(broadcast)
        await self._session.flush()
        return broadcast

    async def get_broadcast(self, broadcast_id: int) -> Broadcast | None:
        return await self._session.get(Broadcast, broadcast_id, populate_existing=True)

    async def by_idempotency_key(self, key: str) -> Broadcast | None:
        return await self._session.scalar(select(Broadcast).where(Broadcast.idempotency_key == key))

    async def discard_broadcast(self, broadcast_id: int, created_by: int) -> bool:
        """Delete a draft its author threw away; a started broadcast stays, for the record."""
        deleted = await self._session.scalar(
            delete(Broadcast)
            .where(
                Broadcast.id == broadcast_id,
                Broadcast.created_by == created_by,
                Broadcast.status == BroadcastStatus.DRAFT,
            )
            .returning(Broadcast.id)
        )
        return deleted is not None

    async def set_report_message(self, broadcast_id: int, chat_id: int, message_id: int) -> None:
        """Remember the organiser's progress message, which the sender's progress edits."""
        await self._session.execute(
            update(Broadcast)
            .where(Broadcast.id == broadcast_id)
            .values(report_chat_id=chat_id, report_message_id=message_id)
        )

    async def start_broadcast(self, broadcast_id: int, now: datetime) -> bool:
        """Draft -> sending in one conditional UPDATE: a double tap on "send" starts it once."""
        started = await self._session.scalar(
            update(Broadcast)
            .where(Broadcast.id == broadcast_id, Broadcast.status == BroadcastStatus.DRAFT)
            .values(status=BroadcastStatus.SENDING, confirmed_at=now)
            .returning(Broadcast.id)
        )
        return started is not None

    async def cancel_broadcast(self, broadcast_id: int, now: datetime) -> bool:
        """Stop a draft or a sending broadcast; rows not yet sent are cancelled.

        Rows a sender already holds in memory may still go out (at most one batch).
        """
        cancelled = await self._session.scalar(
            update(Broadcast)
            .where(
                Broadcast.id == broadcast_id,
                Broadcast.status.in_([BroadcastStatus.DRAFT, BroadcastStatus.SENDING]),
            )
            .values(status=BroadcastStatus.CANCELLED, finished_at=now)
            .returning(Broadcast.id)
        )
        if cancelled is None:
            return False
        await self._outbox.cancel_pending(broadcast_id)
        return True

    async def finish_broadcast_if_done(self, broadcast_id: int, now: datetime) -> bool:
        """Sending -> done once no row is left for a reachable partner; True if it just finished.

        A row queued for a partner in the moment they became unreachable would otherwise
        stay pending forever; it is settled as unreachable here.
        """
        pending = await self._session.scalar(
            select(
                exists()
                .where(
                    OutboxMessage.broadcast_id == broadcast_id,
                    OutboxMessage.state == OutboxState.PENDING,
                    User.id == OutboxMessage.user_id,
                    User.reachable.is_(True),
                )
                .select_from(OutboxMessage, User)
            )
        )
        if pending:
            return False
        await self._outbox.settle_unreachable(broadcast_id, "partner unreachable")
        finished = await self._session.scalar(
            update(Broadcast)
            .where(Broadcast.id == broadcast_id, Broadcast.status == BroadcastStatus.SENDING)
            .values(status=BroadcastStatus.DONE, finished_at=now)
            .returning(Broadcast.id)
        )
        return finished is not None

    async def sending_broadcasts(self) -> list[int]:
        result = await self._session.scalars(
            select(Broadcast.id)
            .where(Broadcast.status == BroadcastStatus.SENDING)
            .order_by(Broadcast.id)
        )
        return list(result)

    async def recent_broadcasts(self, limit: int = 10) -> list[Broadcast]:
        result = await self._session.scalars(
            select(Broadcast)
            .order_by(Broadcast.created_at.desc(), Broadcast.id.desc())
            .limit(limit)
        )
        return list(result)

    async def counts(self, broadcast_id: int) -> OutboxCounts:
        rows = await self._session.execute(
            select(OutboxMessage.state, func.count())
            .where(OutboxMessage.broadcast_id == broadcast_id)
            .group_by(OutboxMessage.state)
        )
        return OutboxCounts(**{str(state): count for state, count in rows})

    async def failed_recipients(self, broadcast_id: int) -> list[FailedRecipient]:
        rows = await self._session.execute(
            select(
                User.id,
                User.first_name,
                User.last_name,
                User.username,
                OutboxMessage.state,
                OutboxMessage.last_error,
            )
            .join(User, User.id == OutboxMessage.user_id)
            .where(
                OutboxMessage.broadcast_id == broadcast_id,
                OutboxMessage.state.in_([OutboxState.FAILED, OutboxState.UNREACHABLE]),
            )
            .order_by(OutboxMessage.state, User.id)
        )
        return [
            FailedRecipient(
                user_id=user_id,
                name=" ".join(part for part in (first, last) if part),
                username=username,
                state=state,
                reason=error,
            )
            for user_id, first, last, username, state, error in rows
        ]


class AudienceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def _members(
        self,
        event_key: str,
        audience: Audience,
        excluding: int | None,
        organisation_ids: tuple[int, ...] = (),
    ) -> Select[tuple[int, str | None, str | None]]:
        query = select(User.id, User.language, User.telegram_language).where(
            User.reachable, User.id != excluding if excluding is not None else True
        )
        if organisation_ids:
            query = query.where(User.organisation_id.in_(organisation_ids))
        if audience is Audience.ALL:
            return query
        registered = select(Registration.user_id).where(Registration.event_key == event_key)
        if audience is Audience.NOT_ANSWERED:
            return query.where(User.id.not_in(registered))
        if audience is Audience.CHECKED_IN:
            return query.where(
                User.id.in_(registered.where(Registration.checked_in_at.is_not(None)))
            )
        if audience is Audience.NOT_CHECKED_IN:
            confirmed = registered.where(Registration.status == Audience.CONFIRMED.value)
            return query.where(User.id.in_(confirmed.where(Registration.checked_in_at.is_(None))))
        return query.where(User.id.in_(registered.where(Registration.status == audience.value)))

    async def counts(
        self,
        event_key: str,
        *,
        excluding: int | None = None,
        organisation_ids: tuple[int, ...] = (),
    ) -> dict[Audience, int]:
        counts = {}
        for audience in Audience:
            members = self._members(event_key, audience, excluding, organisation_ids).subquery()
            counts[audience] = (
                await self._session.scalar(select(func.count()).select_from(members)) or 0
            )
        return counts

    async def members(
        self,
        event_key: str,
        audience: Audience,
        *,
        excluding: int | None = None,
        organisation_ids: tuple[int, ...] = (),
    ) -> list[tuple[int, str | None, str | None]]:
        """(user id, chosen language, Telegram language) of everyone in the audience."""
        query = self._members(event_key, audience, excluding, organisation_ids).order_by(User.id)
        rows = await self._session.execute(query)
        return [(user_id, chosen, telegram) for user_id, chosen, telegram in rows]

    async def organisations(self, *, excluding: int | None = None) -> list[tuple[int, str, int]]:
        """(id, name, reachable linked partners) of every organisation, for choosing among them."""
        partners = func.count(User.id).filter(
            User.reachable, User.id != excluding if excluding is not None else True
        )
        rows = await self._session.execute(
            select(Organisation.id, Organisation.name, partners)
            .outerjoin(User, User.organisation_id == Organisation.id)
            .group_by(Organisation.id, Organisation.name)
        )
        # Sorted here, umlauts beside their vowel: the databases' collations differ.
        return sorted(
            ((id_, name, count) for id_, name, count in rows),
            key=lambda row: unicodedata.normalize("NFKD", row[1].casefold()),
        )

    async def organisation_names(self, organisation_ids: tuple[int, ...]) -> list[str]:
        """Current names, in the order given; organisations deleted since are left out."""
        if not organisation_ids:
            return []
        rows = await self._session.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_(organisation_ids))
        )
        names = {id_: name for id_, name in rows}
        return [names[id_] for id_ in organisation_ids if id_ in names]
