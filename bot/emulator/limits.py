"""Telegram's limits: message and callback sizes, flood limits, and who the bot may write to.

Why: a bot that is fine against a permissive fake fails in production on exactly these
refusals (400 for oversized content, 429 with ``retry_after`` for floods, 403 for blocked
users and users who never wrote to the bot), so the emulator enforces them as Telegram does.
"""

from __future__ import annotations

import math
import time
from collections import deque

from bot.emulator.model import ApiError, Chat, RateLimit

#: Telegram's limits. Lengths are counted like tdlib does: in Unicode code points
#: (Python ``len``) of the text *after* entity parsing, so HTML tags do not count.
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200


class Window:
    """Timestamps of accepted requests inside a sliding window."""

    __slots__ = ("limit", "seconds", "stamps")

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self.stamps: deque[float] = deque()

    def wait_time(self, now: float) -> float:
        stamps = self.stamps
        while stamps and stamps[0] <= now - self.seconds:
            stamps.popleft()
        if len(stamps) < self.limit:
            return 0.0
        return stamps[0] + self.seconds - now

    def take(self, now: float) -> None:
        self.stamps.append(now)


class Bucket:
    """A token bucket: up to ``burst`` requests at once, then ``rate`` a second."""

    __slots__ = ("burst", "rate", "stamp", "tokens")

    def __init__(self, burst: int, rate: float, now: float) -> None:
        self.burst = burst
        self.rate = rate
        self.tokens = float(burst)
        self.stamp = now

    def wait_time(self, now: float) -> float:
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self, now: float) -> None:
        self.tokens -= 1

    def refill(self, seconds: float) -> None:
        """Time that passes for this bucket only (a person reading)."""
        self.tokens = min(self.burst, self.tokens + seconds * self.rate)


class FloodLimits:
    """The flood windows of the whole bot and of each chat, and which answers are unread."""

    def __init__(self, rate_limit: RateLimit | None) -> None:
        self.rate_limit = rate_limit
        self._global_window: Window | None = None
        self._chat_windows: dict[int, Window | Bucket] = {}
        self._unread: set[int] = set()  # private chats with an answer their user has not read
        if rate_limit is not None and rate_limit.global_per_second is not None:
            self._global_window = Window(rate_limit.global_per_second, 1.0)

    def take(self, chat: Chat) -> None:
        """Count one message to ``chat``, or raise 429 when a limit is reached."""
        limit = self.rate_limit
        if limit is None:
            return
        now = time.monotonic()
        windows: list[Window | Bucket] = []
        if self._global_window is not None:
            windows.append(self._global_window)
        chat_window = self._chat_windows.get(chat.id)
        if chat_window is None:
            if chat.type == "private" and limit.per_chat_per_second is not None:
                chat_window = Bucket(limit.per_chat_burst, limit.per_chat_per_second, now)
            elif chat.type != "private" and limit.per_group_per_minute is not None:
                chat_window = Window(limit.per_group_per_minute, 60.0)
            if chat_window is not None:
                self._chat_windows[chat.id] = chat_window
        if chat_window is not None:
            windows.append(chat_window)
        wait = max((w.wait_time(now) for w in windows), default=0.0)
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            raise ApiError(429, f"Too Many Requests: retry after {seconds}", retry_after=seconds)
        for window in windows:
            window.take(now)

    def answered(self, chat: Chat) -> None:
        """The bot wrote to a person, who has not read it yet."""
        if chat.type == "private":
            self._unread.add(chat.id)

    def read_answers(self, chat_id: int) -> None:
        """The person acts again: if the bot had answered, they took ``reading_time`` first."""
        if chat_id not in self._unread:
            return
        self._unread.discard(chat_id)
        bucket = self._chat_windows.get(chat_id)
        if isinstance(bucket, Bucket) and self.rate_limit is not None:
            bucket.refill(self.rate_limit.reading_time)


def refuse_unreachable(
    chat: Chat, *, blocked: set[int], started: set[int], anyone_reachable: bool
) -> None:
    """403 as Telegram answers it: the user blocked the bot, or never wrote to it."""
    if chat.id in blocked:
        if chat.type == "private":
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        raise ApiError(403, f"Forbidden: bot was kicked from the {chat.type} chat")
    if chat.type == "private" and chat.id not in started and not anyone_reachable:
        raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
