"""Who wrote lately, so most updates need no database write.

Every update used to record the visit (names, language, last seen) in its own transaction; under
load that write was most of the bot's work. Now a user's details are written when they change,
and `last_seen` at most every few minutes.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.repositories import Visitor


@dataclass(frozen=True)
class Seen:
    visitor: Visitor
    language: str | None  # the user's explicit choice, as stored
    written_at: datetime


class RecentVisitors:
    """A bounded memory of recent visitors; anything that changes a user in the database
    without a visit (a language choice, a block) must call `forget`."""

    def __init__(self, *, refresh: timedelta = timedelta(minutes=5), capacity: int = 10_000):
        self._refresh = refresh
        self._capacity = capacity
        self._seen: OrderedDict[int, Seen] = OrderedDict()

    def lookup(self, visitor: Visitor, now: datetime) -> Seen | None:
        """The stored state, if it was written recently and the user's details are unchanged."""
        seen = self._seen.get(visitor.id)
        if seen is None or seen.visitor != visitor or now - seen.written_at >= self._refresh:
            return None
        self._seen.move_to_end(visitor.id)
        return seen

    def remember(self, visitor: Visitor, language: str | None, now: datetime) -> None:
        self._seen[visitor.id] = Seen(visitor, language, now)
        self._seen.move_to_end(visitor.id)
        while len(self._seen) > self._capacity:
            self._seen.popitem(last=False)

    def forget(self, user_id: int) -> None:
        self._seen.pop(user_id, None)
