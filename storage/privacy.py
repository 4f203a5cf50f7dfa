"""Everything stored about one person, found through the schema, so later tables are covered.

Every table in `storage.models.Base.metadata` with a `user_id` column holds rows about that user;
the `users` row itself is found by its `id`. The export (/mydata), the erasure (/deletemydata)
and the retention deletion all walk that same list, so a table added later is exported and
deleted without a change here.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, Table, delete, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base

Row = dict[str, Any]

USERS = "users"
# The organiser role is granted and withdrawn by an admin (/organisers) and says nothing about
# the person but that the role exists; an organiser deleting their data keeps it.
ROLES = "organisers"
# python-telegram-bot's state: erased through `storage.persistence`, which also clears its cache
# and the Application's copies in memory.
BOT_STATE = "bot_state"


def user_tables() -> list[Table]:
    """Tables with rows about a user, dependents before what they depend on.

    Deleting in this order never trips over a foreign key, whether or not it cascades.
    """
    return [table for table in reversed(Base.metadata.sorted_tables) if "user_id" in table.c]


def _users() -> Table:
    return Base.metadata.tables[USERS]


def _roles() -> Table:
    return Base.metadata.tables[ROLES]


class PersonalDataRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def rows_of(self, user_id: int) -> dict[str, list[Row]]:
        """Every stored row about the user, by table name, each table in primary-key order."""
        users = _users()
        found = {USERS: await self._select(users, users.c.id == user_id)}
        for table in sorted(user_tables(), key=lambda table: table.name):
            found[table.name] = await self._select(table, table.c.user_id == user_id)
        return found

    async def erase_user(self, user_id: int) -> dict[str, int]:
        """Delete the user's rows and then the user; the number of rows deleted, by table.

        Left alone: the organiser role (see ROLES), conversation state (see BOT_STATE), and
        anonymous counts (`events`, `seat_changes`), which have no user in them.
        """
        deleted: dict[str, int] = {}
        for table in user_tables():
            if table.name not in (ROLES, BOT_STATE):
                deleted[table.name] = await self._delete(table, table.c.user_id == user_id)
        users = _users()
        deleted[USERS] = await self._delete(users, users.c.id == user_id)
        return deleted

    async def erase_event(
        self, event_key: str, *, keep_user_ids: Collection[int]
    ) -> tuple[dict[str, int], list[int]]:
        """Delete an event's personal data; rows deleted by table, and the users deleted.

        Goes: every row about a user of this event (in tables with an `event_key`) or of any
        time (tables without one, such as relays and delivery records), and every user except
        organisers (`keep_user_ids` and the organisers table). Organisers keep their user row
        and role; everyone else comes back as a new user when they write again.
        """
        deleted: dict[str, int] = {}
        for table in user_tables():
            if table.name in (ROLES, BOT_STATE):
                continue
            condition = table.c.event_key == event_key if "event_key" in table.c else true()
            deleted[table.name] = await self._delete(table, condition)
        users, roles = _users(), _roles()
        organiser = or_(users.c.id.in_(select(roles.c.user_id)), users.c.id.in_(keep_user_ids))
        erased = list(
            await self._session.scalars(delete(users).where(~organiser).returning(users.c.id))
        )
        deleted[USERS] = len(erased)
        return deleted, sorted(erased)

    async def _select(self, table: Table, condition: ColumnElement[bool]) -> list[Row]:
        rows = await self._session.execute(
            select(table).where(condition).order_by(*table.primary_key.columns)
        )
        return [dict(row._mapping) for row in rows]

    async def _delete(self, table: Table, condition: ColumnElement[bool]) -> int:
        result = await self._session.execute(delete(table).where(condition))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
