"""An unexpected error: the partner gets an apology with a code, the organisers a report."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest

from bot.core.services import Services
from bot.emulator import TelegramEmulator
from tests.conftest import ORGANISERS_CHAT
from tests.harness import RunningBot, StartBot


def break_the_programme(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> str:
        raise KeyError("Anna Schmidt")

    monkeypatch.setattr(services.content.views, "programme_overview", broken)


def code_in(text: str) -> str:
    match = re.search(r"\b([0-9a-f]{8})\b", text)
    assert match is not None, text
    return match.group(1)


async def test_the_partner_gets_a_code_and_the_organisers_a_report_without_personal_data(
    bot: RunningBot, emulator: TelegramEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    break_the_programme(bot.services, monkeypatch)
    anna = emulator.user(first_name="Anna", last_name="Schmidt", language_code="de")
    apology = await emulator.ask(anna, "/programm")
    assert "Entschuldigung" in apology.plain_text
    code = code_in(apology.plain_text)

    report = await emulator.wait_for(ORGANISERS_CHAT.id)
    assert f"Fehler {code}" in report.plain_text
    assert "handlers.programme.programme" in report.plain_text
    assert "KeyError" in report.plain_text
    assert "Anna" not in report.plain_text and "Schmidt" not in report.plain_text
    assert str(anna.id) not in report.plain_text
    assert "/programm" not in report.plain_text


async def test_an_error_storm_makes_one_report_a_minute_with_the_count(
    bot: RunningBot, emulator: TelegramEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    break_the_programme(bot.services, monkeypatch)
    john = emulator.user(first_name="John", language_code="en")
    first = await emulator.ask(john, "/programme")
    assert "Sorry, something went wrong" in first.plain_text
    await emulator.wait_for(ORGANISERS_CHAT.id)
    for _ in range(3):
        apology = await emulator.ask(john, "/programme")
        assert "give the organisers the code" in apology.plain_text
    assert len(emulator.messages_to(ORGANISERS_CHAT.id)) == 1

    bot.clock.advance(timedelta(seconds=61))  # type: ignore[union-attr]
    last = await emulator.ask(john, "/programme")
    report = await emulator.wait_for(ORGANISERS_CHAT.id, count=2)
    assert f"Fehler {code_in(last.plain_text)}" in report.plain_text
    assert "nicht einzeln gemeldet: 3" in report.plain_text


async def test_without_an_organisers_chat_the_log_carries_the_code(
    start_bot: StartBot,
    emulator: TelegramEmulator,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    bot = await start_bot()
    break_the_programme(bot.services, monkeypatch)
    anna = emulator.user(first_name="Anna", language_code="de")
    with caplog.at_level(logging.ERROR, logger="handlers.errors"):
        apology = await emulator.ask(anna, "/programm")
    code = code_in(apology.plain_text)
    assert any(code in record.getMessage() for record in caplog.records)
    assert emulator.messages_to(ORGANISERS_CHAT.id) == []


async def test_when_the_storm_ends_the_held_back_errors_are_reported(
    bot: RunningBot, emulator: TelegramEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot.services.error_reports.quiet = timedelta(seconds=1)  # a minute in production
    break_the_programme(bot.services, monkeypatch)
    john = emulator.user(first_name="John", language_code="en")
    await emulator.ask(john, "/programme")
    await emulator.wait_for(ORGANISERS_CHAT.id)
    await emulator.ask(john, "/programme")
    last = await emulator.ask(john, "/programme")
    bot.clock.advance(timedelta(seconds=2))  # type: ignore[union-attr]

    report = await emulator.wait_for(ORGANISERS_CHAT.id, count=2)
    assert f"Fehler {code_in(last.plain_text)}" in report.plain_text
    assert "nicht einzeln gemeldet: 1" in report.plain_text
