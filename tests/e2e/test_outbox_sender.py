"""The outbox sender against the Bot API emulator, with Telegram's flood limits switched on.

Each test builds partners in a real database (SQLite file, and PostgreSQL when configured),
queues a broadcast or reminders, and lets a sender with its own `telegram.Bot` drain them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import func, select
from telegram import Bot

from bot.core.clock import ManualClock
from bot.emulator import RateLimit, SentMessage, TelegramEmulator
from bot.outbox.delivery import send_payload
from bot.outbox.payload import (
    Button,
    DocumentItem,
    Payload,
    PhotoItem,
    TextItem,
    encode_content,
    encode_payload,
)
from bot.outbox.sender import OutboxSender
from storage.announcements import OutboxCounts
from storage.database import Database
from storage.models import BroadcastStatus, OutboxMessage, OutboxState, User
from storage.users import Visitor
from tests.conftest import BEFORE_EVENT, TEST_TOKEN

SEND_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument"})


@pytest.fixture
async def emulator() -> AsyncIterator[TelegramEmulator]:
    """30 messages per second, and strictly one per second per chat (no burst): the sender
    keeps a second between the messages to a partner, so any 429 here means it did not."""
    limits = RateLimit(global_per_second=30, per_chat_per_second=1, per_chat_burst=1)
    async with TelegramEmulator(rate_limit=limits, auto_create_chats=True) as emulator:
        yield emulator


@dataclass
class Outbox:
    """Partners in the database, a dedicated sender bot, and senders to start and stop."""

    database: Database
    bot: Bot
    emulator: TelegramEmulator
    clock: ManualClock = field(default_factory=lambda: ManualClock(BEFORE_EVENT))
    senders: list[OutboxSender] = field(default_factory=list)
    progress: list[tuple[int, OutboxCounts]] = field(default_factory=list)
    unreachable: list[int] = field(default_factory=list)

    async def partners(self, ids: Iterable[int]) -> None:
        async with self.database.transaction() as repositories:
            for user_id in ids:
                visitor = Visitor(user_id, f"Partner {user_id}", None, None, "de")
                await repositories.users.record_visit(visitor, self.clock.now())

    async def broadcast(
        self, content: Mapping[str, Payload], recipients: Iterable[tuple[int, str]]
    ) -> int:
        now = self.clock.now()
        async with self.database.transaction() as repositories:
            broadcast = await repositories.announcements.create_broadcast(
                created_by=1, audience="all", content=encode_content(content), now=now
            )
            assert await repositories.announcements.start_broadcast(broadcast.id, now)
            await repositories.outbox.enqueue_broadcast(broadcast.id, recipients, now)
        self.wake()
        return broadcast.id

    async def remind(self, user_id: int, key: str, payload: Payload) -> None:
        async with self.database.transaction() as repositories:
            assert await repositories.outbox.enqueue(
                user_id, "de", encode_payload(payload), self.clock.now(), reminder_key=key
            )
        self.wake()

    def wake(self) -> None:
        for sender in self.senders:
            sender.wake()

    async def start(self, **options: Any) -> OutboxSender:
        """A sender with short backoffs and small batches, so the tests stay fast."""
        settings: dict[str, Any] = {
            "backoff_base": 0.05,
            "batch": 10,
            "progress_interval": 0.5,
            "on_progress": self._record_progress,
            "on_unreachable": self.unreachable.append,
            **options,
        }
        sender = OutboxSender(self.bot, self.database, self.clock, **settings)
        self.senders.append(sender)
        await sender.start()
        return sender

    async def _record_progress(self, broadcast_id: int) -> None:
        async with self.database.transaction() as repositories:
            counts = await repositories.announcements.counts(broadcast_id)
        self.progress.append((broadcast_id, counts))

    async def until_done(self, broadcast_id: int, timeout: float = 30) -> OutboxCounts:  # noqa: ASYNC109
        async with asyncio.timeout(timeout):
            while True:
                async with self.database.transaction() as repositories:
                    broadcast = await repositories.announcements.get_broadcast(broadcast_id)
                    counts = await repositories.announcements.counts(broadcast_id)
                if broadcast is not None and broadcast.status == BroadcastStatus.DONE:
                    return counts
                await asyncio.sleep(0.05)

    async def until_settled(self, timeout: float = 30) -> None:  # noqa: ASYNC109
        """Until no row is pending any more."""
        async with asyncio.timeout(timeout):
            while True:
                async with self.database.transaction() as repositories:
                    pending = await repositories.session.scalar(
                        select(func.count())
                        .select_from(OutboxMessage)
                        .where(OutboxMessage.state == OutboxState.PENDING)
                    )
                if pending == 0:
                    return
                await asyncio.sleep(0.05)

    async def until_sent(self, count: int, timeout: float = 30) -> None:  # noqa: ASYNC109
        async with asyncio.timeout(timeout):
            while True:
                if self.emulator.stats.sent >= count:
                    return
                await asyncio.sleep(0.01)

    async def until_reported(self, report: tuple[int, OutboxCounts], timeout: float = 10) -> None:  # noqa: ASYNC109
        """Until the progress report (a task of its own) says `report`."""
        async with asyncio.timeout(timeout):
            while True:
                if self.progress and self.progress[-1] == report:
                    return
                await asyncio.sleep(0.01)

    async def rows(self, user_id: int) -> list[OutboxMessage]:
        async with self.database.transaction() as repositories:
            result = await repositories.session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.user_id == user_id)
                .order_by(OutboxMessage.id)
            )
            return list(result)

    def accepted_at(self, chat_id: int) -> list[float]:
        """When the emulator accepted sends to this chat, in order."""
        return [
            call.time
            for call in self.emulator.calls
            if call.method in SEND_METHODS
            and call.status == 200
            and call.params.get("chat_id") == chat_id
        ]

    def received(self, chat_id: int) -> list[SentMessage]:
        return self.emulator.messages_to(chat_id)


@pytest.fixture
async def outbox(database_url: str, emulator: TelegramEmulator) -> AsyncIterator[Outbox]:
    database = Database(database_url)
    await database.migrate()
    try:
        async with Bot(token=TEST_TOKEN, base_url=emulator.base_url) as bot:
            world = Outbox(database, bot, emulator)
            try:
                yield world
            finally:
                for sender in world.senders:
                    await sender.stop()
    finally:
        await database.close()


INVITATION_DE = TextItem(
    text="🌍 Einladung: Programm ansehen",
    entities=(
        {"type": "bold", "offset": 3, "length": 10},
        {"type": "text_link", "offset": 14, "length": 16, "url": "https://example.org/programm"},
    ),
    buttons=((Button("Zusagen", callback_data="rsvp:yes"), Button("Web", url="https://x.org")),),
)
INVITATION_EN = TextItem(
    text="Invitation: see the programme",
    entities=({"type": "bold", "offset": 0, "length": 11},),
)


def text(content: str) -> TextItem:
    return TextItem(text=content)


async def test_a_broadcast_reaches_every_partner_once_with_its_entities(outbox: Outbox) -> None:
    partners = range(1, 31)
    await outbox.partners(partners)
    await outbox.start()
    broadcast_id = await outbox.broadcast(
        {"de": INVITATION_DE, "en": INVITATION_EN},
        [(user_id, "de" if user_id <= 15 else "en") for user_id in partners],
    )
    assert await outbox.until_done(broadcast_id) == OutboxCounts(sent=30)
    for user_id in partners:
        [message] = outbox.received(user_id)
        expected = INVITATION_DE if user_id <= 15 else INVITATION_EN
        assert message.plain_text == expected.text
        assert message.entities == list(expected.entities)
        assert message.parse_mode is None
    german = outbox.received(1)[0]
    assert [[(b.text, b.callback_data, b.url) for b in row] for row in german.buttons] == [
        [("Zusagen", "rsvp:yes", None), ("Web", None, "https://x.org")]
    ]
    await outbox.until_reported((broadcast_id, OutboxCounts(sent=30)))


async def test_a_photo_goes_out_with_its_caption(outbox: Outbox) -> None:
    photographer = outbox.emulator.user(first_name="Orga")
    file_id = outbox.emulator.send_photo(photographer)["photo"][-1]["file_id"]
    await outbox.partners([1, 2])
    await outbox.start()
    photo = PhotoItem(
        file_id=file_id,
        caption="Der Saal ist bereit",
        caption_entities=({"type": "italic", "offset": 4, "length": 4},),
    )
    broadcast_id = await outbox.broadcast({"de": photo}, [(1, "de"), (2, "en")])
    assert await outbox.until_done(broadcast_id) == OutboxCounts(sent=2)
    for user_id in (1, 2):  # no English version: the partner gets the German one
        [message] = outbox.received(user_id)
        assert message.photo is not None and message.photo.file_id == file_id
        assert message.caption == "Der Saal ist bereit"
        assert message.entities == [{"type": "italic", "offset": 4, "length": 4}]


async def test_sixty_partners_at_25_per_second_never_hit_the_flood_limit(outbox: Outbox) -> None:
    partners = range(1, 61)
    await outbox.partners(partners)
    await outbox.start(rate=25.0, batch=50)
    broadcast_id = await outbox.broadcast(
        {"de": text("Neu im Programm")}, [(user_id, "de") for user_id in partners]
    )
    assert await outbox.until_done(broadcast_id) == OutboxCounts(sent=60)
    assert outbox.emulator.stats.rejected_429 == 0
    assert all(len(outbox.received(user_id)) == 1 for user_id in partners)


async def test_one_partners_reminders_are_a_second_apart_while_others_go_on(
    outbox: Outbox,
) -> None:
    others = range(2, 22)
    await outbox.partners([1, *others])
    for number in (1, 2, 3):
        await outbox.remind(1, f"reminder-{number}", text(f"Erinnerung {number}"))
    for user_id in others:
        await outbox.remind(user_id, "reminder-1", text("Erinnerung 1"))
    await outbox.start()
    await outbox.until_settled()

    assert [m.plain_text for m in outbox.received(1)] == [
        "Erinnerung 1",
        "Erinnerung 2",
        "Erinnerung 3",
    ]
    assert outbox.emulator.stats.rejected_429 == 0  # a second apart: the emulator checks
    third = outbox.accepted_at(1)[-1]
    others_done = max(t for user_id in others for t in outbox.accepted_at(user_id))
    assert others_done < third  # the other partners did not wait for partner 1


async def test_a_sender_sending_one_message_at_a_time_goes_on_after_each(outbox: Outbox) -> None:
    partners = range(1, 6)
    await outbox.partners(partners)
    await outbox.start(max_in_flight=1)
    broadcast_id = await outbox.broadcast(
        {"de": text("Nacheinander")}, [(user_id, "de") for user_id in partners]
    )
    assert await outbox.until_done(broadcast_id, timeout=10) == OutboxCounts(sent=5)


async def test_a_429_pauses_all_sending_as_long_as_telegram_asks(outbox: Outbox) -> None:
    partners = range(1, 31)
    await outbox.partners(partners)
    emulator = outbox.emulator

    def flood_after_ten(kind: str, item: object) -> None:
        if kind == "sent" and emulator.stats.sent == 10:
            emulator.fail_next("sendMessage", error_code=429, retry_after=1)

    emulator.add_listener(flood_after_ten)
    # One send at a time, so none is on its way when the 429 comes back: every send after it
    # started after the sender had read the 429.
    await outbox.start(max_in_flight=1)
    broadcast_id = await outbox.broadcast(
        {"de": text("Bitte beachten")}, [(user_id, "de") for user_id in partners]
    )
    assert await outbox.until_done(broadcast_id) == OutboxCounts(sent=30)

    [flood] = [call for call in emulator.calls if call.status == 429]
    accepted = [c.time for c in emulator.calls if c.method == "sendMessage" and c.status == 200]
    later = [t for t in accepted if t > flood.time]
    assert len(later) == 20  # and then it went on
    # Not before the second Telegram asked for (a bound that a busy machine only widens).
    assert min(later) - flood.time >= 0.99
    assert all(len(outbox.received(user_id)) == 1 for user_id in partners)
    for user_id in partners:
        [row] = await outbox.rows(user_id)
        assert row.attempts == 1  # the 429 was not counted as a failed attempt


async def test_a_partner_who_blocked_the_bot_is_marked_and_skipped(outbox: Outbox) -> None:
    partners = range(1, 7)
    await outbox.partners(partners)
    outbox.emulator.block(3)
    broadcast_id = await outbox.broadcast(
        {"de": text("Ankündigung")}, [(user_id, "de") for user_id in partners]
    )
    await outbox.remind(3, "day-before", text("Morgen geht es los"))
    await outbox.start()
    assert await outbox.until_done(broadcast_id) == OutboxCounts(sent=5, unreachable=1)
    await outbox.until_settled()

    assert [call.status for call in outbox.emulator.calls_of("sendMessage") if
            call.params.get("chat_id") == 3] == [403]  # fmt: skip
    announcement, reminder = await outbox.rows(3)
    assert announcement.state == OutboxState.UNREACHABLE
    assert reminder.state == OutboxState.UNREACHABLE  # skipped, never tried
    async with outbox.database.transaction() as repositories:
        partner = await repositories.session.get(User, 3)
        report = await repositories.announcements.failed_recipients(broadcast_id)
    assert partner is not None and partner.reachable is False
    assert [(r.user_id, r.state) for r in report] == [(3, OutboxState.UNREACHABLE)]
    assert outbox.unreachable == [3]
    assert all(len(outbox.received(user_id)) == 1 for user_id in partners if user_id != 3)


async def test_server_errors_are_retried_and_fail_after_max_attempts(outbox: Outbox) -> None:
    partners = range(1, 6)
    await outbox.partners(partners)
    outbox.emulator.fail_next("sendMessage", chat_id=2, error_code=500, times=2)
    outbox.emulator.fail_next("sendMessage", chat_id=4, error_code=500, times=100)
    await outbox.start(max_attempts=4)
    broadcast_id = await outbox.broadcast(
        {"de": text("Programmänderung")}, [(user_id, "de") for user_id in partners]
    )
    assert await outbox.until_done(broadcast_id) == OutboxCounts(sent=4, failed=1)

    [recovered] = await outbox.rows(2)
    assert (recovered.state, recovered.attempts) == (OutboxState.SENT, 3)
    assert len(outbox.received(2)) == 1
    [failed] = await outbox.rows(4)
    assert (failed.state, failed.attempts) == (OutboxState.FAILED, 4)
    assert failed.last_error == "NetworkError: Internal Server Error"
    assert len([c for c in outbox.emulator.calls if c.params.get("chat_id") == 4]) == 4
    assert all(len(outbox.received(user_id)) == 1 for user_id in (1, 3, 5))


async def test_a_chat_that_is_not_found_fails_with_the_reason(outbox: Outbox) -> None:
    await outbox.partners([1, 2])
    outbox.emulator.fail_next(
        "sendMessage", chat_id=2, error_code=400, description="Bad Request: chat not found"
    )
    await outbox.start()
    broadcast_id = await outbox.broadcast({"de": text("Hallo")}, [(1, "de"), (2, "de")])
    assert await outbox.until_done(broadcast_id) == OutboxCounts(sent=1, failed=1)
    [row] = await outbox.rows(2)
    assert (row.state, row.attempts, row.last_error) == (
        OutboxState.FAILED,
        1,
        "BadRequest: Chat not found",
    )


async def test_a_new_sender_resumes_a_stopped_broadcast_without_duplicates(
    outbox: Outbox,
) -> None:
    partners = range(1, 41)
    await outbox.partners(partners)
    first = await outbox.start(batch=10)
    broadcast_id = await outbox.broadcast(
        {"de": text("Wichtige Information")}, [(user_id, "de") for user_id in partners]
    )
    await outbox.until_sent(10)
    await first.stop()
    stopped_at = outbox.emulator.stats.sent
    async with outbox.database.transaction() as repositories:
        counts = await repositories.announcements.counts(broadcast_id)
        leased = await repositories.session.scalar(
            select(func.count()).where(OutboxMessage.claimed_until.is_not(None))
        )
    assert counts.sent == stopped_at < 40  # every accepted message was recorded
    assert leased == 0  # held rows were given back

    await outbox.start(batch=10)
    assert await outbox.until_done(broadcast_id) == OutboxCounts(sent=40)
    assert all(len(outbox.received(user_id)) == 1 for user_id in partners)


async def test_a_list_payload_arrives_in_order_one_second_apart(outbox: Outbox) -> None:
    calendar = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    payload = [
        text("Ihre Anmeldung ist bestätigt."),
        DocumentItem.upload(calendar, "klimakonferenz.ics", caption="Für Ihren Kalender"),
    ]
    await outbox.partners([1, 2])
    await outbox.remind(1, "confirmation", payload)
    await outbox.remind(2, "confirmation", payload)
    await outbox.start()
    await outbox.until_settled()
    assert outbox.emulator.stats.rejected_429 == 0  # a second apart: the emulator checks
    for user_id in (1, 2):
        confirmation, document = outbox.received(user_id)
        assert confirmation.plain_text == "Ihre Anmeldung ist bestätigt."
        assert document.document is not None
        assert document.document.filename == "klimakonferenz.ics"
        assert document.document.content == calendar
        assert document.caption == "Für Ihren Kalender"
        [row] = await outbox.rows(user_id)
        assert (row.state, row.items_sent, row.last_error) == (OutboxState.SENT, 2, None)


async def test_a_list_whose_later_item_fails_counts_as_sent_with_a_note(outbox: Outbox) -> None:
    await outbox.partners([1])
    outbox.emulator.fail_next("sendDocument", chat_id=1, error_code=400)
    payload = [text("Bestätigt."), DocumentItem.upload(b"BEGIN:VCALENDAR", "termin.ics")]
    await outbox.remind(1, "confirmation", payload)
    await outbox.start()
    await outbox.until_settled()
    assert [m.plain_text for m in outbox.received(1)] == ["Bestätigt."]
    [row] = await outbox.rows(1)
    assert (row.state, row.items_sent) == (OutboxState.SENT, 1)
    assert row.last_error == "item 2/2: BadRequest: Injected failure"


async def test_a_preview_goes_out_at_once_from_the_json_form(outbox: Outbox) -> None:
    bold = {"type": "bold", "offset": 0, "length": 7}
    await send_payload(
        outbox.bot,
        1,
        [{"kind": "text", "text": "Vorschau", "entities": [bold]}, {"kind": "text", "text": "2"}],
    )
    first, second = outbox.received(1)
    assert (first.plain_text, first.entities, second.plain_text) == ("Vorschau", [bold], "2")
