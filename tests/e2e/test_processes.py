"""The bot as an operator starts it: `partnerbot run` against a Bot API server, and the console."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from bot.emulator import TelegramEmulator
from bot.programme import SHIPPED_PROGRAMME
from tests.conftest import TEST_TOKEN


async def test_run_answers_start_and_questions_and_stops_cleanly_on_sigterm(
    emulator: TelegramEmulator, database_url: str, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TEST_TOKEN,
        "TELEGRAM_BASE_URL": emulator.base_url,
        "DATABASE_URL": database_url,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run",
        cwd=tmp_path, env=env, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        anna = emulator.user(first_name="Anna", language_code="de")
        john = emulator.user(first_name="John", language_code="en")
        greeting = await emulator.ask(anna, "/start", timeout=30)
        assert "Guten Tag, Anna!" in greeting.plain_text
        answer = await emulator.ask(john, "who is giving the keynote?")
        assert "Anders Levermann" in answer.plain_text
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, stderr.decode()
    assert b"Traceback" not in stderr
    # The shipped event is over by now: the operator is told once, with the file and the date.
    warnings = [line for line in stderr.decode().splitlines() if " WARNING " in line]
    assert len(warnings) == 1, warnings
    assert str(SHIPPED_PROGRAMME) in warnings[0]
    assert "ended on Tuesday, 10 June 2025, 9:00 pm" in warnings[0]


def console(tmp_path: Path, typed: str, *options: str) -> subprocess.CompletedProcess[str]:
    """`partnerbot console` as a newcomer starts it: no token, the shipped programme."""
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console", *options],
        input=typed,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result


def test_console_chats_without_a_token(tmp_path: Path) -> None:
    typed = "where can I park?\n/language\n1\nWann beginnt die Keynote?\n/anmelden\n:quit\n"
    result = console(tmp_path, typed, "--language", "en")
    output = result.stdout
    # The shipped event is over by now; the console pretends a day while registration is open.
    assert "Demo time: Tuesday, 20 May 2025, 10:00 am. The event is over" in output
    assert "Hello Partner!" in output
    assert "Augustusplatz" in output  # the parking answer
    assert "[1] 🇩🇪 Deutsch   [2] 🇬🇧 English" in output
    assert "ab jetzt auf Deutsch" in output
    assert "Dienstag, 10. Juni 2025, 18:00 Uhr" in output
    assert "invite link of Beispiel-Partner GmbH" in output
    # The invited partner is not turned away, and may register at the pretended moment.
    assert "vorbehalten" not in output
    assert "Nehmen Sie an der Klimakonferenz der Stadt Leipzig am Dienstag, 10. Juni teil?" in (
        output
    )
    assert "Traceback" not in result.stderr
    assert (tmp_path / "data" / "console.sqlite3").exists()


def test_console_at_a_chosen_moment_does_not_pretend_another(tmp_path: Path) -> None:
    result = console(tmp_path, "/anmelden\n:quit\n", "--at", "2025-06-11T10:00")
    assert "Demo-Zeit" not in result.stdout
    assert "Die Veranstaltung ist vorbei; Anmeldungen und Änderungen" in result.stdout
