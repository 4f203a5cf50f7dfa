"""Organisers beyond ADMIN_IDS: admins add and remove them in the bot; stored in the database."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.core.clock import Clock
from storage.database import Database
from storage.repositories import Repositories


class Change(StrEnum):
    ADDED = "added"
    ALREADY = "already"
    REMOVED = "removed"
    NOT_ORGANISER = "not_organiser"
    IS_ADMIN = "is_admin"  # admins come from the configuration and cannot be removed here


@dataclass(frozen=True)
class OrganiserEntry:
    user_id: int
    name: str | None  # None: has not written to the bot yet
    username: str | None
    admin: bool


class OrganiserService:
    def __init__(self, database: Database, clock: Clock, admin_ids: frozenset[int]) -> None:
        self._database = database
        self._clock = clock
        self._admin_ids = admin_ids

    def is_admin(self, user_id: int) -> bool:
        """Admins (ADMIN_IDS) are organisers who can also add and remove organisers."""
        return user_id in self._admin_ids

    async def is_organiser(self, user_id: int) -> bool:
        """Asked at every organiser action, so a removal takes effect at once."""
        if self.is_admin(user_id):
            return True
        async with self._database.transaction() as repositories:
            return await self.is_organiser_in(repositories, user_id)

    async def is_organiser_in(self, repositories: Repositories, user_id: int) -> bool:
        """The same question inside a transaction the caller has open: one primary-key read."""
        return self.is_admin(user_id) or await repositories.organisers.contains(user_id)

    async def resolve(self, who: str) -> int | None:
        """A numeric Telegram id, or the @username of someone who has written to the bot."""
        who = who.strip()
        if who.lstrip("-").isdigit():
            return int(who)
        username = who.removeprefix("@")
        if not username:
            return None
        async with self._database.transaction() as repositories:
            user = await repositories.organisers.find_user(username)
            return user.id if user else None

    async def add(self, user_id: int, added_by: int) -> Change:
        if user_id in self._admin_ids:
            return Change.IS_ADMIN
        async with self._database.transaction() as repositories:
            added = await repositories.organisers.add(user_id, added_by, self._clock.now())
        return Change.ADDED if added else Change.ALREADY

    async def remove(self, user_id: int) -> Change:
        if user_id in self._admin_ids:
            return Change.IS_ADMIN
        async with self._database.transaction() as repositories:
            removed = await repositories.organisers.remove(user_id)
        return Change.REMOVED if removed else Change.NOT_ORGANISER

    async def all(self) -> list[OrganiserEntry]:
        async with self._database.transaction() as repositories:
            added = await repositories.organisers.all()
            admins = [
                (user_id, await repositories.users.get(user_id)) for user_id in self._admin_ids
            ]
        entries = [
            OrganiserEntry(
                user_id, user.first_name if user else None, user.username if user else None, True
            )
            for user_id, user in sorted(admins, key=lambda pair: pair[0])
        ]
        entries += [
            OrganiserEntry(
                organiser.user_id,
                user.first_name if user else None,
                user.username if user else None,
                False,
            )
            for organiser, user in added
        ]
        return entries
