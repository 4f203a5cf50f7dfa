"""A person's rows found through the schema: exported, erased, and deleted after retention."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from storage.database import Database
from storage.models import BotState, EventRecord, Registration, SeatChange
from storage.privacy import user_tables
from storage.repositories import Repositories
from storage.users import Visitor

T0 = datetime(2025, 6, 1, 10, 0, tzinfo=UTC)
EVENT = "klimakonferenz-2025"
ANNA, BOB, OLGA, ADAM = 101, 202, 303, 404  # two partners, an organiser, an admin


async def register(repositories: Repositories, user_id: int, name: str, persons: int) -> None:
    assert await repositories.registrations.take_seats(EVENT, persons, T0)
    repositories.registrations.add(
        Registration(
            event_key=EVENT,
            user_id=user_id,
            status="confirmed",
            name=name,
            organisation=f"Organisation of {name}",
            persons=persons,
            dietary="vegan",
            accessibility="step-free entrance",
            language="de",
            calendar_uid=f"uid{user_id}",
            registered_at=T0,
            changed_at=T0,
        )
    )


@pytest.fixture
async def world(database: Database) -> Database:
    """Anna and Bob registered, asked a question and got a reminder; Olga organises; Adam admins."""
    async with database.transaction() as repositories:
        await repositories.registrations.sync_event(EVENT, 100)
        for user_id, name in ((ANNA, "Anna"), (BOB, "Bob"), (OLGA, "Olga"), (ADAM, "Adam")):
            await repositories.users.record_visit(Visitor(user_id, name, None, None, "de"), T0)
        await repositories.organisers.add(OLGA, ADAM, T0)
        for user_id, name, persons in ((ANNA, "Anna", 2), (BOB, "Bob", 1), (OLGA, "Olga", 1)):
            await register(repositories, user_id, name, persons)
            await repositories.questions.add(
                user_id=user_id,
                question=f"Question of {name}",
                organiser_chat_id=-100,
                organiser_message_id=user_id,
                now=T0,
            )
            await repositories.outbox.enqueue(
                user_id, "de", '{"text": "Erinnerung"}', T0, reminder_key="day-before"
            )
        repositories.session.add(
            BotState(kind="user_data", key=str(ANNA), data="{}", user_id=ANNA, updated_at=T0)
        )
    return database


async def seat_figures(database: Database) -> tuple[int, int]:
    """The anonymous counts: confirmed persons on the event, and seat-history entries."""
    async with database.transaction() as repositories:
        event = await repositories.session.get(EventRecord, EVENT)
        history = await repositories.session.scalar(select(func.count()).select_from(SeatChange))
        assert event is not None and history is not None
        return event.confirmed_persons, history


async def test_every_table_with_a_user_id_is_part_of_a_persons_data() -> None:
    names = {table.name for table in user_tables()}
    assert {"registrations", "question_relays", "outbox", "bot_state", "organisers"} <= names
    assert "seat_changes" not in names and "events" not in names


async def test_rows_of_a_user_are_theirs_from_every_table_and_nobody_elses(world: Database) -> None:
    async with world.transaction() as repositories:
        rows = await repositories.personal_data.rows_of(ANNA)

    assert [row["first_name"] for row in rows["users"]] == ["Anna"]
    assert [row["name"] for row in rows["registrations"]] == ["Anna"]
    assert rows["registrations"][0]["accessibility"] == "step-free entrance"
    assert [row["question"] for row in rows["question_relays"]] == ["Question of Anna"]
    assert [row["reminder_key"] for row in rows["outbox"]] == ["day-before"]
    assert [row["key"] for row in rows["bot_state"]] == [str(ANNA)]
    assert rows["organisers"] == []
    everything = repr(rows)
    assert "Bob" not in everything and "Olga" not in everything
    assert rows["users"][0]["first_seen"] == T0  # times come back aware, in UTC


async def test_erasing_a_user_deletes_their_rows_and_keeps_everyone_elses(world: Database) -> None:
    before = await seat_figures(world)
    async with world.transaction() as repositories:
        deleted = await repositories.personal_data.erase_user(ANNA)

    # Tables without rows of Anna's count 0; new tables with a user_id join in automatically.
    assert {table: count for table, count in deleted.items() if count} == {
        "registrations": 1,
        "question_relays": 1,
        "outbox": 1,
        "users": 1,
    }
    async with world.transaction() as repositories:
        anna = await repositories.personal_data.rows_of(ANNA)
        bob = await repositories.personal_data.rows_of(BOB)
    # Conversation state is erased through storage.persistence (it also holds a cache).
    assert {table: rows for table, rows in anna.items() if rows} == {"bot_state": anna["bot_state"]}
    assert [len(bob[table]) for table in ("users", "registrations", "outbox")] == [1, 1, 1]
    assert await seat_figures(world) == before  # anonymous counts stay


async def test_an_organiser_erasing_their_data_keeps_the_role(world: Database) -> None:
    async with world.transaction() as repositories:
        await repositories.personal_data.erase_user(OLGA)
    async with world.transaction() as repositories:
        assert await repositories.organisers.contains(OLGA)
        assert await repositories.users.get(OLGA) is None


async def test_retention_deletes_the_events_data_and_keeps_organisers(world: Database) -> None:
    before = await seat_figures(world)
    async with world.transaction() as repositories:
        deleted, erased = await repositories.personal_data.erase_event(EVENT, keep_user_ids={ADAM})

    assert erased == [ANNA, BOB]
    assert {table: count for table, count in deleted.items() if count} == {
        "registrations": 3,
        "question_relays": 3,
        "outbox": 3,
        "users": 2,
    }
    async with world.transaction() as repositories:
        for partner in (ANNA, BOB):
            rows = await repositories.personal_data.rows_of(partner)
            assert not any(rows[table] for table in rows if table != "bot_state")
        assert (await repositories.users.get(OLGA)) is not None
        assert (await repositories.users.get(ADAM)) is not None
        assert await repositories.organisers.contains(OLGA)
        assert await repositories.registrations.all(EVENT) == []
    assert await seat_figures(world) == before  # the statistics survive


async def test_retention_of_another_event_leaves_this_ones_registrations(
    world: Database,
) -> None:
    async with world.transaction() as repositories:
        await repositories.personal_data.erase_event("another-event", keep_user_ids={ADAM})
    async with world.transaction() as repositories:
        # Partners go with their user rows; the organiser's registration of this event stays.
        assert [row.user_id for row in await repositories.registrations.all(EVENT)] == [OLGA]
