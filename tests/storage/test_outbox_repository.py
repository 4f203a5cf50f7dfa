"""The outbox on a real database (SQLite file, and PostgreSQL when configured)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from storage.announcements import OutboxCounts
from storage.database import Database
from storage.models import BroadcastStatus, OutboxMessage, OutboxState, User
from storage.users import Visitor

NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=1)
CONTENT = json.dumps(
    {"de": {"kind": "text", "text": "Hallo"}, "en": {"kind": "text", "text": "Hi"}}
)
REMINDER = json.dumps({"kind": "text", "text": "Morgen geht es los"})


async def add_partners(database: Database, *ids: int) -> None:
    async with database.transaction() as repositories:
        for user_id in ids:
            visitor = Visitor(user_id, f"Partner {user_id}", None, None, "de")
            await repositories.users.record_visit(visitor, NOW)


async def sending_broadcast(database: Database, *recipients: int) -> int:
    async with database.transaction() as repositories:
        broadcast = await repositories.announcements.create_broadcast(
            created_by=1, audience="all", content=CONTENT, now=NOW
        )
        assert await repositories.announcements.start_broadcast(broadcast.id, NOW)
        await repositories.outbox.enqueue_broadcast(
            broadcast.id, [(user_id, "de") for user_id in recipients], NOW
        )
        return broadcast.id


async def claim(
    database: Database, limit: int, now: datetime = NOW, exclude: tuple[int, ...] = ()
) -> list[tuple[int, str | None]]:
    """(user id, reminder key) of the claimed rows, in claim order."""
    async with database.transaction() as repositories:
        claimed = await repositories.outbox.claim(limit, now, lease=LEASE, exclude_users=exclude)
    return [(message.user_id, message.reminder_key) for message in claimed]


async def test_a_reminder_is_queued_once_per_partner(database: Database) -> None:
    await add_partners(database, 1, 2)
    async with database.transaction() as repositories:
        assert await repositories.outbox.enqueue(1, "de", REMINDER, NOW, reminder_key="day-before")
    async with database.transaction() as repositories:
        outbox = repositories.outbox
        assert not await outbox.enqueue(1, "de", REMINDER, NOW, reminder_key="day-before")
        assert await outbox.enqueue(2, "de", REMINDER, NOW, reminder_key="day-before")
        assert await outbox.enqueue(1, "de", REMINDER, NOW, reminder_key="morning")
        assert await outbox.enqueue(1, "de", REMINDER, NOW)  # no key: never a duplicate
        assert await outbox.enqueue(1, "de", REMINDER, NOW)
        count = await repositories.session.scalar(
            select(func.count()).where(
                OutboxMessage.user_id == 1, OutboxMessage.reminder_key == "day-before"
            )
        )
    assert count == 1


async def test_two_schedulers_racing_queue_a_reminder_once(database: Database) -> None:
    await add_partners(database, 1)

    async def schedule() -> bool:
        async with database.transaction() as repositories:
            return await repositories.outbox.enqueue(1, "de", REMINDER, NOW, reminder_key="r")

    results = await asyncio.gather(*(schedule() for _ in range(5)))
    assert results.count(True) == 1


async def test_a_broadcast_to_a_thousand_partners_is_queued_once(database: Database) -> None:
    partners = range(1, 1001)
    await add_partners(database, *partners)
    broadcast_id = await sending_broadcast(database, *partners)
    async with database.transaction() as repositories:
        counts = await repositories.announcements.counts(broadcast_id)
        again = await repositories.outbox.enqueue_broadcast(
            broadcast_id, ((user_id, "en") for user_id in partners), NOW
        )
    assert counts == OutboxCounts(pending=1000)
    assert counts.total == 1000
    assert again == 0


async def test_claim_takes_the_oldest_due_rows_up_to_the_limit(database: Database) -> None:
    await add_partners(database, 1, 2, 3, 4)
    async with database.transaction() as repositories:
        for minute, user_id in enumerate((3, 1, 4, 2)):
            at = NOW + timedelta(minutes=minute)
            await repositories.outbox.enqueue(user_id, "de", REMINDER, at, reminder_key="r")
    later = NOW + timedelta(hours=1)
    assert await claim(database, 3, later) == [(3, "r"), (1, "r"), (4, "r")]
    assert await claim(database, 3, later) == [(2, "r")]  # the first three are leased
    assert await claim(database, 3, later) == []


async def test_claim_skips_unreachable_partners_and_rows_not_yet_due(database: Database) -> None:
    await add_partners(database, 1, 2, 3)
    async with database.transaction() as repositories:
        outbox = repositories.outbox
        await outbox.enqueue(1, "de", REMINDER, NOW, reminder_key="r")
        await outbox.enqueue(2, "de", REMINDER, NOW, reminder_key="r")
        await outbox.enqueue(
            3, "de", REMINDER, NOW, reminder_key="r", not_before=NOW + timedelta(hours=1)
        )
        await repositories.users.mark_unreachable(2)
    assert await claim(database, 10) == [(1, "r")]
    async with database.transaction() as repositories:
        leased = await repositories.outbox.next_due(NOW)
        due = await repositories.outbox.next_due(NOW, exclude_users=[1])
    assert (leased, due) == (NOW + LEASE, NOW + timedelta(hours=1))
    # By then the lease of partner 1's row has run out too.
    assert await claim(database, 10, NOW + timedelta(hours=1)) == [(1, "r"), (3, "r")]


async def test_claim_takes_one_row_per_partner_and_leaves_held_partners_out(
    database: Database,
) -> None:
    await add_partners(database, 1, 2, 3)
    async with database.transaction() as repositories:
        for key in ("a", "b", "c"):
            await repositories.outbox.enqueue(1, "de", REMINDER, NOW, reminder_key=key)
        await repositories.outbox.enqueue(2, "de", REMINDER, NOW, reminder_key="a")
        await repositories.outbox.enqueue(3, "de", REMINDER, NOW, reminder_key="a")
    assert await claim(database, 10, exclude=(3,)) == [(1, "a"), (2, "a")]
    assert await claim(database, 10) == [(1, "b"), (3, "a")]


async def test_rows_of_a_draft_broadcast_are_not_claimed(database: Database) -> None:
    await add_partners(database, 1)
    async with database.transaction() as repositories:
        draft = await repositories.announcements.create_broadcast(
            created_by=1, audience="all", content=CONTENT, now=NOW
        )
        await repositories.outbox.enqueue_broadcast(draft.id, [(1, "en")], NOW)
    assert await claim(database, 10) == []
    async with database.transaction() as repositories:
        assert await repositories.announcements.start_broadcast(draft.id, NOW)
    async with database.transaction() as repositories:
        [message] = await repositories.outbox.claim(10, NOW, lease=LEASE)
    assert (message.payload, message.content, message.language) == (None, CONTENT, "en")


async def test_only_the_author_discards_a_draft_and_only_while_it_is_one(
    database: Database,
) -> None:
    async with database.transaction() as repositories:
        announcements = repositories.announcements
        draft = await announcements.create_broadcast(created_by=7, content=CONTENT, now=NOW)
        started = await announcements.create_broadcast(created_by=7, content=CONTENT, now=NOW)
        assert await announcements.start_broadcast(started.id, NOW)
    async with database.transaction() as repositories:
        announcements = repositories.announcements
        assert not await announcements.discard_broadcast(draft.id, created_by=8)
        assert not await announcements.discard_broadcast(started.id, created_by=7)
        assert await announcements.discard_broadcast(draft.id, created_by=7)
        assert [b.id for b in await announcements.recent_broadcasts()] == [started.id]


async def test_a_double_tap_starts_a_broadcast_once(database: Database) -> None:
    async with database.transaction() as repositories:
        broadcast = await repositories.announcements.create_broadcast(
            created_by=1, audience="confirmed", content=CONTENT, now=NOW
        )

    async def tap() -> bool:
        async with database.transaction() as repositories:
            return await repositories.announcements.start_broadcast(broadcast.id, NOW)

    assert sorted(await asyncio.gather(tap(), tap(), tap())) == [False, False, True]
    async with database.transaction() as repositories:
        started = await repositories.announcements.get_broadcast(broadcast.id)
    assert started is not None
    assert (started.status, started.confirmed_at) == (BroadcastStatus.SENDING, NOW)


async def test_counts_follow_each_outcome(database: Database) -> None:
    await add_partners(database, 1, 2, 3, 4, 5)
    broadcast_id = await sending_broadcast(database, 1, 2, 3, 4, 5)
    async with database.transaction() as repositories:
        outbox, announcements = repositories.outbox, repositories.announcements
        rows = {m.user_id: m.id for m in await outbox.claim(10, NOW, lease=LEASE)}
        await outbox.mark_sent(rows[1], NOW)
        await outbox.mark_failed(rows[2], "BadRequest: Chat not found")
        await outbox.mark_unreachable(rows[3], "Forbidden: bot was blocked by the user")
        assert await outbox.retry_later(rows[4], NOW + timedelta(seconds=1), "NetworkError: 500")
        counts = await announcements.counts(broadcast_id)
        failed = await announcements.failed_recipients(broadcast_id)
        assert not await announcements.finish_broadcast_if_done(broadcast_id, NOW)
    assert counts == OutboxCounts(pending=2, sent=1, failed=1, unreachable=1)
    assert [(f.user_id, f.name, f.state) for f in failed] == [
        (2, "Partner 2", OutboxState.FAILED),
        (3, "Partner 3", OutboxState.UNREACHABLE),
    ]
    assert failed[0].reason == "BadRequest: Chat not found"


async def test_an_unreachable_partner_and_their_other_pending_rows_are_marked(
    database: Database,
) -> None:
    await add_partners(database, 1, 2)
    broadcast_id = await sending_broadcast(database, 1, 2)
    async with database.transaction() as repositories:
        outbox = repositories.outbox
        await outbox.enqueue(1, "de", REMINDER, NOW, reminder_key="r")
        await outbox.enqueue(2, "de", REMINDER, NOW, reminder_key="r")
        [first, _] = await outbox.claim(2, NOW, lease=LEASE)
        assert first.user_id == 1 and first.broadcast_id == broadcast_id
        assert await outbox.mark_unreachable(first.id, "Forbidden: bot was blocked") == 1
    async with database.transaction() as repositories:
        user = await repositories.users.get(1)
        states = dict(
            (
                await repositories.session.execute(
                    select(OutboxMessage.reminder_key, OutboxMessage.state).where(
                        OutboxMessage.user_id == 1
                    )
                )
            ).all()
        )
        # A reminder queued after the block is unreachable from the start.
        assert await repositories.outbox.enqueue(1, "de", REMINDER, NOW, reminder_key="later")
    assert user is not None and user.reachable is False
    assert states == {None: OutboxState.UNREACHABLE, "r": OutboxState.UNREACHABLE}
    assert await claim(database, 10, NOW + LEASE) == [(2, None)]  # partner 2's lease ran out


async def test_a_broadcast_is_done_when_nothing_is_pending(database: Database) -> None:
    await add_partners(database, 1, 2)
    broadcast_id = await sending_broadcast(database, 1, 2)
    async with database.transaction() as repositories:
        outbox, announcements = repositories.outbox, repositories.announcements
        rows = await outbox.claim(10, NOW, lease=LEASE)
        await outbox.mark_sent(rows[0].id, NOW)
        assert not await announcements.finish_broadcast_if_done(broadcast_id, NOW)
        await outbox.mark_sent(rows[1].id, NOW)
        assert await announcements.finish_broadcast_if_done(broadcast_id, NOW)
        assert not await announcements.finish_broadcast_if_done(broadcast_id, NOW)  # once
        broadcast = await announcements.get_broadcast(broadcast_id)
        recent = await announcements.recent_broadcasts(5)
    assert broadcast is not None
    assert (broadcast.status, broadcast.finished_at) == (BroadcastStatus.DONE, NOW)
    assert [b.id for b in recent] == [broadcast_id]


async def test_partners_unreachable_before_the_broadcast_are_counted_not_sent(
    database: Database,
) -> None:
    await add_partners(database, 1, 2)
    async with database.transaction() as repositories:
        await repositories.users.mark_unreachable(2)
    broadcast_id = await sending_broadcast(database, 1, 2)
    async with database.transaction() as repositories:
        counts = await repositories.announcements.counts(broadcast_id)
    assert counts == OutboxCounts(pending=1, unreachable=1)


async def test_a_cancelled_broadcast_sends_nothing_more(database: Database) -> None:
    await add_partners(database, 1, 2)
    broadcast_id = await sending_broadcast(database, 1, 2)
    async with database.transaction() as repositories:
        assert await repositories.announcements.cancel_broadcast(broadcast_id, NOW)
        counts = await repositories.announcements.counts(broadcast_id)
    assert counts == OutboxCounts(cancelled=2)
    assert await claim(database, 10) == []


async def test_leased_rows_come_back_when_released_or_when_the_lease_runs_out(
    database: Database,
) -> None:
    await add_partners(database, 1, 2)
    await sending_broadcast(database, 1, 2)
    async with database.transaction() as repositories:
        rows = await repositories.outbox.claim(10, NOW, lease=LEASE)
        assert await repositories.outbox.next_due(NOW) == NOW + LEASE
        await repositories.outbox.release([rows[0].id])
    assert await claim(database, 10) == [(1, None)]
    assert await claim(database, 10, NOW + LEASE) == [(1, None), (2, None)]


async def test_a_retry_keeps_its_attempts_and_waits(database: Database) -> None:
    await add_partners(database, 1)
    async with database.transaction() as repositories:
        await repositories.outbox.enqueue(1, "de", REMINDER, NOW, reminder_key="r")
        [row] = await repositories.outbox.claim(10, NOW, lease=LEASE)
        await repositories.outbox.retry_later(row.id, NOW + timedelta(seconds=2), "TimedOut")
        await repositories.outbox.release([row.id])
    assert await claim(database, 10, NOW + timedelta(seconds=1)) == []
    async with database.transaction() as repositories:
        [again] = await repositories.outbox.claim(10, NOW + timedelta(seconds=2), lease=LEASE)
        reachable = await repositories.session.scalar(select(User.reachable).where(User.id == 1))
    assert (again.id, again.attempts, reachable) == (row.id, 1, True)


async def test_due_rows_are_counted_whether_a_sender_holds_them_or_not(
    database: Database,
) -> None:
    await add_partners(database, 1, 2, 3, 4)
    await sending_broadcast(database, 1)
    async with database.transaction() as repositories:
        outbox = repositories.outbox
        await outbox.enqueue(2, "de", REMINDER, NOW, reminder_key="r")
        await outbox.enqueue(3, "de", REMINDER, NOW, reminder_key="r", not_before=NOW + LEASE)
        await outbox.enqueue(4, "de", REMINDER, NOW, reminder_key="r")
        await repositories.users.mark_unreachable(4)
    assert await claim(database, 1) == [(1, None)]  # held, not yet sent: still due
    async with database.transaction() as repositories:
        assert await repositories.outbox.count_due(NOW) == 2
        assert await repositories.outbox.count_due(NOW + LEASE) == 3
