"""Visits are written in batches, yet every transaction finds the users who wrote before it."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from storage.database import Database
from storage.users import Visit, Visitor
from storage.visits import WRITE_DELAY, PendingVisits

T0 = datetime(2025, 6, 1, 10, 0, tzinfo=UTC)


def visitor(user_id: int = 42, first_name: str = "Anna") -> Visitor:
    return Visitor(
        id=user_id,
        first_name=first_name,
        last_name="Schmidt",
        username="anna",
        telegram_language="de",
    )


async def stored_ids(database_url: str, user_ids: Sequence[int]) -> set[int]:
    """The users stored, read through a connection of its own (which writes no visits)."""
    reader = Database(database_url)
    try:
        async with reader.transaction() as repositories:
            return {uid for uid in user_ids if await repositories.users.get(uid) is not None}
    finally:
        await reader.close()


async def test_a_transaction_finds_the_user_whose_visit_was_just_noted(
    database: Database,
) -> None:
    database.visits.note(visitor(), T0)
    async with database.transaction() as repositories:
        user = await repositories.users.get(42)
    assert user is not None and (user.first_name, user.first_seen) == ("Anna", T0)
    assert len(database.visits) == 0


async def test_noted_visits_are_written_together_shortly_after(
    database: Database, database_url: str
) -> None:
    for user_id in (1, 2, 3):
        database.visits.note(visitor(user_id), T0)
    assert await stored_ids(database_url, (1, 2, 3)) == set()  # nothing written yet
    for _ in range(int(10 * WRITE_DELAY / 0.05)):
        await asyncio.sleep(0.05)
        if await stored_ids(database_url, (1, 2, 3)) == {1, 2, 3}:
            break
    else:
        raise AssertionError("the noted visits were never written")


async def test_the_visits_left_are_written_on_close(database_url: str) -> None:
    database = Database(database_url)
    await database.migrate()
    database.visits.note(visitor(first_name="Anna"), T0)
    database.visits.note(visitor(first_name="Anna-Lena"), T0 + timedelta(minutes=1))
    await database.close()

    reader = Database(database_url)
    try:
        async with reader.transaction() as repositories:
            user = await repositories.users.get(42)
    finally:
        await reader.close()
    assert user is not None
    assert (user.first_name, user.first_seen) == ("Anna-Lena", T0)
    assert user.last_seen == T0 + timedelta(minutes=1)


async def test_a_visit_noted_before_an_erasure_does_not_bring_the_user_back(
    database: Database, database_url: str
) -> None:
    async with database.transaction() as repositories:
        await repositories.users.record_visit(visitor(), T0)
    database.visits.note(visitor(), T0 + timedelta(minutes=10))  # not written yet

    async with database.transaction() as repositories:
        deleted = await repositories.personal_data.erase_user(42)
    assert deleted["users"] == 1
    await database.visits.close()  # anything still pending would be written now
    assert await stored_ids(database_url, (42,)) == set()


async def test_details_longer_than_their_columns_do_not_hold_up_the_batch(
    database: Database,
) -> None:
    odd = Visitor(
        id=7,
        first_name="A" * 300,
        last_name=None,
        username="u" * 70,
        telegram_language="x" * 40,
    )
    database.visits.note(odd, T0)
    database.visits.note(visitor(), T0)
    async with database.transaction() as repositories:
        stored = await repositories.users.get(7)
        assert await repositories.users.get(42) is not None
    assert stored is not None and stored.username == "u" * 64


async def test_a_user_who_comes_back_after_a_block_is_reachable_again(
    database: Database,
) -> None:
    async with database.transaction() as repositories:
        await repositories.users.record_visit(visitor(), T0)
        await repositories.users.mark_unreachable(42)
    database.visits.note(visitor(), T0 + timedelta(days=1))
    async with database.transaction() as repositories:
        user = await repositories.users.get(42)
    assert user is not None and user.reachable and user.first_seen == T0


async def test_visits_of_a_failed_write_wait_for_the_next_one() -> None:
    written: list[list[Visit]] = []
    failures = [ConnectionError("the database went away")]

    async def write(visits: Sequence[Visit]) -> None:
        if failures:
            raise failures.pop()
        written.append(list(visits))

    pending = PendingVisits(write, delay=3600)
    pending.note(visitor(first_name="Anna"), T0)
    with pytest.raises(ConnectionError):
        await pending.write()
    pending.note(visitor(first_name="Anna-Lena"), T0 + timedelta(minutes=1))
    await pending.close()
    assert written == [
        [Visit(visitor(first_name="Anna-Lena"), T0, T0 + timedelta(minutes=1))],
    ]
