"""Announcements under Telegram's limits: everyone gets one once, also when Telegram answers a
429 on the way or allows less than the bot assumes, and partners asking meanwhile are answered
without meeting a 429 themselves."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field

import pytest

from bot.emulator import (
    AnsweredCallback,
    ApiCall,
    EventKind,
    RateLimit,
    SentMessage,
    TelegramEmulator,
    User,
)
from bot.registration.service import RsvpAnswers
from storage.users import Visitor
from tests.e2e.rsvp_steps import tap
from tests.e2e.test_broadcast import ORGANISER_ID, compose, final_report, preview_and_audience
from tests.harness import RunningBot, StartBot

ANNOUNCEMENT = "Wichtig: neue Infos"
QUESTION = "Wo findet die Konferenz statt?"
CROWD = 60


@pytest.fixture
async def emulator(request: pytest.FixtureRequest) -> AsyncIterator[TelegramEmulator]:
    """Telegram's limits: 30 messages a second (or what the test says), one a second per chat.
    Chats open on the first message, for partners who are only in the database."""
    overall = getattr(request, "param", 30)
    limits = RateLimit(global_per_second=overall, per_chat_per_second=1, per_group_per_minute=20)
    async with TelegramEmulator(rate_limit=limits, auto_create_chats=True) as emulator:
        yield emulator


@dataclass
class Announcement:
    """What the crowd received, and when the askers asked (the emulator's marks)."""

    emulator: TelegramEmulator
    crowd: Sequence[int]
    askers: Sequence[User]
    ask_after: Sequence[int]  # announcements delivered when each asker asks
    on_delivery: Callable[[int], None] = lambda delivered: None
    delivered: list[int] = field(default_factory=list)
    asked_at: dict[int, int] = field(default_factory=dict)
    first_call: int = 0

    def __call__(self, kind: EventKind, item: SentMessage | AnsweredCallback) -> None:
        """An emulator listener: counts the announcements; partners ask as they arrive."""
        if kind != "sent" or not isinstance(item, SentMessage) or item.chat_id not in self.crowd:
            return
        if item.plain_text != ANNOUNCEMENT:
            return
        self.delivered.append(item.chat_id)
        self.on_delivery(len(self.delivered))
        if len(self.delivered) in self.ask_after:
            asker = self.askers[self.ask_after.index(len(self.delivered))]
            self.asked_at[asker.id] = self.emulator.mark()
            self.emulator.send_text(asker, QUESTION)

    def waiting(self) -> list[int]:
        """The crowd's chats that have not got it yet, in the order they were queued."""
        return [chat for chat in self.crowd if chat not in self.delivered]

    def refused(self) -> list[ApiCall]:
        """Telegram's 429s since the organiser tapped "send"."""
        return [call for call in self.emulator.calls[self.first_call :] if call.status == 429]


async def askers_who_registered(bot: RunningBot, emulator: TelegramEmulator) -> list[User]:
    """Three partners who registered, so an announcement to those without an answer skips
    them; they ask while it goes out."""
    askers = [emulator.user(first_name=f"Frida {n}", language_code="de") for n in range(3)]
    for asker in askers:
        await emulator.ask(asker, "/start")
        answers = RsvpAnswers(attending=True, name=asker.first_name)
        await bot.services.registrations.submit(asker.id, answers)
    return askers


async def announce(emulator: TelegramEmulator, announcement: Announcement) -> SentMessage:
    """The organiser announces to everyone without an answer; returns the final report."""
    organiser = emulator.user(id=ORGANISER_ID, first_name="Olga", language_code="de")
    _, _, audience = await preview_and_audience(
        emulator, organiser, await compose(emulator, organiser, ANNOUNCEMENT)
    )
    count = len(announcement.crowd)
    confirm = await tap(emulator, organiser, audience, f"Noch keine Antwort ({count})")
    emulator.add_listener(announcement)
    announcement.first_call = len(emulator.calls)
    emulator.click(organiser, confirm, "Jetzt senden")
    return await final_report(emulator, organiser)


async def assert_everyone_once_and_every_asker_answered(
    announcement: Announcement, report: SentMessage
) -> None:
    count = len(announcement.crowd)
    assert f"Zugestellt: {count} von {count}" in report.plain_text
    assert Counter(announcement.delivered) == Counter(announcement.crowd)  # no one twice
    assert sorted(announcement.asked_at) == sorted(asker.id for asker in announcement.askers)
    for asker in announcement.askers:
        since = announcement.asked_at[asker.id]
        answer = await announcement.emulator.wait_for(asker, since=since, timeout=10)
        assert "Alte Handelsbörse" in answer.plain_text


async def test_an_announcement_through_a_429_reaches_everyone_once_and_replies_meet_none(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    bot = await start_bot(admin_ids=frozenset({ORGANISER_ID}))
    askers = await askers_who_registered(bot, emulator)
    crowd = [emulator.user(language_code="de") for _ in range(CROWD)]
    for person in crowd:
        emulator.send_text(person, "/start")
    for person in crowd:
        await emulator.wait_for(person, timeout=20)
    refused_chat: list[int] = []

    def flood(delivered: int) -> None:
        """After 20, Telegram answers a 429 for a row a few places on (the next ones may be on
        their way already)."""
        if delivered == 20:
            refused_chat.append(announcement.waiting()[4])
            emulator.fail_next("sendMessage", chat_id=refused_chat[0], retry_after=1)

    announcement = Announcement(
        emulator, [person.id for person in crowd], askers, (10, 25, 40), on_delivery=flood
    )
    report = await announce(emulator, announcement)

    await assert_everyone_once_and_every_asker_answered(announcement, report)
    # The one 429 is the one set up: the pace provoked none, and no reply met one.
    assert [int(call.params["chat_id"]) for call in announcement.refused()] == refused_chat


@pytest.mark.parametrize("emulator", [12], indirect=True)
async def test_against_a_lower_limit_bulk_sending_meets_it_and_replies_do_not(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    """Telegram takes 12 a second here, the bot assumes 30: the announcement finds the limit
    with a 429 of its own and stays under it; partners asking meanwhile never meet it."""
    bot = await start_bot(admin_ids=frozenset({ORGANISER_ID}))
    askers = await askers_who_registered(bot, emulator)
    crowd = list(range(300_000_001, 300_000_001 + CROWD))
    async with bot.services.database.transaction() as repositories:  # partners from before
        for user_id in crowd:
            visitor = Visitor(user_id, f"Partner {user_id}", None, None, "de")
            await repositories.users.record_visit(visitor, bot.clock.now())

    announcement = Announcement(emulator, crowd, askers, (20, 32, 44))
    report = await announce(emulator, announcement)

    await assert_everyone_once_and_every_asker_answered(announcement, report)
    refused = [int(call.params["chat_id"]) for call in announcement.refused()]
    assert refused, "the announcement never met the lower limit"
    assert set(refused) <= set(crowd)  # bulk sending met it, no reply did
    assert len(refused) <= 3  # one flood, with what was on its way, not a stream
