"""Partner access: organisers create invite links, partners open them, only they may register."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest

from bot.emulator import SentMessage, TelegramEmulator, User
from bot.registration.service import RsvpAnswers
from tests.conftest import ORGANISERS_CHAT
from tests.e2e.rsvp_steps import tap
from tests.harness import RunningBot, StartBot

ORGANISER_ID = 4242
LINK = re.compile(r"https://t\.me/partnerbot_test_bot\?start=([A-Za-z0-9_-]+)")


@pytest.fixture
async def bot(start_bot: StartBot) -> RunningBot:
    return await start_bot(admin_ids=frozenset({ORGANISER_ID}), access="invite")


@pytest.fixture
def organiser(emulator: TelegramEmulator) -> User:
    return emulator.user(id=ORGANISER_ID, first_name="Olga", language_code="de")


async def invite_code(emulator: TelegramEmulator, organiser: User, command: str) -> str:
    answer = await emulator.ask(organiser, command)
    match = LINK.search(answer.plain_text)
    assert match is not None, answer.plain_text
    return match[1]


def rows_of(document: SentMessage) -> list[dict[str, str]]:
    assert document.document is not None
    text = document.document.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


async def test_an_invite_links_the_partner_who_may_then_register(
    bot: RunningBot, emulator: TelegramEmulator, organiser: User
) -> None:
    code = await invite_code(emulator, organiser, "/einladen Stadtwerke Leipzig")
    assert len(code) >= 16  # at least 96 bits in Telegram's start alphabet
    partner = emulator.user(first_name="Paula", language_code="de")

    refused = await emulator.ask(partner, "/anmelden")
    assert "eingeladenen Partnerorganisationen vorbehalten" in refused.plain_text

    welcome = await emulator.ask(partner, f"/start {code}")
    assert "Willkommen, Paula" in welcome.plain_text
    assert "Stadtwerke Leipzig" in welcome.plain_text

    # The organisation comes from the invite: the conversation goes from the name to persons.
    question = await emulator.ask(partner, "/anmelden")
    question = await tap(emulator, partner, question, "Ja, ich komme")
    question = await tap(emulator, partner, question, "übernehmen")
    assert "Mit wie vielen Personen" in question.plain_text
    question = await tap(emulator, partner, question, "1")
    question = await tap(emulator, partner, question, "Vegetarisch")
    question = await tap(emulator, partner, question, "Nein, danke")
    summary = await tap(emulator, partner, question, "Ja, einverstanden")
    assert "Stadtwerke Leipzig" in summary.plain_text
    await tap(emulator, partner, summary, "Bestätigen")
    registration = await bot.services.registrations.current(partner.id)
    assert registration is not None and registration.organisation == "Stadtwerke Leipzig"


async def test_english_partner_is_greeted_by_their_organisation(
    bot: RunningBot, emulator: TelegramEmulator, organiser: User
) -> None:
    code = await invite_code(emulator, organiser, "/invite Fraunhofer IZI")
    partner = emulator.user(first_name="Jane", language_code="en")
    welcome = await emulator.ask(partner, f"/start {code}")
    assert "Welcome, Jane! You are now registered as a partner of Fraunhofer IZI" in (
        welcome.plain_text
    )
    again = await emulator.ask(partner, f"/start {code}")
    assert "already linked" in again.plain_text


async def test_unknown_expired_and_used_up_codes_link_nothing(
    bot: RunningBot, emulator: TelegramEmulator, organiser: User
) -> None:
    once = await invite_code(emulator, organiser, "/einladen Ökolöwe nutzungen=1")
    brief = await invite_code(emulator, organiser, "/einladen Uni Leipzig tage=1")
    first, second, third = (emulator.user(first_name=n) for n in ("Ada", "Bo", "Cy"))

    assert "Willkommen" in (await emulator.ask(first, f"/start {once}")).plain_text
    used_up = await emulator.ask(second, f"/start {once}")
    assert "so oft verwendet" in used_up.plain_text

    unknown = await emulator.ask(third, "/start AAAAAAAAAAAAAAAAAAAAAA")
    assert "kenne ich leider nicht" in unknown.plain_text

    bot.clock.advance(timedelta(hours=25))  # still before the registration deadline
    expired = await emulator.ask(third, f"/start {brief}")
    assert "abgelaufen" in expired.plain_text

    for user in (second, third):
        assert await bot.services.partners.organisation_of(user.id) is None
        assert "vorbehalten" in (await emulator.ask(user, "/anmelden")).plain_text


async def test_guessing_codes_is_stopped_after_a_few_tries(
    bot: RunningBot, emulator: TelegramEmulator, organiser: User
) -> None:
    code = await invite_code(emulator, organiser, "/einladen Stadtwerke Leipzig")
    guesser = emulator.user(first_name="Mallory")
    for attempt in range(5):
        answer = await emulator.ask(guesser, f"/start guess{attempt:02d}AAAAAAAAAAAAAAA")
        assert "kenne ich leider nicht" in answer.plain_text
    blocked = await emulator.ask(guesser, f"/start {code}")  # even the right one, for now
    assert "Zu viele ungültige Einladungslinks" in blocked.plain_text
    assert "15 Minuten" in blocked.plain_text
    assert await bot.services.partners.organisation_of(guesser.id) is None

    honest = emulator.user(first_name="Hanna")  # others are not affected
    assert "Willkommen" in (await emulator.ask(honest, f"/start {code}")).plain_text

    bot.clock.advance(timedelta(minutes=16))
    assert "Willkommen" in (await emulator.ask(guesser, f"/start {code}")).plain_text


async def test_organisation_quota_counts_colleagues(
    bot: RunningBot, emulator: TelegramEmulator, organiser: User
) -> None:
    spreadsheet = "Name;Art;Kontakt;Personen\nStadtwerke Leipzig;Versorger;Frau Kühn;3\n"
    mark = emulator.mark()
    emulator.send_document(
        organiser, "partner.csv", spreadsheet.encode(), mime_type="text/csv", caption="/einladungen"
    )
    document = await emulator.wait_for(organiser, since=mark)
    (row,) = rows_of(document)
    code = LINK.search(row["Einladungslink"])[1]  # type: ignore[index]

    colleague, latecomer = emulator.user(first_name="Carl"), emulator.user(first_name="Lea")
    for person in (colleague, latecomer):
        await emulator.ask(person, f"/start {code}")
    await bot.services.registrations.submit(
        colleague.id, RsvpAnswers(attending=True, name="Carl", persons=2)
    )

    question = await emulator.ask(latecomer, "/anmelden")
    question = await tap(emulator, latecomer, question, "Ja, ich komme")
    question = await tap(emulator, latecomer, question, "übernehmen")
    assert "höchstens 1)" in question.plain_text
    labels = [button["text"] for row in question.reply_markup["inline_keyboard"] for button in row]
    assert labels == ["1"]
    question = await tap(emulator, latecomer, question, "1")
    question = await tap(emulator, latecomer, question, "Vegetarisch")
    question = await tap(emulator, latecomer, question, "Nein, danke")
    summary = await tap(emulator, latecomer, question, "Ja, einverstanden")

    # Carl takes the last place while Lea is still reading her summary.
    await bot.services.registrations.submit(
        colleague.id, RsvpAnswers(attending=True, name="Carl", persons=3)
    )
    too_late = await tap(emulator, latecomer, summary, "Bestätigen")
    assert "reichen die Plätze Ihrer Organisation nicht mehr" in too_late.plain_text
    assert await bot.services.registrations.current(latecomer.id) is None

    full = await emulator.ask(latecomer, "/anmelden")
    assert "alle 3 Plätze" in full.plain_text


async def test_import_returns_links_and_refuses_bad_files_whole(
    bot: RunningBot, emulator: TelegramEmulator, organiser: User
) -> None:
    good = (
        "\ufeffOrganisation;Art;Ansprechpartner;Personen;Nutzungen\n"
        "Stadtwerke Leipzig;Versorger;Frau Kühn;4;2\n"
        '=HYPERLINK("x");Initiative;;;\n'
        "<b>Klima & Co</b>;Unternehmen;;;\n"
    )
    mark = emulator.mark()
    emulator.send_document(
        organiser, "partner.csv", good.encode(), mime_type="text/csv", caption="/einladungen"
    )
    document = await emulator.wait_for(organiser, since=mark)
    assert "3 Organisationen importiert (3 neu)" in document.plain_text
    rows = rows_of(document)
    assert [row["Organisation"] for row in rows] == [
        "Stadtwerke Leipzig",
        '\'=HYPERLINK("x")',  # defused for spreadsheets
        "<b>Klima & Co</b>",
    ]
    assert rows[0]["Nutzungen erlaubt"] == "2"
    codes = {LINK.search(row["Einladungslink"])[1] for row in rows}  # type: ignore[index]
    assert len(codes) == 3

    bad = "Name;Personen\nUni Leipzig;5\n;3\n"
    mark = emulator.mark()
    emulator.send_document(
        organiser, "fehler.csv", bad.encode(), mime_type="text/csv", caption="/einladungen"
    )
    refusal = await emulator.wait_for(organiser, since=mark)
    assert "Zeile 3: Der Name fehlt. Nichts wurde importiert." in refusal.plain_text
    listing = await emulator.ask(organiser, "/einladungen")
    assert [row["Organisation"] for row in rows_of(listing)] == [
        "<b>Klima & Co</b>",
        '\'=HYPERLINK("x")',
        "Stadtwerke Leipzig",
    ]  # Uni Leipzig was not imported


async def test_invite_usage_and_bad_options_are_explained(
    bot: RunningBot, emulator: TelegramEmulator, organiser: User
) -> None:
    assert (
        "So erstellen Sie einen Einladungslink"
        in (await emulator.ask(organiser, "/einladen")).plain_text
    )
    assert (
        "ganze Zahl von 1 bis"
        in (await emulator.ask(organiser, "/einladen Stadtwerke nutzungen=0")).plain_text
    )
    assert (
        "verstehe ich nicht"
        in (await emulator.ask(organiser, "/einladen Stadtwerke farbe=grün")).plain_text
    )
    listing = await emulator.ask(organiser, "/einladungen")
    assert "noch keine Einladungslinks" in listing.plain_text


async def test_open_access_lets_anyone_register(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    await start_bot(access="open")
    partner = emulator.user(first_name="Otto")
    question = await emulator.ask(partner, "/anmelden")
    assert "vorbehalten" not in question.plain_text
    asking_name = await tap(emulator, partner, question, "Ja, ich komme")
    assert "Wie ist Ihr Name?" in asking_name.plain_text


async def test_organisers_see_the_organisation_of_a_relayed_question(
    start_bot: StartBot, emulator: TelegramEmulator, organiser: User
) -> None:
    bot = await start_bot(admin_ids=frozenset({ORGANISER_ID}), organiser_chat_id=ORGANISERS_CHAT.id)
    code = await invite_code(emulator, organiser, "/einladen Stadtwerke Leipzig")
    partner = emulator.user(first_name="Paula", username="paula_swl")
    await emulator.ask(partner, f"/start {code}")
    emulator.send_text(partner, "Gibt es eine Kinderbetreuung während der Keynote?")
    relayed = await bot.relayed_question(emulator, ORGANISERS_CHAT.id)
    assert f"Stadtwerke Leipzig, @paula_swl, id {partner.id}" in relayed.plain_text
