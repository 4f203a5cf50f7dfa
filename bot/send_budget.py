"""One budget for everything the bot sends: Telegram allows about 30 messages a second in all.

Replies to partners and bulk messages (announcements, reminders) share one sliding one-second
window. Bulk sending stops short of the limit, so replies always find room and never meet a
429; when many replies come at once, bulk sending yields until they are out.
"""

from __future__ import annotations

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
    def __init__(self, bulk_per_second: int = 28) -> None:
        # 28 for bulk of Telegram's 30: Telegram counts on arrival, a little after we count,
        # and a reply arriving meanwhile still fits.
        self._bulk_limit = bulk_per_second
        self._sent: deque[float] = deque()

    def wait_for_bulk(self, now: float) -> float:
        """Seconds until a bulk message may go (0: now)."""
        while self._sent and self._sent[0] <= now - 1.0:
            self._sent.popleft()
        if len(self._sent) < self._bulk_limit:
            return 0.0
        return self._sent[len(self._sent) - self._bulk_limit] + 1.0 - now

    def record(self, now: float) -> None:
        self._sent.append(now)

    def record_reply(self) -> None:
        self.record(time.monotonic())


class BudgetedRateLimiter(AIORateLimiter):
    """python-telegram-bot's limiter (group limits, retry after 429) that also counts every
    reply in the shared budget, without holding it back."""

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
            self._budget.record_reply()
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )
