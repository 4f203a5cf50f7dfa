"""Types the end-to-end fixtures hand to tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field

from bot.app import PartnerApplication
from bot.clock import ManualClock, SystemClock
from bot.emulator import SentMessage, TelegramEmulator
from bot.services import Services


@dataclass
class RunningBot:
    application: PartnerApplication
    services: Services
    clock: ManualClock | SystemClock  # the real clock only where a test says real_time
    _stack: AsyncExitStack = field(default_factory=AsyncExitStack, repr=False)

    async def stop(self) -> None:
        """Stop polling and close the database, as a shutdown of the bot process would."""
        await self._stack.aclose()

    async def relayed_question(self, emulator: TelegramEmulator, chat_id: int) -> SentMessage:
        """The question relayed to the organisers' chat, once the bot has recorded it.

        The relay is sent before it is stored (the message id comes from Telegram); people
        reply seconds later, a test within microseconds, so it waits for the record.
        """
        relayed = await emulator.wait_for(chat_id)
        for _ in range(100):
            async with self.services.database.transaction() as repositories:
                if await repositories.relays.find(chat_id, relayed.message_id) is not None:
                    return relayed
            await asyncio.sleep(0.02)
        raise AssertionError("the relayed question was never recorded")


StartBot = Callable[..., Awaitable[RunningBot]]
