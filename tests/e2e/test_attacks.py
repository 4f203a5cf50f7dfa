"""Attempts to get at what is not one's own: each is refused or neutral, nothing leaks or breaks."""

from __future__ import annotations

import csv
import io

import pytest

from bot.announcements.audiences import Audience
from bot.app import ORGANISER_COMMANDS
from bot.emulator import TelegramEmulator, User
from bot.registration.rules import Status
from bot.registration.service import RsvpAnswers
from tests.conftest import ORGANISERS_CHAT
from tests.e2e.rsvp_steps import register, register_and_confirm
from tests.harness import RunningBot, StartBot

ADMIN_ID = 9001
REFUSAL = "Diese Funktion steht nur dem Orga-Team zur Verfügung."
INJECTION = '<b>Boss</b> & <a href="https://evil.example">Co</a> <tg-spoiler>x</tg-spoiler>'


@pytest.fixture
async def bot(start_bot: StartBot) -> RunningBot:
    return await start_bot(admin_ids=frozenset({ADMIN_ID}), organiser_chat_id=ORGANISERS_CHAT.id)


@pytest.fixture
def admin(emulator: TelegramEmulator) -> User:
    return emulator.user(id=ADMIN_ID, first_name="Ada", language_code="de")


async def test_a_partner_calling_every_organiser_command_gets_only_a_refusal(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    names = sorted({name for command in ORGANISER_COMMANDS for name in command.names})
    assert {
        "export",
        "rundschreiben",
        "einladen",
        "organisatoren",
        "status",
        "faq",
        "uebersicht",
    } <= set(names)
    # Each caller makes at most 12 calls, so that none runs into the flood control's 20
    # updates in 10 seconds.
    chunks = [names[i : i + 12] for i in range(0, len(names), 12)]
    for arguments in ("", " hinzufuegen 5 alles", " export"):
        for chunk in chunks:
            partner = emulator.user(first_name="Mallory", language_code="de")
            await emulator.ask(partner, "/start")
            await bot.services.registrations.submit(
                partner.id, RsvpAnswers(attending=True, name="M")
            )
            start = emulator.mark()
            for name in chunk:
                answer = await emulator.ask(partner, f"/{name}{arguments}")
                assert answer.plain_text == REFUSAL
            await bot.settled()
            sent = emulator.messages_to(partner, since=start)
            assert len(sent) == len(chunk)  # one refusal each, no file, no chart, no draft
    start = emulator.mark()
    emulator.send_document(
        partner, "partner.csv", b"Name\nEvil GmbH\n", mime_type="text/csv", caption="/invites"
    )
    answer = await emulator.wait_for(partner, since=start)
    assert answer.plain_text == REFUSAL
    await bot.settled()
    assert emulator.messages_to(partner, since=start) == [answer]
    assert await bot.services.partners.invites() == []
    assert not await bot.services.organisers.is_organiser(partner.id)


async def test_a_forged_button_cannot_touch_another_partners_registration(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    """Button data copied from the victim's chat and sent from the attacker's own chat."""
    victim = emulator.user(first_name="Vera", language_code="de")
    attacker = emulator.user(first_name="Mallory", language_code="de")
    summary = await register(emulator, victim, persons=2)
    confirm = summary.button("Bestätigen").callback_data
    mark = emulator.mark()
    emulator.click(victim, summary, "Bestätigen")
    await emulator.wait_for(victim, since=mark, predicate=lambda m: m.photo is not None)  # ticket
    cancel = (await emulator.ask(victim, "/absagen")).button("Ja, absagen").callback_data
    own_message = await emulator.ask(attacker, "/start")

    for data in (confirm, cancel, "my:cancel", "ci:1:2", "bcx:1"):
        mark = emulator.mark()
        emulator.send_update(
            {
                "callback_query": {
                    "from": attacker.to_dict(),
                    "message": dict(own_message.payload),
                    "data": data,
                }
            }
        )
        await bot.settled()
        assert emulator.messages_to(victim, since=mark) == [], data
    registration = await bot.services.registrations.current(victim.id)
    assert registration is not None
    assert registration.status is Status.CONFIRMED and registration.persons == 2
    assert await bot.services.registrations.current(attacker.id) is None


async def test_markup_in_names_reaches_organisers_as_plain_text(
    bot: RunningBot, emulator: TelegramEmulator, admin: User
) -> None:
    partner = emulator.user(first_name=INJECTION, username="boss", language_code="de")
    await register_and_confirm(emulator, partner, name=INJECTION, organisation=INJECTION)

    # An unanswerable question is relayed to the organisers' chat with the partner's name.
    emulator.send_text(partner, "Gibt es Ladestationen für Lastenräder mit Anhänger?")
    relayed = await bot.relayed_question(emulator, ORGANISERS_CHAT.id)
    assert INJECTION in relayed.plain_text
    assert not any(e["type"] in ("text_link", "spoiler") for e in relayed.entities or [])

    created = await emulator.ask(admin, f"/einladen {INJECTION}")
    assert INJECTION in created.plain_text
    assert not any(e["type"] == "text_link" for e in created.entities or [])

    await emulator.ask(admin, "/organisatoren hinzufuegen @boss")
    listing = await emulator.ask(admin, "/organisatoren")
    assert INJECTION in listing.plain_text

    export = await emulator.ask(admin, "/export")
    assert export.document is not None
    text = export.document.content.decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(text), delimiter=";")
    assert row["Name"] == row["Organisation"] == INJECTION


async def test_made_up_command_buttons_start_nothing_but_the_named_commands(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    """Buttons under answers about the bot start a command by name; other names, organisers'
    commands among them, only get the note about an inactive button."""
    mallory = emulator.user(first_name="Mallory", language_code="en")
    own_message = await emulator.ask(mallory, "/start")
    for data in ("cmd:export", "cmd:broadcast", "cmd:cancel", "cmd:start", "cmd:nonsense"):
        mark = emulator.mark()
        query = emulator.send_update(
            {
                "callback_query": {
                    "from": mallory.to_dict(),
                    "message": dict(own_message.payload),
                    "data": data,
                }
            }
        )
        answer = await emulator.wait_for_answer(query["callback_query"])
        assert answer.text == "This button is no longer active.", data
        await bot.settled()
        assert emulator.messages_to(mallory, since=mark) == [], data


async def test_forged_faq_buttons_change_no_entry(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    """Learned FAQ entries are the organisers' alone: a partner's made-up buttons for saving,
    editing, deleting or carrying one over change nothing, nor does another's "Doesn't help"."""
    anna = emulator.user(first_name="Anna", language_code="de")
    await emulator.ask(anna, "/start")
    services = bot.services
    async with services.database.transaction() as repositories:
        relay = await repositories.questions.add(
            user_id=anna.id,
            question="Gibt es eine Kinderbetreuung?",
            organiser_chat_id=ORGANISERS_CHAT.id,
            organiser_message_id=1,
            now=services.clock.now(),
            language="de",
        )
        await repositories.questions.claim_answer(
            relay.id, services.clock.now(), "Nein.", answered_by=ADMIN_ID
        )
        second = await repositories.questions.add(
            user_id=anna.id,
            question="Darf ich meinen Hund mitbringen?",
            organiser_chat_id=ORGANISERS_CHAT.id,
            organiser_message_id=2,
            now=services.clock.now(),
            language="de",
        )
        await repositories.questions.claim_answer(
            second.id, services.clock.now(), "Ja.", answered_by=ADMIN_ID
        )
    draft = await services.faq.draft(relay.id)
    assert draft is not None
    entry_id = await services.faq.save(draft, draft.question, by=ADMIN_ID)
    assert entry_id is not None
    answered = await emulator.ask(emulator.user(language_code="de"), "Kinderbetreuung?")
    unhelpful = answered.button("Hilft mir nicht").callback_data

    group_mark = emulator.mark()
    forged = (
        f"faq:save:{second.id}",
        f"faq:drop:{entry_id}",
        f"faq:carry:{entry_id}",
        f"fq:abcdef:erase:{entry_id}",
        f"fq:abcdef:answer:{entry_id}:de",
        "fq:abcdef:new",
        unhelpful,
    )
    for data in forged:
        mallory = emulator.user(first_name="Mallory", language_code="de")
        own_message = await emulator.ask(mallory, "/start")
        mark = emulator.mark()
        emulator.send_update(
            {
                "callback_query": {
                    "from": mallory.to_dict(),
                    "message": dict(own_message.payload),
                    "data": data,
                }
            }
        )
        await bot.settled()
        for sent in emulator.messages_to(mallory, since=mark):
            assert sent.plain_text == REFUSAL, data
    assert emulator.messages_to(ORGANISERS_CHAT.id, since=group_mark) == []
    (report,) = await services.faq.reports()
    assert report.entry.id == entry_id and report.unhelpful == 0
    assert report.entry.answers == {"de": "Nein."}
    assert await services.faq.draft(second.id) is not None  # not saved by the forged tap


async def test_forged_stop_and_addition_buttons_do_nothing_for_partners(
    bot: RunningBot, emulator: TelegramEmulator, admin: User
) -> None:
    """Stopping an announcement, its undelivered list and sending a second answer are the
    organisers' alone: a partner's made-up buttons get a refusal and change nothing."""
    anna = emulator.user(first_name="Anna", language_code="de")
    await emulator.ask(anna, "/start")
    services = bot.services
    mark = emulator.mark()
    emulator.send_text(anna, "Wer gewann gestern das Schachturnier?")
    relayed = await bot.relayed_question(emulator, ORGANISERS_CHAT.id, since=mark)
    emulator.send_text(admin, "Niemand.", chat=ORGANISERS_CHAT, reply_to=relayed)
    await bot.settled()
    (relay,) = await services.questions.inbox()
    await services.outbox.stop()  # the announcement stays under way
    broadcast_id = await services.announcements.create_draft(ADMIN_ID, {"de": {"kind": "text"}})
    started = await services.announcements.start(broadcast_id, ADMIN_ID, Audience.ALL, ADMIN_ID, 1)
    assert started == 1
    group_mark = emulator.mark()
    for data in (
        f"bcc:{broadcast_id}",
        f"bcc:yes:{broadcast_id}",
        f"bcx:{broadcast_id}",
        f"qa:add:{relay.id}:{relayed.message_id}",
    ):
        mallory = emulator.user(first_name="Mallory", language_code="de")
        own_message = await emulator.ask(mallory, "/start")
        mark = emulator.mark()
        emulator.send_update(
            {
                "callback_query": {
                    "from": mallory.to_dict(),
                    "message": dict(own_message.payload),
                    "data": data,
                }
            }
        )
        # The outbox is held, so the bot never settles: a probe in the same chat comes after.
        probe = await emulator.ask(mallory, "/hilfe")
        for sent in emulator.messages_to(mallory, since=mark):
            assert sent.plain_text == REFUSAL or sent is probe, data
            assert sent.document is None, data
    assert emulator.messages_to(ORGANISERS_CHAT.id, since=group_mark) == []
    report = await services.announcements.report(broadcast_id)
    assert report is not None and report.status == "sending" and report.counts.pending == 1
    assert [m.plain_text for m in emulator.messages_to(anna, since=group_mark)] == []
