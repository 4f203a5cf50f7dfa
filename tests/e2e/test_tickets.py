"""Partners get a QR ticket with each confirmation; it checks them in at the door, once."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.emulator import TelegramEmulator
from tests.conftest import ORGANISERS_CHAT
from tests.e2e.rsvp_steps import register, register_and_confirm, tap, with_capacity
from tests.e2e.ticket_steps import (
    confirmed_with_ticket,
    is_ticket,
    next_ticket,
    press_forged_button,
    scan,
    start_parameter,
)
from tests.harness import RunningBot, StartBot

ORGANISER_ID = 4242
AT_THE_DOOR = datetime(2025, 6, 10, 15, 42, tzinfo=UTC)  # 17:42 in Leipzig
NEUTRAL = "Dieser Link öffnet hier nichts. Ihr eigenes, gültiges Ticket zeigt Ihnen /ticket."


async def organiser_bot(start_bot: StartBot) -> RunningBot:
    return await start_bot(admin_ids=frozenset({ORGANISER_ID}))


async def test_confirmation_brings_a_ticket_whose_code_checks_the_party_in(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    bot = await organiser_bot(start_bot)
    anna = emulator.user(first_name="Anna", last_name="Müller", language_code="de")
    mark = emulator.mark()
    await register_and_confirm(emulator, anna, persons=2)
    ticket = await next_ticket(emulator, anna, mark)
    assert "Klimakonferenz der Stadt Leipzig" in ticket.plain_text
    assert "Dienstag, 10. Juni, 17:00 Uhr" in ticket.plain_text
    assert "Alte Handelsbörse, Naschmarkt 1, 04109 Leipzig" in ticket.plain_text
    assert "Anna Müller" in ticket.plain_text
    assert "Leipziger Stadtwerke" in ticket.plain_text
    assert "Personen: 2" in ticket.plain_text
    parameter = start_parameter(ticket)  # decoded from the PNG, as a phone camera reads it
    assert parameter.startswith("ci_") and len(parameter) <= 64

    bot.clock.set(AT_THE_DOOR)
    olga = emulator.user(id=ORGANISER_ID, first_name="Olga", language_code="de")
    card = await scan(emulator, olga, parameter)
    assert "Anna Müller" in card.plain_text
    assert "Angemeldet: 2 Personen" in card.plain_text
    assert card.button_texts == ["1 einchecken", "2 einchecken"]

    emulator.click(olga, card, "2 einchecken")
    edit = await emulator.wait_for_edit(card)
    assert edit.plain_text == "✅ Anna Müller ist eingecheckt – um 17:42 Uhr: 2 von 2 Personen."
    assert card.button_texts == ["Einchecken rückgängig machen"]  # no second check-in
    assert await bot.services.checkin.figures() == (1, 2)


async def test_a_second_scan_tells_when_and_by_whom(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    bot = await organiser_bot(start_bot)
    anna = emulator.user(first_name="Anna", language_code="de")
    parameter = await confirmed_with_ticket(emulator, anna, persons=2)
    bot.clock.set(AT_THE_DOOR)
    olga = emulator.user(id=ORGANISER_ID, first_name="<Olga>", language_code="de")
    card = await scan(emulator, olga, parameter)
    other_phone = await scan(emulator, olga, parameter)  # the same ticket, scanned twice at once
    emulator.click(olga, card, "1 einchecken")
    await emulator.wait_for_edit(card)

    again = await scan(emulator, olga, parameter)
    assert again.plain_text == (
        "⚠️ Anna ist bereits eingecheckt – um 17:42 Uhr von <Olga> (1 von 2 Personen)."
    )
    assert "&lt;Olga&gt;" in (again.text or "")  # the organiser's name is escaped
    assert again.button_texts == ["Einchecken rückgängig machen"]
    # The card on the other phone cannot check the party in a second time.
    emulator.click(olga, other_phone, "2 einchecken")
    repeated = await emulator.wait_for_edit(other_phone)
    assert "bereits eingecheckt" in repeated.plain_text
    assert await bot.services.checkin.figures() == (1, 1)


async def test_strangers_learn_nothing_and_the_partner_sees_their_own_ticket(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    bot = await organiser_bot(start_bot)
    anna = emulator.user(first_name="Anna", language_code="de")
    parameter = await confirmed_with_ticket(emulator, anna)
    stranger = emulator.user(first_name="Max", language_code="de")

    seen = await scan(emulator, stranger, parameter)
    assert seen.plain_text == NEUTRAL
    assert "Anna" not in seen.plain_text and not seen.buttons
    unknown = await scan(emulator, stranger, "ci_" + "x" * 22)
    assert unknown.plain_text == seen.plain_text  # a valid and an invalid code look the same

    own = await scan(emulator, anna, parameter)
    assert is_ticket(own) and start_parameter(own) == parameter
    assert await bot.services.checkin.figures() == (0, 0)


async def test_ticket_command_shows_the_current_ticket_in_both_languages(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(language_code="de")
    assert "noch kein Ticket" in (await emulator.ask(anna, "/ticket")).plain_text
    parameter = await confirmed_with_ticket(emulator, anna)
    again = await emulator.ask(anna, "/ticket")
    assert is_ticket(again) and start_parameter(again) == parameter

    john = emulator.user(language_code="en")
    assert "don't have a ticket yet" in (await emulator.ask(john, "/ticket")).plain_text


async def test_ticket_is_only_sent_in_a_private_chat(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    anna = emulator.user(language_code="de")
    await confirmed_with_ticket(emulator, anna)
    reply = await emulator.ask(anna, "/ticket", chat=ORGANISERS_CHAT)
    assert not is_ticket(reply)


async def test_a_cancelled_registration_invalidates_the_ticket(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    await organiser_bot(start_bot)
    anna = emulator.user(first_name="Anna", language_code="de")
    parameter = await confirmed_with_ticket(emulator, anna)
    question = await emulator.ask(anna, "/absagen")
    await tap(emulator, anna, question, "Ja, absagen")

    olga = emulator.user(id=ORGANISER_ID, first_name="Olga", language_code="de")
    assert (await scan(emulator, olga, parameter)).plain_text == NEUTRAL
    assert "noch kein Ticket" in (await emulator.ask(anna, "/ticket")).plain_text


async def test_a_changed_registration_brings_a_new_ticket_and_the_old_one_stops_working(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    bot = await organiser_bot(start_bot)
    anna = emulator.user(first_name="Anna", language_code="de")
    old = await confirmed_with_ticket(emulator, anna, persons=2)
    olga = emulator.user(id=ORGANISER_ID, first_name="Olga", language_code="de")
    stale_card = await scan(emulator, olga, old)

    summary = await emulator.ask(anna, "/anmelden")
    fields = await tap(emulator, anna, summary, "Ändern")
    question = await tap(emulator, anna, fields, "Personen")
    summary = await tap(emulator, anna, question, "3")
    mark = emulator.mark()
    await tap(emulator, anna, summary, "Bestätigen")
    ticket = await next_ticket(emulator, anna, mark)
    new = start_parameter(ticket)
    assert new != old and "Personen: 3" in ticket.plain_text

    assert (await scan(emulator, olga, old)).plain_text == NEUTRAL
    emulator.click(olga, stale_card, "2 einchecken")  # a card shown before the change
    assert "gilt nicht mehr" in (await emulator.wait_for_edit(stale_card)).plain_text
    card = await scan(emulator, olga, new)
    assert card.button_texts == ["1 einchecken", "2 einchecken", "3 einchecken"]
    assert await bot.services.checkin.figures() == (0, 0)


async def test_partner_promoted_from_the_waitlist_gets_a_ticket(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    await start_bot(programme=with_capacity(2))
    anna, ben = emulator.user(language_code="de"), emulator.user(language_code="de")
    await register_and_confirm(emulator, anna, persons=2)
    offer = await tap(emulator, ben, await register(emulator, ben, persons=1), "Bestätigen")
    waitlisted = await tap(emulator, ben, offer, "Auf die Warteliste")
    assert "Warteliste" in waitlisted.plain_text
    assert not any(is_ticket(message) for message in emulator.messages_to(ben))

    question = await emulator.ask(anna, "/absagen")
    mark = emulator.mark()
    emulator.click(anna, question, "Ja, absagen")
    ticket = await next_ticket(emulator, ben, mark)
    assert start_parameter(ticket).startswith("ci_")


async def test_a_forged_check_in_button_from_a_non_organiser_changes_nothing(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    bot = await organiser_bot(start_bot)
    anna = emulator.user(first_name="Anna", language_code="de")
    parameter = await confirmed_with_ticket(emulator, anna)
    registration = await bot.services.registrations.current(anna.id)
    assert registration is not None
    token = parameter.removeprefix("ci_")
    mallory = emulator.user(first_name="Mallory", language_code="de")
    mark = emulator.mark()
    press_forged_button(emulator, mallory, f"ci:{registration.id}:2:{token}")
    refusal = await emulator.wait_for(mallory, since=mark)
    assert refusal.plain_text == "Diese Funktion steht nur dem Orga-Team zur Verfügung."
    await bot.settled()
    assert emulator.messages_to(mallory, since=mark) == [refusal]
    assert emulator.messages_to(anna, since=mark) == []
    assert await bot.services.checkin.figures() == (0, 0)
