"""SIGTERM mid-announcement and mid-answer: the answer still arrives, the message in flight is
recorded as sent, no outbox row is lost, and the database is closed in a consistent state."""

from __future__ import annotations

import asyncio
import os
import signal
from collections import Counter
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from bot.emulator import RateLimit, TelegramEmulator
from storage.database import Database
from storage.models import OutboxMessage
from tests.conftest import TEST_TOKEN

# The crash test's helpers: seed partners, spawn `partnerbot run`, the organiser's flow.
from tests.e2e.test_broadcast_crash import STEP_TIMEOUT, TEXT, _seed, _send_to_all, _spawn, _until

ORGANISER_ID = 5252
FIRST_PARTNER = 700_000_001
PARTNERS = 80
STOP_AFTER = 15  # recipients reached before SIGTERM


async def outbox_rows(database_url: str) -> list[tuple[int, str, object]]:
    database = Database(database_url)
    try:
        async with database.transaction() as repositories:
            rows = await repositories.session.execute(
                select(OutboxMessage.user_id, OutboxMessage.state, OutboxMessage.claimed_until)
            )
            return [tuple(row) for row in rows]  # type: ignore[misc]
    finally:
        await database.close()


async def integrity(database_url: str) -> str:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return "ok"  # PostgreSQL keeps its own consistency; a closed pool is what we can see
    database = Database(database_url)
    try:
        async with database.engine.connect() as connection:
            return str((await connection.execute(text("PRAGMA integrity_check"))).scalar())
    finally:
        await database.close()


async def test_sigterm_finishes_the_answer_and_the_send_in_flight(
    database_url: str, tmp_path: Path
) -> None:
    partner_ids = list(range(FIRST_PARTNER, FIRST_PARTNER + PARTNERS))
    await _seed(database_url, partner_ids)
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("PROGRAMME_FILE", "ORGANISER_CHAT_ID")},
        "TELEGRAM_BOT_TOKEN": TEST_TOKEN,
        "DATABASE_URL": database_url,
        "ADMIN_IDS": str(ORGANISER_ID),
        "BROADCAST_RATE": "10",
        # The real clock is long past the shipped event: keep retention from deleting partners.
        "RETENTION_DAYS": "3650",
    }
    limit = RateLimit(global_per_second=30, per_chat_per_second=1)
    log = tmp_path / "bot.log"
    async with TelegramEmulator(rate_limit=limit, auto_create_chats=True) as emulator:
        env["TELEGRAM_BASE_URL"] = emulator.base_url
        organiser = emulator.user(id=ORGANISER_ID, first_name="Olga", language_code="de")
        for user_id in partner_ids:
            emulator.user(id=user_id, first_name=f"Partner {user_id}")
        asking = emulator.user(first_name="Anna", language_code="de")
        process = await _spawn(env, tmp_path, log)
        try:
            _, report = await _send_to_all(emulator, organiser)
            tap = report.seq + 1

            def received() -> Counter[int]:
                return Counter(
                    m.chat_id
                    for m in emulator.sent[tap:]
                    if m.chat_id in partner_ids and m.plain_text == TEXT
                )

            await _until(lambda: len(received()) >= STOP_AFTER, STEP_TIMEOUT, "the first sends")
            # From now on every Bot API call takes half a second: SIGTERM finds work in flight.
            emulator.latency = 0.5
            calls = len(emulator.calls)
            emulator.send_text(asking, "Wann beginnt die Keynote?")
            await _until(
                lambda: any(
                    call.method == "sendMessage" and call.params.get("chat_id") == asking.id
                    for call in emulator.calls[calls:]
                ),
                STEP_TIMEOUT,
                "the bot to be answering the question",
            )
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), timeout=30)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()

        answer = emulator.last_to(asking)
        reached = received()

    output = log.read_text(errors="replace")
    assert process.returncode == 0, output
    assert "Traceback" not in output
    assert "Stopped cleanly" in output
    assert answer is not None and "Anders Levermann" in answer.plain_text

    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        # The last connection closed cleanly: SQLite checkpointed its write-ahead log away.
        wal = Path(f"{url.database}-wal")
        assert not await asyncio.to_thread(wal.exists)
    rows = await outbox_rows(database_url)
    states = Counter(state for _, state, _ in rows)
    assert len(rows) == PARTNERS  # no row lost
    assert set(states) <= {"sent", "pending"}, states
    assert states["pending"] > 0, "SIGTERM came after the announcement was finished"
    # Every message Telegram accepted, including the one in flight at SIGTERM, is marked sent.
    sent = {user_id for user_id, state, _ in rows if state == "sent"}
    assert sent == set(reached)
    assert all(n == 1 for n in reached.values())
    assert all(claimed is None for _, state, claimed in rows if state == "pending")
    assert await integrity(database_url) == "ok"
