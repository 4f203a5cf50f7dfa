"""Attempts to get at what is not one's own: each is refused or neutral, nothing leaks or breaks."""

from __future__ import annotations

import csv
import io

import pytest

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
    assert {"export", "rundschreiben", "einladen", "organisatoren", "status"} <= set(names)
    # Several callers, so that none runs into the flood control's 20 updates in 10 seconds.
    halves = (names[: len(names) // 2], names[len(names) // 2 :])
    for arguments, some in [
        (arguments, half) for arguments in ("", " hinzufuegen 5 alles") for half in halves
    ]:
        partner = emulator.user(first_name="Mallory", language_code="de")
        await emulator.ask(partner, "/start")
        await bot.services.registrations.submit(partner.id, RsvpAnswers(attending=True, name="M"))
        start = emulator.mark()
        for name in some:
            answer = await emulator.ask(partner, f"/{name}{arguments}")
            assert answer.plain_text == REFUSAL
        await bot.settled()
        sent = emulator.messages_to(partner, since=start)
        assert len(sent) == len(some)  # one refusal each, no file, no chart, no draft
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
    emulator.send_text(partner, "Gibt es Parkplätze für Lastenräder mit Anhänger?")
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
