"""Repositories on a real database: a SQLite file, and PostgreSQL when TEST_POSTGRES_URL is set."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect

from storage.database import Database
from storage.users import Visitor

T0 = datetime(2025, 6, 1, 10, 0, tzinfo=UTC)


def visitor(user_id: int = 42, **changes: str | None) -> Visitor:
    fields = {
        "first_name": "Anna",
        "last_name": "Schmidt",
        "username": "anna",
        "telegram_language": "de",
    }
    return Visitor(id=user_id, **{**fields, **changes})  # type: ignore[arg-type]


async def test_migrations_create_the_tables_and_can_run_twice(database: Database) -> None:
    await database.migrate()
    async with database.engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    assert {"users", "question_relays", "alembic_version"} <= set(tables)


async def test_first_visit_creates_the_user_and_later_visits_refresh_names(
    database: Database,
) -> None:
    async with database.transaction() as repositories:
        created = await repositories.users.record_visit(visitor(), T0)
    assert (created.first_name, created.first_seen, created.reachable) == ("Anna", T0, True)

    later = T0 + timedelta(days=2)
    async with database.transaction() as repositories:
        await repositories.users.record_visit(visitor(first_name="Anna-Lena"), later)
    async with database.transaction() as repositories:
        stored = await repositories.users.get(42)
    assert stored is not None
    assert stored.first_name == "Anna-Lena"
    assert stored.first_seen == T0
    assert stored.last_seen == later


async def test_times_come_back_as_aware_utc(database: Database) -> None:
    leipzig_summer = timezone(timedelta(hours=2))
    async with database.transaction() as repositories:
        await repositories.users.record_visit(
            visitor(), datetime(2025, 6, 10, 18, 0, tzinfo=leipzig_summer)
        )
    async with database.transaction() as repositories:
        stored = await repositories.users.get(42)
    assert stored is not None
    assert stored.last_seen == datetime(2025, 6, 10, 16, 0, tzinfo=UTC)
    assert stored.last_seen.utcoffset() == timedelta(0)


async def test_simultaneous_first_visits_of_one_user_make_one_row(database: Database) -> None:
    async def visit() -> None:
        async with database.transaction() as repositories:
            await repositories.users.record_visit(visitor(7), T0)

    await asyncio.gather(*(visit() for _ in range(10)))
    async with database.transaction() as repositories:
        assert await repositories.users.get(7) is not None


async def test_language_choice_and_reachability_are_stored(database: Database) -> None:
    async with database.transaction() as repositories:
        await repositories.users.record_visit(visitor(), T0)
        await repositories.users.set_language(42, "en")
        await repositories.users.mark_unreachable(42)
    async with database.transaction() as repositories:
        stored = await repositories.users.get(42)
    assert stored is not None and (stored.language, stored.reachable) == ("en", False)
    async with database.transaction() as repositories:
        await repositories.users.record_visit(visitor(), T0 + timedelta(hours=1))
        stored = await repositories.users.get(42)
    assert stored is not None and stored.reachable, "writing again proves the chat is open"


async def test_a_relayed_question_is_found_by_the_organisers_message(database: Database) -> None:
    async with database.transaction() as repositories:
        await repositories.users.record_visit(visitor(), T0)
        relay = await repositories.questions.add(
            user_id=42, question="WLAN?", organiser_chat_id=-100, organiser_message_id=9, now=T0
        )
    async with database.transaction() as repositories:
        found = await repositories.questions.find(-100, 9)
        assert await repositories.questions.find(-100, 10) is None
        assert found is not None and (found.id, found.user_id) == (relay.id, 42)
        assert await repositories.questions.claim_answer(found.id, T0, None, answered_by=7)
        assert not await repositories.questions.claim_answer(found.id, T0, None, answered_by=8)
    async with database.transaction() as repositories:
        found = await repositories.questions.find(-100, 9)
    assert found is not None and (found.answered_at, found.answered_by) == (T0, 7)


async def test_failed_action_leaves_nothing_behind(database: Database) -> None:
    with pytest.raises(RuntimeError):
        async with database.transaction() as repositories:
            await repositories.users.record_visit(visitor(99), T0)
            raise RuntimeError("the reply failed")
    async with database.transaction() as repositories:
        assert await repositories.users.get(99) is None


async def test_a_reader_sees_the_last_commit_while_a_writer_is_in_its_transaction(
    database: Database,
) -> None:
    """The dashboard reads beside the partners' writes: it neither waits for the writer's turn
    (on SQLite, a reader behind the write lock would wait here until the writer ends) nor sees
    what the writer has not committed."""
    async with database.transaction() as repositories:
        await repositories.users.record_visit(visitor(), T0)
    async with database.transaction() as writer:
        await writer.users.record_visit(visitor(first_name="Anna-Lena"), T0 + timedelta(days=1))
        async with asyncio.timeout(5):
            async with database.reading() as reader:
                seen = await reader.users.get(42)
        assert seen is not None and seen.first_name == "Anna"
    async with database.reading() as reader:
        seen = await reader.users.get(42)
    assert seen is not None and seen.first_name == "Anna-Lena"
