"""Visits noted in memory and written in batches, so a first contact waits for no database.

A new user's first message used to wait for their row (an upsert in a transaction of its own)
before the bot answered; when partners arrive in a wave after an invitation, those transactions
queued for SQLite's single writer and the replies waited with them. Now a visit is noted here and
written together with everyone else's in one transaction: `WRITE_DELAY` later, or before the next
transaction that anything opens (`Database.transaction`), whichever comes first. So whatever
reads or changes users sees every visit noted before it began, in order: a deletion (privacy,
retention) deletes the visitors it finds and is never undone by a visit noted earlier. Noted
visits are written on a clean stop (`Database.close`); a crash loses at most the last
`WRITE_DELAY` of them, and the user's next update notes them again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from storage.users import Visit, Visitor

log = logging.getLogger(__name__)

WRITE_DELAY = 0.5  # seconds; a wave of first contacts becomes one transaction

WriteVisits = Callable[[Sequence[Visit]], Awaitable[None]]


class PendingVisits:
    """The visits not yet written; `write` stores them through the callable given."""

    def __init__(self, write: WriteVisits, *, delay: float = WRITE_DELAY) -> None:
        self._write = write
        self._delay = delay
        self._pending: dict[int, Visit] = {}
        # Held while a batch is written, so a caller of `write` also waits for visits that
        # another caller took out of `_pending` a moment earlier.
        self._writing = asyncio.Lock()
        self._timer: asyncio.TimerHandle | None = None
        self._task: asyncio.Task[None] | None = None

    def __len__(self) -> int:
        return len(self._pending)

    def note(self, visitor: Visitor, now: datetime) -> None:
        """Remember the visit; it is written within `delay` seconds."""
        earlier = self._pending.get(visitor.id)
        first_seen = now if earlier is None else earlier.first_seen
        self._pending[visitor.id] = Visit(visitor, first_seen, now)
        if self._timer is None and self._task is None:
            self._timer = asyncio.get_running_loop().call_later(self._delay, self._write_soon)

    async def write(self) -> None:
        """Write every visit noted before this call; returns once they are committed."""
        if not self._pending and not self._writing.locked():
            return
        async with self._writing:
            batch, self._pending = self._pending, {}
            if not batch:
                return
            try:
                await self._write(list(batch.values()))
            except BaseException:
                self._put_back(batch)
                raise

    async def close(self) -> None:
        """Write what is left; called once no update is handled any more."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
        await self.write()

    def _put_back(self, batch: dict[int, Visit]) -> None:
        """A failed write: its visits wait for the next one, under newer details if any."""
        for user_id, visit in batch.items():
            newer = self._pending.get(user_id)
            if newer is not None:
                visit = Visit(newer.visitor, visit.first_seen, newer.last_seen)
            self._pending[user_id] = visit

    def _write_soon(self) -> None:
        self._timer = None
        self._task = asyncio.get_running_loop().create_task(self._write_in_background())

    async def _write_in_background(self) -> None:
        try:
            await self.write()
        except Exception:
            log.exception("Could not write %d visits; trying again shortly", len(self._pending))
        finally:
            self._task = None
        if self._pending and self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self._delay, self._write_soon)
