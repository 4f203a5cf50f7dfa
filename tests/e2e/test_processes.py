"""The bot as an operator starts it: `partnerbot run` against a Bot API server, and the console."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.emulator import AnsweredCallback, EventKind, SentMessage, TelegramEmulator
from bot.programme.model import SHIPPED_EXAMPLES, SHIPPED_PROGRAMME, load_programme
from tests.conftest import TEST_TOKEN


async def test_run_answers_start_and_questions_and_stops_cleanly_on_sigterm(
    emulator: TelegramEmulator, database_url: str, tmp_path: Path
) -> None:
    process = await _start(tmp_path, _env(emulator, database_url))
    try:
        anna = emulator.user(first_name="Anna", language_code="de")
        john = emulator.user(first_name="John", language_code="en")
        greeting = await emulator.ask(anna, "/start", timeout=30)
        assert "Guten Tag, Anna!" in greeting.plain_text
        answer = await emulator.ask(john, "who is giving the keynote?")
        assert "Anders Levermann" in answer.plain_text
    finally:
        stderr = await _stop_cleanly(process)
    # The shipped event is over by now: the operator is told once, with the file and the date.
    warnings = [line for line in stderr.splitlines() if " WARNING " in line]
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


def _programme_open_today(target: Path) -> Path:
    """The shipped programme moved a month ahead, so that registration is open now."""
    starts = load_programme(SHIPPED_PROGRAMME).event.starts_at.date()
    shift = datetime.now(UTC).date() + timedelta(days=30) - starts
    text = re.sub(
        r"\b\d{4}-\d{2}-\d{2}(?=T\d)",
        lambda match: (date.fromisoformat(match.group()) + shift).isoformat(),
        SHIPPED_PROGRAMME.read_text(encoding="utf-8"),
    )
    target.write_text(text, encoding="utf-8")
    shutil.copy(SHIPPED_EXAMPLES, target.parent)
    return target


async def test_a_partner_continues_after_the_bot_is_killed_right_after_asking(
    emulator: TelegramEmulator, database_url: str, tmp_path: Path
) -> None:
    programme = _programme_open_today(tmp_path / "programme.yaml")
    env = _env(emulator, database_url, PROGRAMME_FILE=str(programme), ACCESS="open")
    anna = emulator.user(first_name="Anna", language_code="de")

    async def killed_once_asked(act: Callable[[], object], question: str) -> SentMessage:
        """Start the bot, let the partner act, and SIGKILL the bot the moment its question
        arrives, before the bot even hears that it was delivered; returns the question."""
        process = await _start(tmp_path, env)

        def kill_on_question(kind: EventKind, item: SentMessage | AnsweredCallback) -> None:
            if (
                isinstance(item, SentMessage)
                and item.chat_id == anna.id
                and question in item.plain_text
            ):
                process.kill()

        emulator.add_listener(kill_on_question)
        try:
            mark = emulator.mark()
            act()
            asked = await emulator.wait_for(anna, since=mark, timeout=30)
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
        finally:
            emulator.remove_listener(kill_on_question)
            if process.returncode is None:
                process.kill()
                await process.wait()
        assert process.returncode == -signal.SIGKILL, stderr.decode()
        assert question in asked.plain_text
        assert emulator.pending_updates == 0  # the partner's action is not delivered again
        return asked

    attending = await killed_once_asked(lambda: emulator.send_text(anna, "/anmelden"), "Nehmen")
    # After the restart the tap continues at that question ...
    await killed_once_asked(
        lambda: emulator.click(anna, attending, "Ja, ich komme"), "Wie ist Ihr Name?"
    )
    # ... and so does a typed answer.
    process = await _start(tmp_path, env)
    try:
        assert "Organisation" in (await emulator.ask(anna, "Anna Neustart", timeout=30)).plain_text
    finally:
        await _stop_cleanly(process)


def _env(emulator: TelegramEmulator, database_url: str, **settings: str) -> dict[str, str]:
    return {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TEST_TOKEN,
        "TELEGRAM_BASE_URL": emulator.base_url,
        "DATABASE_URL": database_url,
        **settings,
    }


async def _start(cwd: Path, env: dict[str, str]) -> asyncio.subprocess.Process:
    """`partnerbot run` as an operator starts it, its log kept for the failure message."""
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=cwd, env=env, stderr=asyncio.subprocess.PIPE
    )


async def _stop_cleanly(process: asyncio.subprocess.Process) -> str:
    """SIGTERM, as an operator stops the bot: it exits with 0 and without a traceback.

    Returns what it logged.
    """
    process.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, stderr.decode()
    assert b"Traceback" not in stderr
    return stderr.decode()
