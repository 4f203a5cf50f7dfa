"""/status tells organisers how the bot is doing, in figures only; nobody else gets it."""

from __future__ import annotations

import re

import pytest

from bot.core.config import WebhookSettings
from bot.emulator import TelegramEmulator
from storage.models import User
from tests.e2e.rsvp_steps import register_and_confirm
from tests.harness import StartBot

ORGANISER_ID = 4242


async def test_status_shows_the_figures_to_an_organiser(
    start_bot: StartBot,
    emulator: TelegramEmulator,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bot = await start_bot(admin_ids=frozenset({ORGANISER_ID}))
    olga = emulator.user(ORGANISER_ID, "Olga", language_code="de")
    anna = emulator.user(first_name="Anna", language_code="de")
    await register_and_confirm(emulator, anna, persons=3)
    services = bot.services
    async with services.database.transaction() as repositories:
        organisation = await repositories.organisations.add("Stadtwerke", services.clock.now())
        await repositories.organisations.add("Uni Leipzig", services.clock.now())
        user = await repositories.session.get(User, anna.id)
        assert user is not None
        user.organisation_id = organisation.id
        await repositories.outbox.enqueue(anna.id, "de", '"Hallo"', services.clock.now())

    status = (await emulator.ask(olga, "/status")).plain_text
    assert "Partnerbot 0.1.0" in status
    assert re.search(r"Läuft seit: \d+ (Minuten?|Stunden?)", status)
    backend = "SQLite" if database_url.startswith("sqlite") else "PostgreSQL"
    assert f"Datenbank: {backend}" in status
    assert "Updates per: Long Polling" in status
    assert "Partnerorganisationen: 2 (1 verknüpfte Partner)" in status
    assert "Nutzer: 2" in status  # Anna and Olga
    assert "1 Zusagen (3 Personen), 0 auf der Warteliste (0 Personen), 0 Absagen" in status
    assert "Nachrichten im Postausgang: 1" in status
    # Eight days before the conference (BEFORE_EVENT): the 7-day reminder is next.
    assert "Nächste Erinnerung: Dienstag, 3. Juni 2025, 17:00 Uhr" in status
    assert "Letzter Fehler: keiner seit dem Start" in status
    for secret in ("aiosqlite", "asyncpg", "127.0.0.1", "Anna"):
        assert secret not in status

    def broken(*args: object) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr(services.content.views, "keynote", broken)
    await emulator.ask(olga, "/keynote")
    status = (await emulator.ask(olga, "/status")).plain_text
    assert "Letzter Fehler: Montag, 2. Juni 2025, 11:00 Uhr" in status


async def test_status_in_english_and_refused_to_partners(
    start_bot: StartBot, emulator: TelegramEmulator
) -> None:
    bot = await start_bot(admin_ids=frozenset({ORGANISER_ID}))
    olga = emulator.user(ORGANISER_ID, "Olga", language_code="en")
    status = (await emulator.ask(olga, "/status")).plain_text
    assert "Updates by: long polling" in status
    assert "Last error: none since the start" in status
    assert "Next reminder: Tuesday, 3 June 2025, 5:00 pm" in status
    bot.services.settings.webhook = WebhookSettings(
        _env_file=None, WEBHOOK_URL="https://bot.example.org/telegram", WEBHOOK_SECRET="s"
    )
    status = (await emulator.ask(olga, "/status")).plain_text
    assert "Updates by: webhook" in status
    assert "example.org" not in status
    mallory = emulator.user(first_name="Mallory", language_code="de")
    refusal = (await emulator.ask(mallory, "/status")).plain_text
    assert "nur dem Orga-Team" in refusal
    assert "Partnerbot" not in refusal
