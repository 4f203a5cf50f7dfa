"""Admins add and remove organisers in the bot; a removal takes effect at once."""

from __future__ import annotations

import pytest

from bot.emulator import TelegramEmulator, User
from bot.registration.service import RsvpAnswers
from tests.e2e.rsvp_steps import tap
from tests.harness import RunningBot, StartBot

ADMIN_ID = 7001
REFUSAL = "Diese Funktion steht nur dem Orga-Team zur Verfügung."


@pytest.fixture
async def bot(start_bot: StartBot) -> RunningBot:
    return await start_bot(admin_ids=frozenset({ADMIN_ID}))


@pytest.fixture
def admin(emulator: TelegramEmulator) -> User:
    return emulator.user(id=ADMIN_ID, first_name="Ada", language_code="de")


async def test_admin_adds_an_organiser_by_username_who_can_then_use_organiser_commands(
    bot: RunningBot, emulator: TelegramEmulator, admin: User
) -> None:
    olaf = emulator.user(first_name="Olaf", username="olaf_orga", language_code="de")
    await emulator.ask(olaf, "/start")
    assert (await emulator.ask(olaf, "/statistik")).plain_text == REFUSAL

    mark = emulator.mark()
    answer = await emulator.ask(admin, "/organisatoren hinzufuegen @olaf_orga")
    assert "@olaf_orga gehört jetzt zum Orga-Team" in answer.plain_text
    welcome = await emulator.wait_for(olaf, since=mark)
    assert "gehören jetzt zum Orga-Team" in welcome.plain_text

    listing = await emulator.ask(admin, "/organisatoren")
    assert "Ada (7001) – Admin" in listing.plain_text
    assert "Olaf (@olaf_orga)" in listing.plain_text

    stats = await emulator.ask(olaf, "/statistik")
    assert stats.photo is not None  # the chart with the figures

    removed = await emulator.ask(admin, f"/organisatoren entfernen {olaf.id}")
    assert "gehört nicht mehr zum Orga-Team" in removed.plain_text
    assert (await emulator.ask(olaf, "/statistik")).plain_text == REFUSAL


async def test_only_admins_manage_organisers_and_admins_stay(
    bot: RunningBot, emulator: TelegramEmulator, admin: User
) -> None:
    organiser = emulator.user(first_name="Olaf", language_code="en")
    await emulator.ask(organiser, "/start")
    mark = emulator.mark()
    await emulator.ask(admin, f"/organisatoren hinzufuegen {organiser.id}")
    welcome = await emulator.wait_for(organiser, since=mark)
    assert welcome.plain_text.startswith("You are now one of the conference organisers.")
    refused = await emulator.ask(organiser, f"/organisers remove {ADMIN_ID}")
    assert refused.plain_text == "This is only available to the organisers."
    assert await bot.services.organisers.is_organiser(ADMIN_ID)

    own = await emulator.ask(admin, f"/organisatoren entfernen {ADMIN_ID}")
    assert "Admin aus der Konfiguration" in own.plain_text
    unknown = await emulator.ask(admin, "/organisatoren hinzufuegen @niemand")
    assert "„@niemand“ kenne ich nicht" in unknown.plain_text
    usage = await emulator.ask(admin, "/organisatoren befoerdern 5")
    assert "So geht es" in usage.plain_text


async def test_organiser_removed_while_drafting_cannot_send(
    bot: RunningBot, emulator: TelegramEmulator, admin: User
) -> None:
    partner = emulator.user(first_name="Paul")
    await emulator.ask(partner, "/start")
    await bot.services.registrations.submit(partner.id, RsvpAnswers(attending=True, name="Paul"))
    organiser = emulator.user(first_name="Olaf", language_code="de")
    await emulator.ask(organiser, "/start")
    mark = emulator.mark()
    await emulator.ask(admin, f"/organisatoren hinzufuegen {organiser.id}")
    await emulator.wait_for(organiser, since=mark)  # the welcome

    await emulator.ask(organiser, "/rundschreiben")
    question = await emulator.ask(organiser, "Bitte nicht senden")
    mark = emulator.mark()
    emulator.click(organiser, question, "Eine Fassung für alle")
    audience = await emulator.wait_for(organiser, since=mark, count=3)
    confirm = await tap(emulator, organiser, audience, "Angemeldet (1)")

    await emulator.ask(admin, f"/organisatoren entfernen {organiser.id}")
    refusal = await tap(emulator, organiser, confirm, "Jetzt senden")
    assert refusal.plain_text == REFUSAL
    await bot.settled()
    assert all(m.plain_text != "Bitte nicht senden" for m in emulator.messages_to(partner))


async def test_an_organiser_who_never_wrote_to_the_bot_is_added_all_the_same(
    bot: RunningBot, emulator: TelegramEmulator, admin: User
) -> None:
    """Telegram refuses the welcome (a bot cannot start a conversation); the admin still gets
    the confirmation and nothing else, and the new organiser's first message finds them one."""
    await emulator.ask(admin, "/start")
    olaf = emulator.user(first_name="Olaf", language_code="de")
    mark = emulator.mark()
    answer = await emulator.ask(admin, f"/organisatoren hinzufuegen {olaf.id}")
    assert f"{olaf.id} gehört jetzt zum Orga-Team" in answer.plain_text
    await bot.settled()
    assert emulator.messages_to(olaf) == []
    assert emulator.messages_to(admin, since=mark) == [answer]
    assert emulator.stats.rejected_403 == 1
    assert (await emulator.ask(olaf, "/statistik")).photo is not None
