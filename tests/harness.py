"""Types the end-to-end fixtures hand to tests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field

from bot.app import PartnerApplication
from bot.clock import ManualClock
from bot.services import Services


@dataclass
class RunningBot:
    application: PartnerApplication
    services: Services
    clock: ManualClock
    _stack: AsyncExitStack = field(default_factory=AsyncExitStack, repr=False)

    async def stop(self) -> None:
        """Stop polling and close the database, as a shutdown of the bot process would."""
        await self._stack.aclose()


StartBot = Callable[..., Awaitable[RunningBot]]
