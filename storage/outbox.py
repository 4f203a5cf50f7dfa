"""The outbox: broadcasts and reminders waiting to be sent, one row per recipient.

The sender (`bot.outbox.sender.OutboxSender`) drains it in small claimed batches, so 20,000 pending
rows never sit in memory. A row is marked sent only after Telegram accepted it: a crash
loses nothing, and at most the message in flight goes out twice.

Claiming leases rows (`claimed_until`) in the transaction that selects them; on PostgreSQL
the select is `FOR UPDATE SKIP LOCKED`, so two senders never take the same row. A sender
that crashes leaves its lease behind, and the rows become due again when it runs out.

The announcements themselves (drafts, sending -> done, cancel, progress counts) are in
storage/announcements.py.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice
from typing import TypeVar

from sqlalchemy import ColumnElement, and_, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialects import insert_for
from storage.models import Broadcast, BroadcastStatus, OutboxMessage, OutboxState, User

ERROR_LIMIT = 300  # the width of outbox.last_error
INSERT_CHUNK = 500  # rows per INSERT: well below both backends' limits on bound parameters

T = TypeVar("T")


@dataclass(frozen=True)
class ClaimedMessage:
    """A row a sender leased; `content` is the broadcast's content when `payload` is None."""

    id: int
    user_id: int
    broadcast_id: int | None
    reminder_key: str | None
    language: str
    payload: str | None
    content: str | None
    attempts: int
    items_sent: int


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _clip(text: str) -> str:
    return text if len(text) <= ERROR_LIMIT else text[: ERROR_LIMIT - 1] + "…"


