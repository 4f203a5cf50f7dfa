"""Concurrent updates, but in order per chat, and only a few at a time.

python-telegram-bot either handles updates one at a time (slow with many partners) or all at
once (a partner's quick answers could overtake each other mid-conversation). This processor runs
different chats concurrently and each chat's updates strictly in arrival order.

The number of updates in work is capped: beyond a handful, more concurrency only makes the HTTP
connection pool's bookkeeping dearer, since every request checks every pooled connection (8 beat
16 and 256 in bench/question_latency.py; with 4 instead of 8 that bookkeeping fell from 15 % to
6 % of the bot's time under load, and SQLite's writers, which take turns anyway, wait less for
each other). Updates waiting for their chat's turn do not count against the cap, so one busy
chat cannot hold up everybody else.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

IN_WORK = 4
QUEUED = 100_000  # python-telegram-bot's own limit: updates accepted before they wait in line


def _chat_key(update: object) -> int | None:
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return update.effective_chat.id
        if update.effective_user is not None:
            return update.effective_user.id
    return None


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, in_work: int = IN_WORK) -> None:
        super().__init__(QUEUED)
        self._in_work = asyncio.BoundedSemaphore(in_work)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _chat_key(update)
        if key is None:
            async with self._in_work:
                await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock, self._in_work:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:  # forget idle chats so memory stays flat
                del self._waiting[key]
                del self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up; required by the base class."""

    async def shutdown(self) -> None:
        """Nothing to release; required by the base class."""
