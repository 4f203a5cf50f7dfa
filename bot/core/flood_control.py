"""Flood control: one user sending far more than a person types cannot slow down everyone else.

A sliding window per user counts every update, answered or dropped. While more than `limit`
updates fall into the last `window` seconds, the user's updates are dropped; the first dropped
one earns a notice, so the user knows why the bot went quiet. Once the rate falls below the
limit again, the next update is answered as usual (and a later flood earns a new notice).

Times are plain seconds from a monotonic clock, passed in, so the rules are tested with explicit
times.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from enum import Enum


class Verdict(Enum):
    ANSWER = "answer"
    NOTIFY = "notify"  # the first dropped update: tell the user, then drop it
    DROP = "drop"


@dataclass
class _Sender:
    # The newest `limit` moments are all the rule needs, so memory stays bounded under a flood.
    moments: deque[float]
    notified: bool = False


@dataclass
class FloodControl:
    limit: int = 20
    window: float = 10.0
    _senders: dict[int, _Sender] = field(default_factory=dict, init=False, repr=False)
    _last_sweep: float | None = field(default=None, init=False, repr=False)

    def check(self, user_id: int, now: float) -> Verdict:
        """Count this update of `user_id` at `now` and say what to do with it."""
        self._sweep(now)
        sender = self._senders.get(user_id)
        if sender is None:
            sender = self._senders[user_id] = _Sender(deque(maxlen=self.limit))
        moments = sender.moments
        # `limit` earlier updates inside the window: this one would be one too many.
        flooding = len(moments) == self.limit and moments[0] > now - self.window
        moments.append(now)
        if not flooding:
            sender.notified = False
            return Verdict.ANSWER
        if sender.notified:
            return Verdict.DROP
        sender.notified = True
        return Verdict.NOTIFY

    def _sweep(self, now: float) -> None:
        """Forget users who were quiet for a whole window, at most once per window."""
        if self._last_sweep is not None and now - self._last_sweep < self.window:
            return
        self._last_sweep = now
        quiet = [
            user_id
            for user_id, sender in self._senders.items()
            if sender.moments[-1] <= now - self.window
        ]
        for user_id in quiet:
            del self._senders[user_id]

    def __len__(self) -> int:
        """Users remembered right now."""
        return len(self._senders)
