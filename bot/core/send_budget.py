"""One budget for everything the bot sends: Telegram allows about 30 messages a second in all.

Replies to partners and bulk messages (announcements, reminders, feedback questions) share one
sliding one-second window. Bulk sending keeps a little under what replies leave of the limit
(bot/core/pacing.py), so replies never meet a 429 that bulk sending provoked; when many replies come
at once, bulk sending yields until they are out. Replies wait only when the window already holds
all that Telegram is known to take - Telegram would refuse them then.

A message counts from the moment it is sent until one second after Telegram answered: Telegram
counts it on arrival, somewhere in between, so the window never holds fewer than Telegram's.
"""

from __future__ import annotations

import asyncio
import math
import time
import warnings
from collections import deque
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter
from telegram.warnings import PTBDeprecationWarning

from bot.core.pacing import Pace

WINDOW = 1.0  # seconds: Telegram's limits are per second, overall and per chat
QUIET_AFTER = 5.0  # seconds without a reply before bulk sending probes beyond a learned limit
IN_FLIGHT_WAIT = 0.01  # seconds to look again when only messages on their way fill the window

ApiResult = bool | dict[str, Any] | list[dict[str, Any]]
ApiCall = Callable[..., Coroutine[Any, Any, ApiResult]]

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
    """The last second's messages, shared by the outbox and the replies' rate limiter."""

    def __init__(self, pace: Pace | None = None) -> None:
        self.pace = pace or Pace()
        self._answered: deque[tuple[float, int | None]] = deque()  # when Telegram answered
        self._last_to_chat: dict[int, float] = {}  # the chats of the last second
        self._in_flight = 0
        self._reply_at = -math.inf  # when a reply last waited, went or was answered

    def count(self, now: float) -> int:
        """Messages in the last second, those still on their way included."""
        self._expire(now)
        return len(self._answered) + self._in_flight

    def wait_for_bulk(self, now: float) -> float:
        """Seconds until a bulk message may go (0: now): not during a 429's pause, and only
        while the last second leaves the replies' room below the limit."""
        if now < self.pace.paused_until:
            return self.pace.paused_until - now
        return self._wait_for_room(now, self.pace.bulk_threshold(now))

    def wait_for_reply(self, now: float) -> float:
        """Seconds until a reply may go (0: now): only while the last second holds all that
        Telegram is known to take does a reply wait, for the oldest message to leave it."""
        self._reply_at = now
        return self._wait_for_room(now, self.pace.reply_threshold(now))

    def chat_free_at(self, chat_id: int, now: float) -> float:
        """When bulk sending may write to the chat: a second after the bot's last message there
        (Telegram allows about one a second per chat)."""
        self._expire(now)
        last = self._last_to_chat.get(chat_id)
        return -math.inf if last is None else last + WINDOW

    def bulk_per_second(self) -> float:
        """What bulk sending goes at now, at most: for estimates like "about 11 minutes"."""
        return self.pace.bulk_threshold(time.monotonic())

    def sending(self) -> None:
        """A message is on its way: it counts from now."""
        self._in_flight += 1

    def answered(self, now: float, chat_id: int | None, *, reply: bool = False) -> None:
        """Telegram answered, anything but a 429: the message counts for one more second."""
        if reply:
            self._reply_at = now
        self._in_flight = max(0, self._in_flight - 1)
        self._expire(now)
        self._answered.append((now, chat_id))
        if chat_id is not None:
            self._last_to_chat[chat_id] = now

    def bulk_accepted(self, now: float) -> None:
        """Telegram took a bulk message: the pace creeps up; beyond what a 429 taught only
        while no reply was about for a while, so that a reply does not find the limit first."""
        self.pace.accepted(now, quiet=now - self._reply_at >= QUIET_AFTER)

    def refused(
        self, now: float, chat_id: int | None, *, sent_at: float, retry_after: float
    ) -> bool:
        """Telegram answered 429 (it does not count the message). True if that was the overall
        limit: bulk sending pauses and slows down (bot/core/pacing.py). False if it was the chat's
        own limit - a group, or a chat that got a message less than a second before - which
        only that chat has to wait out."""
        self._in_flight = max(0, self._in_flight - 1)
        self._expire(now)
        if chat_id is not None:
            last = self._last_to_chat.get(chat_id)
            if chat_id < 0 or (last is not None and last > sent_at - WINDOW):
                return False
        self.pace.refused(
            now, sent_at=sent_at, retry_after=retry_after, counted_last_second=self.count(now)
        )
        return True

    def _wait_for_room(self, now: float, threshold: float) -> float:
        excess = self.count(now) + 1 - math.floor(threshold + 1e-9)
        if excess <= 0:
            return 0.0
        if excess <= len(self._answered):
            return self._answered[excess - 1][0] + WINDOW - now
        return IN_FLIGHT_WAIT  # room comes when a message on its way is answered

    def _expire(self, now: float) -> None:
        answered = self._answered
        while answered and answered[0][0] <= now - WINDOW:
            at, chat_id = answered.popleft()
            if chat_id is not None and self._last_to_chat.get(chat_id) == at:
                del self._last_to_chat[chat_id]


def retry_after_seconds(error: RetryAfter) -> float:
    """`retry_after` is int seconds, or a timedelta once PTB_TIMEDELTA is set."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _chat_key(value: object) -> int | None:
    """A numeric chat id, or None for a channel's @username."""
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


class BudgetedRateLimiter(AIORateLimiter):
    """python-telegram-bot's limiter (group limits, retry after 429) that counts every reply in
    the shared budget and holds one back only while Telegram would refuse it anyway."""

    def __init__(self, budget: SendBudget, **options: Any) -> None:
        super().__init__(**options)
        self._budget = budget

    async def process_request(
        self,
        callback: ApiCall,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> ApiResult:
        if endpoint in MESSAGE_METHODS:
            callback = self._counted(callback, _chat_key(data.get("chat_id")))
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )

    def _counted(self, callback: ApiCall, chat_id: int | None) -> ApiCall:
        """The request, counted in the budget; each retry after a 429 is counted again."""
        budget = self._budget

        async def counted(*args: Any, **kwargs: Any) -> ApiResult:
            wait = budget.wait_for_reply(time.monotonic())
            while wait > 0:  # the window holds all Telegram takes: Telegram would refuse it
                await asyncio.sleep(wait)
                wait = budget.wait_for_reply(time.monotonic())
            sent_at = time.monotonic()
            budget.sending()
            try:
                result = await callback(*args, **kwargs)
            except RetryAfter as error:
                seconds = retry_after_seconds(error)
                budget.refused(time.monotonic(), chat_id, sent_at=sent_at, retry_after=seconds)
                raise
            except BaseException:
                budget.answered(time.monotonic(), chat_id, reply=True)  # perhaps it arrived
                raise
            budget.answered(time.monotonic(), chat_id, reply=True)
            return result

        return counted