def _sendable() -> ColumnElement[bool]:
    """Pending rows of reachable partners, of no broadcast or of one that is sending.

    Needs the query to join `users` and outer-join `broadcasts`.
    """
    return and_(
        OutboxMessage.state == OutboxState.PENDING,
        User.reachable.is_(True),
        or_(OutboxMessage.broadcast_id.is_(None), Broadcast.status == BroadcastStatus.SENDING),
    )


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    # ---------------------------------------------------------------- queueing

    async def enqueue_broadcast(
        self, broadcast_id: int, recipients: Iterable[tuple[int, str]], now: datetime
    ) -> int:
        """Queue the broadcast for (user id, language) pairs; returns how many rows were new.

        Partners already known to be unreachable get an unreachable row: they count in the
        report and the broadcast can finish.
        """
        rows = (
            {"broadcast_id": broadcast_id, "user_id": user_id, "language": language}
            for user_id, language in recipients
        )
        created = await self._insert_pending(rows, now, unique=("broadcast_id", "user_id"))
        await self.settle_unreachable(broadcast_id, "unreachable before sending")
        return created

    async def cancel_pending(self, broadcast_id: int) -> None:
        """The broadcast was cancelled: its rows not yet sent never go."""
        await self._session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.broadcast_id == broadcast_id,
                OutboxMessage.state == OutboxState.PENDING,
            )
            .values(state=OutboxState.CANCELLED, claimed_until=None)
        )

    async def enqueue_once_per_user(
        self, reminder_key: str, recipients: Iterable[tuple[int, str, str]], now: datetime
    ) -> int:
        """Queue one message under `reminder_key` (a reminder, the feedback request, a programme
        notice) for (user id, language, payload) triples; returns how many rows were new.
        Partners who already have it are skipped by the unique key."""
        rows = (
            {
                "reminder_key": reminder_key,
                "user_id": user_id,
                "language": language,
                "payload": payload,
            }
            for user_id, language, payload in recipients
        )
        return await self._insert_pending(rows, now, unique=("reminder_key", "user_id"))

    async def _insert_pending(
        self, rows: Iterable[dict[str, object]], now: datetime, *, unique: tuple[str, str]
    ) -> int:
        """Insert pending rows in chunks, so a long audience never becomes one huge statement;
        rows that already exist (by `unique`) are skipped. Returns how many were new."""
        insert = insert_for(self._session)
        fresh = {
            "state": OutboxState.PENDING,
            "attempts": 0,
            "items_sent": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        created = 0
        for chunk in _chunks(rows, INSERT_CHUNK):
            inserted = await self._session.scalars(
                insert(OutboxMessage)
                .values([{**row, **fresh} for row in chunk])
                .on_conflict_do_nothing(index_elements=list(unique))
                .returning(OutboxMessage.id)
            )
            created += len(inserted.all())
        return created

    async def settle_unreachable(self, broadcast_id: int, reason: str) -> None:
        """Pending rows of partners known to be unreachable will never go: say so."""
        await self._session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.broadcast_id == broadcast_id,
                OutboxMessage.state == OutboxState.PENDING,
                OutboxMessage.user_id.in_(select(User.id).where(User.reachable.is_(False))),
            )
            .values(state=OutboxState.UNREACHABLE, last_error=reason)
        )

    # ---------------------------------------------------------------- single messages

    async def enqueue(
        self,
        user_id: int,
        language: str,
        payload: str,
        now: datetime,
        *,
        reminder_key: str | None = None,
        not_before: datetime | None = None,
    ) -> bool:
        """Queue one message; False if this reminder was already queued for this partner.

        The unique (reminder_key, user_id) makes "never the same reminder twice" hold even
        when two schedulers race. Call `OutboxSender.wake()` after the transaction commits.
        """
        reachable = await self._session.scalar(select(User.reachable).where(User.id == user_id))
        state = OutboxState.PENDING if reachable is not False else OutboxState.UNREACHABLE
        created = await self._session.scalar(
            insert_for(self._session)(OutboxMessage)
            .values(
                reminder_key=reminder_key,
                user_id=user_id,
                language=language,
                payload=payload,
                state=state,
                attempts=0,
                items_sent=0,
                next_attempt_at=not_before or now,
                created_at=now,
                last_error=None if state == OutboxState.PENDING else "unreachable before sending",
            )
            .on_conflict_do_nothing()
            .returning(OutboxMessage.id)
        )
        return created is not None

    # ---------------------------------------------------------------- the sender's side

    async def claim(
        self,
        limit: int,
        now: datetime,
        *,
        lease: timedelta,
        exclude_users: Collection[int] = (),
    ) -> list[ClaimedMessage]:
        """Lease up to `limit` due rows, oldest first, at most one per partner.

        One row per partner (and none for `exclude_users`, whose rows the sender already
        holds) keeps each partner's messages in order and stops one partner's many rows
        from filling a batch that must wait a second per message.
        """
        query = (
            select(
                OutboxMessage.id,
                OutboxMessage.user_id,
                OutboxMessage.broadcast_id,
                OutboxMessage.reminder_key,
                OutboxMessage.language,
                OutboxMessage.payload,
                OutboxMessage.attempts,
                OutboxMessage.items_sent,
            )
            .join(User, User.id == OutboxMessage.user_id)
            .outerjoin(Broadcast, Broadcast.id == OutboxMessage.broadcast_id)
            .where(
                _sendable(),
                OutboxMessage.next_attempt_at <= now,
                or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until <= now),
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        )
        if exclude_users:
            query = query.where(OutboxMessage.user_id.not_in(list(exclude_users)))
        if self._session.bind.dialect.name == "postgresql":
            # Rows another sender is claiming right now are skipped, not waited for.
            query = query.with_for_update(skip_locked=True, of=OutboxMessage)
        rows = (await self._session.execute(query)).all()
        seen: set[int] = set()
        kept = []
        for row in rows:
            if row.user_id not in seen:
                seen.add(row.user_id)
                kept.append(row)
        if not kept:
            return []
        await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_([row.id for row in kept]))
            .values(claimed_until=now + lease)
        )
        broadcast_ids = {row.broadcast_id for row in kept if row.payload is None}
        contents: dict[int, str] = {}
        if broadcast_ids:
            result = await self._session.execute(
                select(Broadcast.id, Broadcast.content).where(Broadcast.id.in_(broadcast_ids))
            )
            contents = {broadcast_id: content for broadcast_id, content in result}
        return [
            ClaimedMessage(
                id=row.id,
                user_id=row.user_id,
                broadcast_id=row.broadcast_id,
                reminder_key=row.reminder_key,
                language=row.language,
                payload=row.payload,
                content=contents.get(row.broadcast_id) if row.payload is None else None,
                attempts=row.attempts,
                items_sent=row.items_sent,
            )
            for row in kept
        ]

    async def next_due(
        self, now: datetime, *, exclude_users: Collection[int] = ()
    ) -> datetime | None:
        """When the next row becomes claimable (its due time, or when its lease runs out)."""
        due = case(
            (
                and_(
                    OutboxMessage.claimed_until.is_not(None),
                    OutboxMessage.claimed_until > OutboxMessage.next_attempt_at,
                ),
                OutboxMessage.claimed_until,
            ),
            else_=OutboxMessage.next_attempt_at,
        )
        query = (
            select(func.min(due))
            .join(User, User.id == OutboxMessage.user_id)
            .outerjoin(Broadcast, Broadcast.id == OutboxMessage.broadcast_id)
            .where(_sendable())
        )
        if exclude_users:
            query = query.where(OutboxMessage.user_id.not_in(list(exclude_users)))
        return await self._session.scalar(query)

    async def count_due(self, now: datetime) -> int:
        """Rows that should have gone out by `now`, held by a sender or not."""
        query = (
            select(func.count())
            .select_from(OutboxMessage)
            .join(User, User.id == OutboxMessage.user_id)
            .outerjoin(Broadcast, Broadcast.id == OutboxMessage.broadcast_id)
            .where(_sendable(), OutboxMessage.next_attempt_at <= now)
        )
        return await self._session.scalar(query) or 0

    async def extend_claims(self, ids: Collection[int], until: datetime) -> None:
        """Keep holding rows through a long pause (a 429 that asks for minutes)."""
        if ids:
            await self._session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(list(ids)), OutboxMessage.state == OutboxState.PENDING)
                .values(claimed_until=until)
            )

    async def release(self, ids: Collection[int]) -> None:
        """Give held rows back (a clean stop), so the next sender takes them at once."""
        if ids:
            await self._session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(list(ids)))
                .values(claimed_until=None)
            )

    async def release_all(self) -> int:
        """Give back every lease, e.g. those of a process that was killed; returns how many."""
        result = await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.claimed_until.is_not(None))
            .values(claimed_until=None)
        )
        return result.rowcount or 0

    async def record_progress(self, message_id: int, items_sent: int) -> None:
        """Items of a list payload Telegram accepted, so a restart sends only the rest."""
        await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(items_sent=items_sent)
        )

    async def mark_sent(
        self, message_id: int, now: datetime, *, items_sent: int = 1, note: str | None = None
    ) -> None:
        """Telegram accepted the message; `note` records a later item of a list that failed."""
        await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(
                state=OutboxState.SENT,
                sent_at=now,
                items_sent=items_sent,
                attempts=OutboxMessage.attempts + 1,
                claimed_until=None,
                last_error=None if note is None else _clip(note),
            )
        )

    async def mark_failed(self, message_id: int, reason: str) -> None:
        await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(
                state=OutboxState.FAILED,
                attempts=OutboxMessage.attempts + 1,
                claimed_until=None,
                last_error=_clip(reason),
            )
        )

    async def retry_later(
        self, message_id: int, at: datetime, error: str, *, hold_until: datetime | None = None
    ) -> bool:
        """Count a failed attempt and set when to try again; False if the row is no longer
        pending (its broadcast was cancelled meanwhile)."""
        values: dict[str, object] = {
            "attempts": OutboxMessage.attempts + 1,
            "next_attempt_at": at,
            "last_error": _clip(error),
        }
        if hold_until is not None:
            values["claimed_until"] = hold_until
        still_pending = await self._session.scalar(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.state == OutboxState.PENDING)
            .values(**values)
            .returning(OutboxMessage.id)
        )
        return still_pending is not None

    async def mark_unreachable(self, message_id: int, reason: str) -> int:
        """The partner blocked the bot (or left Telegram): this row, the partner and their
        other pending rows become unreachable. Returns how many other rows were skipped."""
        user_id = await self._session.scalar(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(
                state=OutboxState.UNREACHABLE,
                attempts=OutboxMessage.attempts + 1,
                claimed_until=None,
                last_error=_clip(reason),
            )
            .returning(OutboxMessage.user_id)
        )
        if user_id is None:
            return 0
        return await self.mark_user_unreachable(user_id, reason)

    async def mark_user_unreachable(self, user_id: int, reason: str) -> int:
        """Mark the partner unreachable and skip their pending rows; returns how many."""
        await self._session.execute(update(User).where(User.id == user_id).values(reachable=False))
        skipped = await self._session.scalars(
            update(OutboxMessage)
            .where(OutboxMessage.user_id == user_id, OutboxMessage.state == OutboxState.PENDING)
            .values(
                state=OutboxState.UNREACHABLE,
                claimed_until=None,
                last_error=_clip(f"skipped: {reason}"),
            )
            .returning(OutboxMessage.id)
        )
        return len(skipped.all())
