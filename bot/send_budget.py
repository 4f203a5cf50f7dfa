"""One budget for everything the bot sends: Telegram allows about 30 messages a second in all.

Replies to partners and bulk messages (announcements, reminders) share one sliding one-second
window. Bulk sending stops short of the limit, so replies always find room and never meet a
429; when many replies come at once, bulk sending yields until they are out.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import AIORateLimiter

# Methods that put a message into a chat; edits and callback answers do not count.
MESSAGE_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendVenue",
        "sendLocation",
        "sendContact",
        "sendMediaGroup",
        "sendSticker",
        "sendVoice",
        "sendAudio",
        "sendVideo",
        "sendAnimation",
        "copyMessage",
        "forwardMessage",
    }
)


class SendBudget:
    def __init__(self, per_second: int = 29, reserved_for_replies: int = 1) -> None:
        # 29, not 30: Telegram counts on arrival, a few milliseconds after we count.
        self._limit = per_second
        self._bulk_limit = per_second - reserved_for_replies
        self._sent: deque[float] = deque()

    def _wait(self, limit: int, now: float) -> float:
        while self._sent and self._sent[0] <= now - 1.0:
            self._sent.popleft()
        if len(self._sent) < limit:
            return 0.0
        return self._sent[len(self._sent) - limit] + 1.0 - now

    def wait_for_bulk(self, now: float) -> float:
        """Seconds until a bulk message may go (0: now)."""
        return self._wait(self._bulk_limit, now)

    def record(self, now: float) -> None:
        self._sent.append(now)

    async def reply_slot(self) -> None:
        """Wait, if ever, until a reply fits into the window, and count it."""
        # Waiting for time to pass (old sends leaving the window), not for an event.
        while (wait := self._wait(self._limit, time.monotonic())) > 0:  # noqa: ASYNC110
            await asyncio.sleep(wait)
        self.record(time.monotonic())


class BudgetedRateLimiter(AIORateLimiter):
    """python-telegram-bot's limiter (group limits, retry after 429) that also counts every
    reply against the shared budget."""

    def __init__(self, budget: SendBudget, **options: Any) -> None:
        super().__init__(**options)
        self._budget = budget

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if endpoint in MESSAGE_METHODS:
            await self._budget.reply_slot()
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )
