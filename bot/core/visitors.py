"""Who wrote lately, and who chose which language, so an update needs no database before its reply.

Every update used to record the visit (names, language, last seen) in its own transaction, and a
new user's reply waited for it; under load that write was most of the bot's work. Now a user's
details are noted when they change, and `last_seen` at most every few minutes, and the database
writes the noted visits in batches (`storage.visits`). The language a user chose with /language
is kept in memory from the start, so answering in it needs no read either.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.database import Database
from storage.users import Visitor


@dataclass(frozen=True)
class Seen:
    visitor: Visitor
    noted_at: datetime


class RecentVisitors:
    """A bounded memory of recent visitors and the language choices of all users.

    The bot is the only writer of the users' rows while it runs, so anything that changes a
    user in the database without a visit must tell it: a block (`forget`), a language choice
    (`chose_language`), a deletion (`erased`).
    """

    def __init__(
        self,
        database: Database,
        *,
        refresh: timedelta = timedelta(minutes=5),
        capacity: int = 10_000,
    ) -> None:
        self._database = database
        self._refresh = refresh
        self._capacity = capacity
        self._seen: OrderedDict[int, Seen] = OrderedDict()
        self._choices: dict[int, str] = {}

    async def load_choices(self) -> None:
        """Read the stored language choices; once at start, before the first update."""
        async with self._database.transaction() as repositories:
            self._choices = await repositories.users.language_choices()

    def visit(self, visitor: Visitor, now: datetime) -> str | None:
        """Note the visit if it is news (a new user, changed details, or `last_seen` older
        than `refresh`); the language the user chose, if any."""
        seen = self._seen.get(visitor.id)
        if seen is None or seen.visitor != visitor or now - seen.noted_at >= self._refresh:
            self._database.visits.note(visitor, now)
            self._seen[visitor.id] = Seen(visitor, now)
        self._seen.move_to_end(visitor.id)
        while len(self._seen) > self._capacity:
            self._seen.popitem(last=False)
        return self._choices.get(visitor.id)

    def choice(self, user_id: int) -> str | None:
        """The language the user chose with /language, if any."""
        return self._choices.get(user_id)

    def chose_language(self, user_id: int, language: str) -> None:
        self._choices[user_id] = language

    def forget(self, user_id: int) -> None:
        """The user's next update is noted as a visit (after a block: it makes them reachable)."""
        self._seen.pop(user_id, None)

    def erased(self, user_id: int) -> None:
        """The user's rows are gone: their next update makes them a new user."""
        self._seen.pop(user_id, None)
        self._choices.pop(user_id, None)
