"""Seats, waitlist and deadline on a real database (SQLite file, and PostgreSQL when configured)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.clock import ManualClock
from bot.core.event_context import EventContext
from bot.core.texts import Texts
from bot.programme.model import SHIPPED_PROGRAMME, Programme, load_programme
from bot.registration.rules import Status
from bot.registration.service import Outcome, RegistrationService, RsvpAnswers
from storage.database import Database
from storage.users import Visitor

BEFORE_DEADLINE = datetime(2025, 5, 20, 9, 0, tzinfo=UTC)


def small_event(capacity: int) -> Programme:
    programme = load_programme(SHIPPED_PROGRAMME)
    event = programme.event.model_copy(update={"capacity": capacity})
    return programme.model_copy(update={"event": event})


class Desk:
    """A registration desk on a fresh database with partners 1..n known to the bot."""

    def __init__(self, database: Database, capacity: int) -> None:
        self.database = database
        self.clock = ManualClock(BEFORE_DEADLINE)
        self.programme = small_event(capacity)
        self.registrations = RegistrationService(
            EventContext(database, self.clock, Texts.load(), "de", lambda: self.programme)
        )

    async def partners(self, *ids: int) -> None:
        async with self.database.transaction() as repositories:
            for user_id in ids:
                visitor = Visitor(user_id, f"Partner {user_id}", None, None, "de")
                await repositories.users.record_visit(visitor, self.clock.now())

    async def register(self, user_id: int, persons: int, **options: object) -> Outcome:
        answers = RsvpAnswers(attending=True, name=f"P{user_id}", persons=persons, **options)  # type: ignore[arg-type]
        return (await self.registrations.submit(user_id, answers)).outcome


@pytest.fixture
async def desk(database: Database) -> Desk:
    desk = Desk(database, capacity=5)
    await desk.registrations.sync_event()
    await desk.partners(*range(1, 21))
    return desk


async def test_confirming_takes_seats_and_declining_takes_none(desk: Desk) -> None:
    assert await desk.register(1, 2) is Outcome.CONFIRMED
    result = await desk.registrations.submit(2, RsvpAnswers(attending=False, name="Nein"))
    assert result.outcome is Outcome.DECLINED
    assert await desk.registrations.seats_left() == 3


async def test_full_event_offers_the_waitlist_and_stores_nothing_until_accepted(
    desk: Desk,
) -> None:
    assert await desk.register(1, 3) is Outcome.CONFIRMED
    result = await desk.registrations.submit(2, RsvpAnswers(attending=True, name="B", persons=3))
    assert (result.outcome, result.seats_left) == (Outcome.FULL, 2)
    assert await desk.registrations.current(2) is None
    assert await desk.register(2, 3, waitlist_ok=True) is Outcome.WAITLISTED
    assert (await desk.registrations.current(2)).status is Status.WAITLISTED


async def test_last_seat_goes_to_exactly_one_partner(desk: Desk) -> None:
    assert await desk.register(1, 4) is Outcome.CONFIRMED
    outcomes = await asyncio.gather(*(desk.register(user, 1) for user in range(2, 12)))
    assert outcomes.count(Outcome.CONFIRMED) == 1
    assert outcomes.count(Outcome.FULL) == 9
    summary = await desk.registrations.summary()
    assert summary.persons(Status.CONFIRMED) == 5
    assert summary.seats_left == 0


async def test_many_simultaneous_parties_never_oversell(database: Database) -> None:
    desk = Desk(database, capacity=17)
    await desk.registrations.sync_event()
    await desk.partners(*range(1, 41))
    outcomes = await asyncio.gather(
        *(desk.register(user, 1 + user % 3, waitlist_ok=True) for user in range(1, 41))
    )
    summary = await desk.registrations.summary()
    assert summary.persons(Status.CONFIRMED) <= 17
    assert summary.parties(Status.CONFIRMED) + summary.parties(Status.WAITLISTED) == 40
    assert outcomes.count(Outcome.CONFIRMED) == summary.parties(Status.CONFIRMED)
    assert summary.seats_left == 17 - summary.persons(Status.CONFIRMED)


async def test_cancelling_promotes_the_waitlist_in_order_skipping_parties_that_do_not_fit(
    desk: Desk,
) -> None:
    assert await desk.register(1, 3) is Outcome.CONFIRMED
    assert await desk.register(2, 2) is Outcome.CONFIRMED
    desk.clock.advance(timedelta(minutes=1))
    assert await desk.register(3, 3, waitlist_ok=True) is Outcome.WAITLISTED
    desk.clock.advance(timedelta(minutes=1))
    assert await desk.register(4, 2, waitlist_ok=True) is Outcome.WAITLISTED
    desk.clock.advance(timedelta(minutes=1))
    assert await desk.register(5, 1, waitlist_ok=True) is Outcome.WAITLISTED

    result = await desk.registrations.cancel(2)  # frees 2 seats: the party of 3 does not fit
    assert result.outcome is Outcome.CANCELLED
    assert [view.user_id for view in result.promoted] == [4]
    assert (await desk.registrations.current(3)).status is Status.WAITLISTED

    result = await desk.registrations.cancel(1)  # frees 3: the party of 3 is first in line
    assert [view.user_id for view in result.promoted] == [3]
    assert (await desk.registrations.current(5)).status is Status.WAITLISTED
    assert await desk.registrations.seats_left() == 0


async def test_reducing_persons_frees_seats_for_the_waitlist(desk: Desk) -> None:
    assert await desk.register(1, 3) is Outcome.CONFIRMED
    assert await desk.register(2, 2) is Outcome.CONFIRMED
    assert await desk.register(3, 1, waitlist_ok=True) is Outcome.WAITLISTED
    result = await desk.registrations.submit(1, RsvpAnswers(attending=True, name="P1", persons=2))
    assert result.outcome is Outcome.CONFIRMED
    assert [view.user_id for view in result.promoted] == [3]


async def test_increasing_persons_needs_free_seats(desk: Desk) -> None:
    assert await desk.register(1, 2) is Outcome.CONFIRMED
    assert await desk.register(2, 3) is Outcome.CONFIRMED
    result = await desk.registrations.submit(1, RsvpAnswers(attending=True, name="P1", persons=3))
    assert result.outcome is Outcome.FULL
    assert (await desk.registrations.current(1)).persons == 2


async def test_changing_a_confirmed_registration_raises_the_calendar_sequence(desk: Desk) -> None:
    assert await desk.register(1, 1) is Outcome.CONFIRMED
    first = await desk.registrations.current(1)
    assert await desk.register(1, 2) is Outcome.CONFIRMED
    second = await desk.registrations.current(1)
    assert second.calendar_uid == first.calendar_uid
    assert second.calendar_sequence > first.calendar_sequence


async def test_after_the_deadline_only_changes_and_cancellations(desk: Desk) -> None:
    assert await desk.register(1, 2) is Outcome.CONFIRMED
    desk.clock.set(desk.programme.event.rsvp_deadline + timedelta(minutes=1))
    assert await desk.register(2, 1) is Outcome.CLOSED
    assert await desk.register(1, 1) is Outcome.CONFIRMED
    assert (await desk.registrations.cancel(1)).outcome is Outcome.CANCELLED


async def test_once_the_event_has_begun_nothing_is_accepted(desk: Desk) -> None:
    assert await desk.register(1, 2) is Outcome.CONFIRMED
    desk.clock.set(desk.programme.event.starts_at)
    assert await desk.register(2, 1) is Outcome.OVER
    assert (await desk.registrations.cancel(1)).outcome is Outcome.OVER
    assert (await desk.registrations.current(1)).status is Status.CONFIRMED


async def test_organisation_is_remembered_for_next_time(desk: Desk) -> None:
    await desk.register(1, 1, organisation="Leipziger Stadtwerke")
    assert await desk.registrations.remembered_organisation(1) == "Leipziger Stadtwerke"


async def test_seat_history_follows_every_change(desk: Desk) -> None:
    await desk.register(1, 2)
    await desk.register(2, 3)
    await desk.registrations.cancel(1)
    summary = await desk.registrations.summary()
    assert [persons for _, persons in summary.history] == [2, 5, 3]
