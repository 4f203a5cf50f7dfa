"""Types the end-to-end fixtures hand to tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.app import PartnerApplication
from bot.core.clock import ManualClock, SystemClock
from bot.core.services import Services
from bot.emulator import SentMessage, TelegramEmulator

#: Names of the outbox's short-lived tasks (one send, one progress report); not its main loop.
_OUTBOX_TASKS = ("outbox-row-", "outbox-progress-")


@dataclass
class RunningBot:
    application: PartnerApplication
    services: Services
    clock: ManualClock | SystemClock  # the real clock only where a test says real_time
    emulator: TelegramEmulator
    _stack: AsyncExitStack = field(default_factory=AsyncExitStack, repr=False)

    async def stop(self) -> None:
        """Stop polling and close the database, as a shutdown of the bot process would."""
        await self._stack.aclose()

    async def settled(self, *, timeout: float = 5.0) -> None:  # noqa: ASYNC109 - like wait_for
        """Wait until the bot has nothing left to do, so that a test may then assert that
        nothing else was sent: a sleep cannot tell a slow bot from a quiet one.

        Settled means: Telegram holds no update the bot has not fetched, every fetched update
        is handled (with what its handler started in the background), no job is due, and the
        outbox has no message due and no announcement whose final report is still to come.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while busy := await self._busy():
            if loop.time() > deadline:
                raise AssertionError(f"the bot was still busy after {timeout} s: {busy}")
            await asyncio.sleep(0.01)

    async def _busy(self) -> list[str]:
        """What the bot still has to do; empty when it is settled."""
        busy = []
        if pending := self.emulator.pending_updates:
            busy.append(f"{pending} update(s) not fetched")
        application = self.application
        if not application.update_queue.empty():
            busy.append("updates waiting in the application's queue")
        # Application.create_task keeps every task it must await on stop here: the handling
        # of each update (updates run concurrently) and what handlers start in the background.
        if tasks := application._Application__create_task_tasks:  # type: ignore[attr-defined]
            busy.append(f"{len(tasks)} update(s) or handler task(s) in work")
        job_queue = application.job_queue
        if job_queue is not None:
            now = datetime.now(UTC)
            due = [job.name for job in job_queue.jobs() if job.next_t and job.next_t <= now]
            if due:
                busy.append(f"jobs due: {due}")
        outbox_tasks = [
            task.get_name()
            for task in asyncio.all_tasks()
            if task.get_name().startswith(_OUTBOX_TASKS) and not task.done()
        ]
        if outbox_tasks:
            busy.append(f"outbox tasks running: {outbox_tasks}")
        async with self.services.database.transaction() as repositories:
            due_rows = await repositories.outbox.count_due(self.clock.now())
            sending = await repositories.announcements.sending_broadcasts()
        if due_rows:
            busy.append(f"{due_rows} outbox message(s) due")
        if sending:
            busy.append(f"announcements still sending: {sending}")
        return busy

    async def relayed_question(
        self, emulator: TelegramEmulator, chat_id: int, *, since: int | None = None
    ) -> SentMessage:
        """The question relayed to the organisers' chat, once the bot has recorded it.

        The relay is sent before it is stored (the message id comes from Telegram); people
        reply seconds later, a test within microseconds, so it waits for the record.
        """
        relayed = await emulator.wait_for(chat_id, since=since)
        for _ in range(100):
            async with self.services.database.transaction() as repositories:
                if await repositories.questions.find(chat_id, relayed.message_id) is not None:
                    return relayed
            await asyncio.sleep(0.02)
        raise AssertionError("the relayed question was never recorded")


StartBot = Callable[..., Awaitable[RunningBot]]
