"""/dashboard (/uebersicht) and the chat's menu button: organisers get the dashboard, partners
never see it, and a removed organiser loses it."""

from __future__ import annotations

import pytest

from bot.emulator import TelegramEmulator, User
from tests.harness import RunningBot, StartBot

ADMIN_ID = 7101
DASHBOARD_URL = "https://bot.example.org/dashboard/"
REFUSAL = "Diese Funktion steht nur dem Orga-Team zur Verfügung."


@pytest.fixture
async def bot(start_bot: StartBot) -> RunningBot:
    return await start_bot(admin_ids=frozenset({ADMIN_ID}), dashboard_url=DASHBOARD_URL)


@pytest.fixture
def ada(emulator: TelegramEmulator) -> User:
    return emulator.user(id=ADMIN_ID, first_name="Ada", language_code="de")


def web_app_menu(text: str) -> dict[str, object]:
    return {"type": "web_app", "text": text, "web_app": {"url": DASHBOARD_URL}}


async def test_an_organiser_opens_the_dashboard_with_a_button_and_from_the_menu(
    bot: RunningBot, emulator: TelegramEmulator, ada: User
) -> None:
    answer = await emulator.ask(ada, "/uebersicht")
    assert "Anmeldungen, Zahlen und den Einlass" in answer.plain_text
    [[button]] = answer.buttons
    assert (button.text, button.web_app_url) == ("Übersicht öffnen", DASHBOARD_URL)
    await bot.settled()
    assert emulator.menu_button(ada.id) == web_app_menu("Übersicht")

    in_english = emulator.user(id=ADMIN_ID, first_name="Ada", language_code="en")  # her app
    english = await emulator.ask(in_english, "/dashboard")
    assert english.button_texts == ["Open the dashboard"]


async def test_partners_are_refused_and_never_get_the_menu_button(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    paula = emulator.user(first_name="Paula", language_code="de")
    await emulator.ask(paula, "/start")
    refusal = await emulator.ask(paula, "/dashboard")
    assert refusal.plain_text == REFUSAL and not refusal.buttons
    await bot.settled()
    assert emulator.menu_button(paula.id) is None
    assert emulator.menu_button() is None  # never the bot's default for everyone


async def test_an_added_organiser_gets_the_menu_button_and_loses_it_when_removed(
    bot: RunningBot, emulator: TelegramEmulator, ada: User
) -> None:
    olaf = emulator.user(first_name="Olaf", username="olaf_orga", language_code="en")
    await emulator.ask(olaf, "/start")
    await emulator.ask(ada, "/organisatoren hinzufuegen @olaf_orga")
    await bot.settled()
    assert emulator.menu_button(olaf.id) == web_app_menu("Dashboard")

    await emulator.ask(ada, "/organisatoren entfernen @olaf_orga")
    await bot.settled()
    assert emulator.menu_button(olaf.id) == {"type": "default"}
    assert (await emulator.ask(olaf, "/dashboard")).plain_text == (
        "This is only available to the organisers."
    )


async def test_organisers_get_the_menu_button_at_start(
    start_bot: StartBot, emulator: TelegramEmulator, ada: User
) -> None:
    first = await start_bot(admin_ids=frozenset({ADMIN_ID}))
    await emulator.ask(ada, "/start")  # without a dashboard: no menu button
    await first.settled()
    assert emulator.menu_button(ada.id) is None
    await first.stop()
    await start_bot(admin_ids=frozenset({ADMIN_ID}), dashboard_url=DASHBOARD_URL)
    assert emulator.menu_button(ada.id) == web_app_menu("Übersicht")


async def test_without_a_dashboard_url_the_command_says_it_is_off(
    start_bot: StartBot, emulator: TelegramEmulator, ada: User
) -> None:
    await start_bot(admin_ids=frozenset({ADMIN_ID}))
    answer = await emulator.ask(ada, "/dashboard")
    assert "nicht eingerichtet" in answer.plain_text and not answer.buttons
