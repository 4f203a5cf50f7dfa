"""Bulk sending: broadcasts and reminders go out through the outbox, within Telegram's limits.

An organiser's broadcast (or the reminder scheduler) writes one outbox row per recipient and
calls `OutboxSender.wake()`. The sender claims small batches of rows (memory stays flat with
20,000 pending), sends them with its own `telegram.Bot` - interactive replies go through the
application's bot and never queue behind a broadcast - and records each outcome:

- accepted: the row is marked sent only now, so a crash or restart resumes where it stopped and
  at most the messages in flight go out twice;
- 429 (RetryAfter): all sending pauses as long as Telegram asks and a little more, then goes on
  below the rate Telegram allowed (bot/core/pacing.py); the row goes again and the 429 does not
  count as an attempt. A 429 for a chat that got a message less than a second before only holds that
  chat;
- 403 (Forbidden: blocked, deactivated): the row and the partner become unreachable and the
  partner's other pending rows are skipped;
- 400 (BadRequest) and other Telegram errors: failed, with Telegram's reason;
- network errors, timeouts, 5xx and unexpected exceptions: tried again after 1 s, 2 s, 4 s ...
  and failed after `max_attempts`;
- 401/404 (the token was rejected): all sending pauses and nothing is marked, rather than
  failing the whole queue over a configuration error.

Pacing: Telegram allows about 30 messages per second overall and one per second per chat. The
sender spaces sends evenly at the rate its `SendBudget` allows: near the ceiling (`rate`,
BROADCAST_RATE) less the room for the application's replies, lower after a 429, creeping up
again (bot/core/pacing.py). A chat that got a message - from the outbox or a reply - less than
`per_chat_interval` ago waits while other chats' rows go on. Several sends may be in flight at
once, because one request to Telegram takes longer than 1/30 s. Pacing, backoff and pauses run
on the monotonic clock; the `Clock` only dates rows (sent, due, leased), so a frozen test clock
sends normally.

A payload may be a list (a text, then an .ics document): its items go to the chat one per
`per_chat_interval`, each counting against the limits, and the row records how many went, so a
restart sends only the rest. Once the first item went the row counts as sent; a later item that
fails for good is noted in the row's `last_error` and logged.

The items and their stored JSON are in bot/outbox/payload.py; one send and the recording of
its outcome in bot/outbox/delivery.py. This module is the loop: claims, leases and pacing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram import Bot
from telegram.error import Forbidden, InvalidToken, RetryAfter, TelegramError

from bot.core.clock import Clock
from bot.core.pacing import Pace
from bot.core.send_budget import SendBudget, retry_after_seconds
from bot.outbox.delivery import (
    Job,
    describe,
    is_transient,
    record_failed,
    record_unreachable,
    send_item,
)
from bot.outbox.payload import items_of
from storage.database import Database
from storage.outbox import ClaimedMessage

log = logging.getLogger(__name__)


class OutboxSender:
    """Drains the outbox in the background: paced, resumable, one outcome per row."""

    def __init__(
        self,
        bot: Bot,
        database: Database,
        clock: Clock,
        *,
        rate: float = 30.0,
        per_chat_interval: float = 1.0,
        max_attempts: int = 4,
        batch: int = 50,
        on_progress: Callable[[int], Awaitable[None]] | None = None,
        on_unreachable: Callable[[int], object] | None = None,
        budget: SendBudget | None = None,
        backoff_base: float = 1.0,
        max_in_flight: int = 8,
        claim_lease: float = 60.0,
        progress_interval: float = 3.0,
        progress_timeout: float = 10.0,
        request_timeout: float = 20.0,
        max_idle: float = 60.0,
    ) -> None:
        """`on_progress(broadcast_id)` runs as a task, at most every `progress_interval` per
        broadcast and once when it is done. `on_unreachable(user_id)` lets caches forget a
        partner who blocked the bot. `max_idle` bounds any sleep, so rows queued by another
        process without `wake()` are found within it. `budget` is shared with the replies
        (bot/core/send_budget.py); without one, the sender keeps its own, with `rate` as the ceiling
        of its pace."""
        if rate <= 0 or batch < 1 or max_attempts < 1 or max_in_flight < 1:
            raise ValueError("rate, batch, max_attempts and max_in_flight must be positive")
        self._bot = bot
        self._database = database
        self._clock = clock
        self._per_chat_interval = per_chat_interval
        self._max_attempts = max_attempts
        self._batch = batch
        self._low_water = batch // 2  # claim again when the held rows fall to this
        self._on_progress = on_progress
        self._on_unreachable = on_unreachable
        self._budget = budget or SendBudget(Pace(ceiling=rate))
        self._backoff_base = backoff_base
        self._max_in_flight = max_in_flight
        self._lease = timedelta(seconds=claim_lease)
        self._progress_interval = progress_interval
        self._progress_timeout = progress_timeout
        self._timeouts = {
            "read_timeout": request_timeout,
            "write_timeout": request_timeout,
            "connect_timeout": request_timeout,
            "pool_timeout": request_timeout,
        }
        self._max_idle = max_idle

        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._signal = asyncio.Event()  # set by wake(), finished sends and stop()
        self._jobs: dict[int, Job] = {}  # by row id, in claim order
        self._held_users: dict[int, int] = {}  # user id -> row id; one held row per partner
        self._sends: set[asyncio.Task[None]] = set()
        self._chat_free_at: dict[int, float] = {}  # monotonic; inf while a send is in flight
        self._next_slot = 0.0
        self._paused_until = 0.0
        self._claim_not_before = 0.0
        # Bumped by wake() and by settled rows, so a claim that ran meanwhile cannot overwrite
        # the news with "drained, sleep a minute".
        self._news = 0
        self._check_all_broadcasts = True
        self._touched: set[int] = set()  # broadcasts with rows settled since the last check
        self._progress_at: dict[int, float] = {}
        self._progress_tasks: dict[int, asyncio.Task[None]] = {}

    # ---------------------------------------------------------------- control

    async def start(self, *, sole_sender: bool = False) -> None:
        """Start draining in a background task; rows already due go out at once.

        `sole_sender`: no other process sends from this database (the bot polls Telegram, which
        allows one poller per bot), so leases left by a killed process are taken back at once
        instead of after `claim_lease`.
        """
        if self._task is not None:
            return
        if sole_sender:
            async with self._database.transaction() as repositories:
                if released := await repositories.outbox.release_all():
                    log.info("Took back %d outbox rows held by a stopped process", released)
        self._stopping = False
        self._check_all_broadcasts = True
        self._claim_not_before = 0.0
        self._task = asyncio.create_task(self._run(), name="outbox-sender")

    async def stop(self) -> None:
        """Stop after the sends in flight are answered and recorded; held rows are released,
        so the next sender takes them at once."""
        if self._task is None:
            return
        self._stopping = True
        self._signal.set()
        await self._task
        self._task = None
        if self._sends:
            await asyncio.gather(*self._sends, return_exceptions=True)
        held = list(self._jobs)
        self._jobs.clear()
        self._held_users.clear()
        if held:
            try:
                async with self._database.transaction() as repositories:
                    await repositories.outbox.release(held)
            except Exception:
                log.exception(
                    "Releasing %d held outbox rows failed; their lease runs out", len(held)
                )
        progress = list(self._progress_tasks.values())
        if progress:
            _, late = await asyncio.wait(progress, timeout=self._progress_timeout)
            for task in late:
                task.cancel()

    def wake(self) -> None:
        """New rows were queued (or a broadcast started): look now instead of sleeping."""
        self._check_all_broadcasts = True
        self._claim_soon()
        self._signal.set()

    def drop_broadcast(self, broadcast_id: int) -> None:
        """The broadcast was cancelled: let go of its rows held but not in flight, so nothing
        more of it is sent (the database has cancelled them already)."""
        for job in list(self._jobs.values()):
            if job.message.broadcast_id == broadcast_id and not job.in_flight:
                self._release_job(job)
        self._touched.add(broadcast_id)
        self._claim_soon()
        self._signal.set()

    def _claim_soon(self) -> None:
        self._news += 1
        self._claim_not_before = 0.0

    # ---------------------------------------------------------------- the loop

    async def _run(self) -> None:
        while not self._stopping:
            self._signal.clear()
            try:
                delay = await self._step()
            except Exception:
                log.exception("Outbox sender step failed; trying again shortly")
                delay = min(5.0, self._max_idle)
            if delay == 0 or self._stopping:
                continue
            timeout = self._max_idle if delay is None else min(delay, self._max_idle)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await self._signal.wait()

    async def _step(self) -> float | None:
        """Start at most one send; returns 0 to go on, seconds to wait, or None to wait for a
        signal. Any signal ends a wait early, and the step is simply computed again."""
        now = time.monotonic()
        if now < self._paused_until:
            return self._paused_until - now
        if len(self._sends) >= self._max_in_flight:
            return None
        may_claim = len(self._jobs) <= self._low_water
        if may_claim and now >= self._claim_not_before:
            await self._claim()
            now = time.monotonic()
        self._forget_quiet_chats(now)
        job, wait = self._ready_job(now)
        if job is None:
            if may_claim and len(self._jobs) <= self._low_water:
                claim_wait = max(0.0, self._claim_not_before - time.monotonic())
                wait = claim_wait if wait is None else min(wait, claim_wait)
            return wait
        if (wait := self._budget.wait_for_bulk(now)) > 0:
            return wait  # after a 429, or replies to partners have used the second's room
        # Even spacing rather than a bucket: no bursts, so Telegram's window never fills.
        if now < self._next_slot:
            return self._next_slot - now
        if self._stopping:
            return 0
        # A step that ran a little late may catch up one slot; never more, so no burst.
        spacing = self._budget.pace.bulk_interval(now)
        self._next_slot = max(now - spacing, self._next_slot) + spacing
        self._dispatch(job, now)
        return 0

    def _ready_job(self, now: float) -> tuple[Job | None, float | None]:
        """The oldest held row whose chat may get a message now, else how long until one may.

        Rows for a chat messaged less than `per_chat_interval` ago are passed over, not waited
        for: Telegram's one-message-per-second-per-chat limit must not hold up other chats.
        """
        soonest: float | None = None
        for job in self._jobs.values():
            if job.in_flight:
                continue
            ready = max(
                job.ready_at,
                self._chat_free_at.get(job.user_id, 0.0),
                self._budget.chat_free_at(job.user_id, now),  # a reply went there
            )
            if ready <= now:
                return job, None
            if not math.isinf(ready):
                soonest = ready - now if soonest is None else min(soonest, ready - now)
        return None, soonest

    def _forget_quiet_chats(self, now: float) -> None:
        """Keep the per-chat memory to the chats of the last `per_chat_interval` seconds."""
        quiet = [chat for chat, free_at in self._chat_free_at.items() if free_at <= now]
        for chat in quiet:
            del self._chat_free_at[chat]

    async def _claim(self) -> None:
        """Settle finished broadcasts and lease more rows, in one short transaction."""
        now = self._clock.now()
        busy = {job.message.broadcast_id for job in self._jobs.values()}
        checkable = self._touched - busy
        want = self._batch - len(self._jobs)
        news = self._news
        finished: list[int] = []
        async with self._database.transaction() as repositories:
            outbox, announcements = repositories.outbox, repositories.announcements
            if self._check_all_broadcasts:
                checkable |= set(await announcements.sending_broadcasts()) - busy
            for broadcast_id in sorted(checkable):
                if await announcements.finish_broadcast_if_done(broadcast_id, now):
                    finished.append(broadcast_id)
            claimed = await outbox.claim(
                want, now, lease=self._lease, exclude_users=self._held_users
            )
            due = None
            if len(claimed) < want:
                held = set(self._held_users) | {message.user_id for message in claimed}
                due = await outbox.next_due(now, exclude_users=held)
        if self._news == news:
            self._check_all_broadcasts = False
        self._touched -= checkable
        for broadcast_id in checkable:
            self._progress_at.pop(broadcast_id, None)
        for broadcast_id in finished:
            log.info("Broadcast %s is done", broadcast_id)
            self._report(broadcast_id, final=True)

        if len(claimed) < want and self._news == news:
            # Drained for now: look again when the next row falls due, on wake(), or when a
            # held row settles (its partner's next row becomes claimable).
            seconds = self._max_idle if due is None else (due - now).total_seconds()
            self._claim_not_before = time.monotonic() + min(max(seconds, 0.25), self._max_idle)
        else:
            self._claim_not_before = 0.0

        unusable: list[tuple[ClaimedMessage, str]] = []
        for message in claimed:
            try:
                items = items_of(message)
            except (ValueError, KeyError, TypeError) as error:
                log.error("Outbox row %s has an invalid payload: %s", message.id, error)
                unusable.append((message, f"invalid payload: {error}"))
                continue
            job = Job(message, items, next_item=message.items_sent, attempts=message.attempts)
            self._jobs[message.id] = job
            self._held_users[message.user_id] = message.id
        if unusable:
            async with self._database.transaction() as repositories:
                for message, reason in unusable:
                    await repositories.outbox.mark_failed(message.id, reason)
            self._touched |= {m.broadcast_id for m, _ in unusable if m.broadcast_id is not None}
            self._claim_soon()

    # ---------------------------------------------------------------- one send

    def _dispatch(self, job: Job, now: float) -> None:
        job.in_flight = True
        job.sent_at = now
        self._budget.sending()
        self._chat_free_at[job.user_id] = math.inf  # nothing else to this chat until answered
        task = asyncio.create_task(self._send(job), name=f"outbox-row-{job.message.id}")
        self._sends.add(task)
        task.add_done_callback(self._sends.discard)

    async def _send(self, job: Job) -> None:
        error: Exception | None = None
        try:
            if job.next_item < len(job.items):
                await send_item(self._bot, job.user_id, job.items[job.next_item], **self._timeouts)
        except Exception as exc:
            error = exc
        finally:
            # Counted from the answer, so Telegram never sees two sends to a chat within the
            # interval, however long the request took.
            answered = time.monotonic()
            self._chat_free_at[job.user_id] = answered + self._per_chat_interval
            self._count(job, answered, error)
        try:
            await self._settle(job, error)
        except Exception:
            log.exception("Outbox row %s: recording the outcome failed", job.message.id)
            # Dropped from memory; its lease keeps other senders off until it runs out.
            self._release_job(job)
        finally:
            # Out of the in-flight count before the loop wakes, or it may find the limit
            # still reached and sleep on.
            if (task := asyncio.current_task()) is not None:
                self._sends.discard(task)
            self._signal.set()

    def _count(self, job: Job, answered: float, error: BaseException | None) -> None:
        """Tell the shared budget what Telegram answered, the moment it answered."""
        if isinstance(error, RetryAfter):
            seconds = retry_after_seconds(error)
            overall = self._budget.refused(
                answered, job.user_id, sent_at=job.sent_at, retry_after=seconds
            )
            job.chat_limited = not overall
            if job.chat_limited:
                self._chat_free_at[job.user_id] = answered + seconds
            return
        self._budget.answered(answered, job.user_id)
        if error is None:
            self._budget.bulk_accepted(answered)

    async def _settle(self, job: Job, error: Exception | None) -> None:
        """Record what Telegram answered for the job's current item."""
        message = job.message
        now = self._clock.now()
        if error is None:
            job.next_item += 1
            if job.next_item < len(job.items):
                async with self._database.transaction() as repositories:
                    await repositories.outbox.record_progress(message.id, job.next_item)
                job.in_flight = False  # the next item waits for the chat's interval
                return
            async with self._database.transaction() as repositories:
                await repositories.outbox.mark_sent(message.id, now, items_sent=len(job.items))
            log.debug("Outbox row %s sent", message.id)
            self._settled(job)
            return

        if isinstance(error, RetryAfter):
            job.in_flight = False  # goes again after the pause; a 429 is not a failed attempt
            seconds = retry_after_seconds(error)
            if job.chat_limited:
                log.info("Telegram asked to wait %.0f s for partner %s", seconds, job.user_id)
                return
            pace = self._budget.pace
            log.warning(
                "Telegram asked to wait %.0f s (outbox row %s); pausing, then at most %.1f "
                "messages/s (Telegram took %.0f in a second)",
                seconds,
                message.id,
                pace.bulk_threshold(time.monotonic()),
                pace.known,
            )
            await self._pause(pace.paused_until - time.monotonic())
            return
        if isinstance(error, InvalidToken):
            # A wrong or revoked token would fail every row alike: wait, rather than burn
            # the whole queue; the rows go out once the token is fixed.
            log.error("Telegram rejected the sender's token (outbox row %s); pausing", message.id)
            job.in_flight = False
            await self._pause(self._max_idle)
            return

        reason = describe(error)
        if isinstance(error, Forbidden):
            async with self._database.transaction() as repositories:
                skipped = await record_unreachable(repositories.outbox, job, now, reason)
            log.info(
                "Outbox row %s: partner %s is unreachable; %d later rows skipped",
                message.id,
                message.user_id,
                skipped,
            )
            if self._on_unreachable is not None:
                try:
                    self._on_unreachable(message.user_id)
                except Exception:
                    log.exception("on_unreachable failed for partner %s", message.user_id)
            self._settled(job)
            return

        if not isinstance(error, TelegramError):
            log.error("Outbox row %s: unexpected error while sending", message.id, exc_info=error)
        job.attempts += 1
        if is_transient(error) and job.attempts < self._max_attempts:
            delay = self._backoff_base * 2 ** (job.attempts - 1)
            at = now + timedelta(seconds=delay)
            async with self._database.transaction() as repositories:
                pending = await repositories.outbox.retry_later(
                    message.id, at, reason, hold_until=at + self._lease
                )
            if not pending:  # cancelled meanwhile
                self._release_job(job)
                return
            log.info(
                "Outbox row %s: attempt %d failed (%s); again in %.2f s",
                message.id,
                job.attempts,
                type(error).__name__,
                delay,
            )
            job.ready_at = time.monotonic() + delay
            job.in_flight = False
            return

        async with self._database.transaction() as repositories:
            await record_failed(repositories.outbox, job, now, reason)
        log.warning(
            "Outbox row %s failed after %d attempt(s): %s", message.id, job.attempts, reason
        )
        self._settled(job)

    async def _pause(self, seconds: float) -> None:
        """Stop all sending for `seconds`; held rows stay leased through a long pause."""
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)
        if seconds > self._lease.total_seconds() / 2:
            until = self._clock.now() + timedelta(seconds=seconds) + self._lease
            async with self._database.transaction() as repositories:
                await repositories.outbox.extend_claims(list(self._jobs), until)

    def _release_job(self, job: Job) -> None:
        self._jobs.pop(job.message.id, None)
        if self._held_users.get(job.user_id) == job.message.id:
            del self._held_users[job.user_id]

    def _settled(self, job: Job) -> None:
        """The row reached its final state: forget it and tell the organiser's report."""
        self._release_job(job)
        self._claim_soon()  # the partner's next row, if any, may be claimed now
        broadcast_id = job.message.broadcast_id
        if broadcast_id is None:
            return
        self._touched.add(broadcast_id)
        now = time.monotonic()
        last = self._progress_at.setdefault(broadcast_id, now)
        if now - last >= self._progress_interval:
            self._progress_at[broadcast_id] = now
            self._report(broadcast_id, final=False)

    # ---------------------------------------------------------------- progress reports

    def _report(self, broadcast_id: int, *, final: bool) -> None:
        """Run `on_progress` as a task: editing the organiser's message must not slow sending.

        One report per broadcast at a time; the final one waits for a running one, so the
        organiser's message ends with the last figures.
        """
        if self._on_progress is None:
            return
        running = self._progress_tasks.get(broadcast_id)
        if running is not None and not running.done() and not final:
            return
        task = asyncio.create_task(
            self._call_progress(broadcast_id, running), name=f"outbox-progress-{broadcast_id}"
        )
        self._progress_tasks[broadcast_id] = task

        def forget(done: asyncio.Task[None]) -> None:
            if self._progress_tasks.get(broadcast_id) is done:
                del self._progress_tasks[broadcast_id]

        task.add_done_callback(forget)

    async def _call_progress(self, broadcast_id: int, before: asyncio.Task[None] | None) -> None:
        assert self._on_progress is not None
        if before is not None and not before.done():
            await asyncio.wait([before])
        try:
            async with asyncio.timeout(self._progress_timeout):
                await self._on_progress(broadcast_id)
        except TimeoutError:
            log.warning("Progress report for broadcast %s timed out", broadcast_id)
        except Exception:
            log.exception("Progress report for broadcast %s failed", broadcast_id)
