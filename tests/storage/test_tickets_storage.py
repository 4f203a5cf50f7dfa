"""Tickets and feedback on a real database: one check-in wins, tokens change, data is erasable."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from alembic import command
from sqlalchemy import delete, text
from sqlalchemy.engine import Connection

from bot.checkin.service import CheckinOutcome, CheckinService
from bot.checkin.tickets import token_from_start
from bot.core.clock import ManualClock
from bot.core.event_context import EventContext
from bot.core.texts import Texts
from bot.programme.model import SHIPPED_PROGRAMME, load_programme
from bot.registration.service import RegistrationService, RsvpAnswers
from storage.database import Database, alembic_config
from storage.models import User
from storage.users import Visitor

NOW = datetime(2025, 5, 20, 9, 0, tzinfo=UTC)


async def confirmed(
    database: Database, *user_ids: int
) -> tuple[RegistrationService, CheckinService]:
    programme, clock = load_programme(SHIPPED_PROGRAMME), ManualClock(NOW)
    event = EventContext(database, clock, Texts.load(), "de", lambda: programme)
    registrations = RegistrationService(event)
    await registrations.sync_event()
    async with database.transaction() as repositories:
        for user_id in user_ids:
            visitor = Visitor(user_id, f"Partner {user_id}", None, None, "de")
            await repositories.users.record_visit(visitor, NOW)
    for user_id in user_ids:
        await registrations.submit(user_id, RsvpAnswers(attending=True, name=f"P{user_id}"))
    return registrations, CheckinService(event)


async def test_two_organisers_tapping_at_once_check_in_once(database: Database) -> None:
    _, desk = await confirmed(database, 1)
    ticket = await desk.ticket_of(1)
    assert ticket is not None
    results = await asyncio.gather(
        *(desk.check_in(ticket.registration_id, ticket.token, 1, 900 + n) for n in range(2))
    )
    outcomes = sorted(result.outcome for result in results)
    assert outcomes == [CheckinOutcome.ALREADY, CheckinOutcome.CHECKED_IN]
    assert await desk.figures() == (1, 1)


async def test_every_confirmation_gets_its_own_token_and_a_change_a_new_one(
    database: Database,
) -> None:
    registrations, desk = await confirmed(database, 1, 2)
    first, second = await desk.ticket_of(1), await desk.ticket_of(2)
    assert first is not None and second is not None and first.token != second.token
    await registrations.submit(1, RsvpAnswers(attending=True, name="P1", persons=2))
    changed = await desk.ticket_of(1)
    assert changed is not None and changed.token != first.token
    assert await desk.scan(first.token) is None
    result = await desk.check_in(first.registration_id, first.token, 1, 900)
    assert result.outcome is CheckinOutcome.INVALID


async def test_more_persons_than_registered_are_not_checked_in(database: Database) -> None:
    _, desk = await confirmed(database, 1)
    ticket = await desk.ticket_of(1)
    assert ticket is not None
    result = await desk.check_in(ticket.registration_id, ticket.token, ticket.persons + 1, 900)
    assert result.outcome is CheckinOutcome.INVALID
    assert await desk.figures() == (0, 0)


async def test_deleting_a_user_deletes_their_feedback(database: Database) -> None:
    await confirmed(database, 1)
    async with database.transaction() as repositories:
        await repositories.feedback.rate("klimakonferenz-2025", 1, 4, NOW)
        assert await repositories.feedback.comment("klimakonferenz-2025", 1, "gut", NOW)
    async with database.transaction() as repositories:
        await repositories.session.execute(delete(User).where(User.id == 1))
    async with database.transaction() as repositories:
        assert await repositories.feedback.all("klimakonferenz-2025") == []


async def test_partners_confirmed_before_tickets_existed_get_one_on_upgrade(
    database_url: str,
) -> None:
    """Migration 0007 gives every confirmed registration a token, and only those."""

    def migrate(connection: Connection, revision: str) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    database = Database(database_url)
    try:
        async with database.engine.begin() as connection:
            await connection.run_sync(migrate, "0006")
            await connection.execute(
                text(
                    "INSERT INTO users (id, first_name, first_seen, last_seen, reachable,"
                    " reminders_enabled) VALUES (1, 'A', :now, :now, true, true),"
                    " (2, 'B', :now, :now, true, true)"
                ),
                {"now": NOW.replace(tzinfo=None)},
            )
            await connection.execute(
                text("INSERT INTO events (key, capacity, confirmed_persons) VALUES ('e', 9, 1)")
            )
            for user_id, status in ((1, "confirmed"), (2, "declined")):
                await connection.execute(
                    text(
                        "INSERT INTO registrations (event_key, user_id, status, name, persons,"
                        " language, calendar_uid, calendar_sequence, registered_at, changed_at)"
                        " VALUES ('e', :user, :status, 'X', 1, 'de', 'uid', 0, :now, :now)"
                    ),
                    {"user": user_id, "status": status, "now": NOW.replace(tzinfo=None)},
                )
            await connection.run_sync(migrate, "head")
            rows = await connection.execute(
                text("SELECT user_id, ticket_token FROM registrations ORDER BY user_id")
            )
            tokens = dict(rows.all())
        assert tokens[2] is None
        assert token_from_start(f"ci_{tokens[1]}") == tokens[1]
    finally:
        await database.close()
