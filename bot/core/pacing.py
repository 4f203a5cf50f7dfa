"""How fast bulk messages may go: as close to Telegram's overall limit as it allows, no closer.

Telegram allows about 30 messages a second in all, but does not say how many exactly, and a
429 names only a pause (`retry_after`), not the limit. So bulk sending adapts, additive increase
and multiplicative decrease with a memory:

- it starts at the ceiling (`BROADCAST_RATE`, at most Telegram's 30), less the room it leaves
  for replies (one message a second: replies wait only when the second is full, see
  bot/core/send_budget.py, so the room saves them the wait);
- a 429 pauses it for `retry_after` and a little more, and teaches the limit: what Telegram
  accepted in the second before (`known`); the rate drops below that and creeps up to it again
  within a few seconds;
- beyond what a 429 taught it creeps only slowly, and only while no reply is about, so that
  bulk sending, not a reply, meets the limit if it is still there. What a 429 taught is
  forgotten `memory` seconds later in any case, in case it was a passing limit and replies
  never leave a quiet moment.

Replies are not paced here: they go at once, counted in the same second (bot/core/send_budget.py),
and bulk sending leaves `reply_room` of the limit for them. Pure: time comes in as arguments.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

TELEGRAM_LIMIT = 30.0  # messages per second in all, as Telegram documents it


@dataclass
class Pace:
    """The bulk rate, learned from Telegram's 429s; monotonic seconds in, messages/s out."""

    ceiling: float = TELEGRAM_LIMIT  # messages/s in all, never exceeded (BROADCAST_RATE)
    reply_room: float = 1.0  # of the limit, left free for replies every second
    decrease: float = 0.8  # after a 429: this share of what Telegram accepted
    increase: float = 2.0  # messages/s regained per second of sending, up to `known`
    relax: float = 1 / 30  # messages/s that `known` gains per second of quiet sending
    pause_margin: float = 0.25  # seconds added to Telegram's retry_after
    memory: float = 600.0  # seconds a learned limit is kept after the last 429
    lowest: float = 1.0  # bulk messages/s, however many 429s came

    limit: float = field(init=False)  # messages/s in all that bulk sending aims for now
    known: float = field(init=False)  # the most Telegram is known to take in a second
    paused_until: float = field(init=False, default=-math.inf)
    _learned_at: float | None = field(init=False, default=None)
    _reacted_at: float = field(init=False, default=-math.inf)

    def __post_init__(self) -> None:
        if self.ceiling <= 0 or not 0 < self.decrease < 1 or self.increase <= 0:
            raise ValueError("ceiling and increase must be positive, decrease between 0 and 1")
        if self.reply_room < 0 or self.lowest <= 0:
            raise ValueError("reply_room must not be negative, lowest must be positive")
        self.limit = self.ceiling
        self.known = self.ceiling

    # ------------------------------------------------------------------ what may go

    def bulk_threshold(self, now: float) -> float:
        """How many messages (replies included) may have gone in the last second for bulk
        sending to add one more: the limit less the replies' room."""
        self._forget(now)
        return max(self.lowest, self.limit - self.reply_room)

    def bulk_interval(self, now: float) -> float:
        """Seconds between two bulk messages: evenly spaced, no bursts."""
        return 1.0 / self.bulk_threshold(now)

    def reply_threshold(self, now: float) -> float:
        """How many messages may have gone in the last second for a reply to go: all Telegram
        is known to take. Bulk sending stays `reply_room` below, so replies rarely wait."""
        self._forget(now)
        return self.known

    # ------------------------------------------------------------------ what Telegram said

    def accepted(self, now: float, *, quiet: bool = True) -> None:
        """A bulk message went through: creep up, by `increase` per second of sending, and
        while `quiet` (no reply about) beyond what a 429 taught, by `relax`."""
        self._forget(now)
        seconds = 1.0 / max(self.lowest, self.limit - self.reply_room)  # one message's share
        if quiet:
            self.known = min(self.ceiling, self.known + self.relax * seconds)
        self.limit = min(self.known, self.limit + self.increase * seconds)

    def refused(
        self, now: float, *, sent_at: float, retry_after: float, counted_last_second: int
    ) -> float:
        """A 429 for a message sent at `sent_at` (bulk or reply): pause, learn, slow down.

        `counted_last_second` is what the budget counted in the second before, answered or on
        the way: what Telegram took, or one more (the budget counts a message until a second
        after the answer, Telegram from its arrival, and one on the way may arrive after the
        refused one). Returns the moment bulk sending may go again. Messages that were
        on their way when the first 429 of a flood came change nothing more.
        """
        self._forget(now)
        self.paused_until = max(self.paused_until, now + retry_after + self.pause_margin)
        if sent_at < self._reacted_at:
            return self.paused_until
        # One 429 cuts the rate to a third at most: a 429 that is not about the overall limit
        # (another program with the same token, say) must not bring bulk sending to a crawl.
        floor = min(self.ceiling, self.lowest + self.reply_room)
        taken = max(counted_last_second - 1.0, self.limit / 3)
        self.known = max(floor, min(self.ceiling, taken))
        self.limit = max(floor, self.decrease * min(self.limit, self.known))
        self._learned_at = now
        self._reacted_at = now
        return self.paused_until

    def _forget(self, now: float) -> None:
        """A limit learned long ago may have been a passing one: the ceiling holds again."""
        if self._learned_at is not None and now - self._learned_at >= self.memory:
            self.known = self.ceiling
            self._learned_at = None
