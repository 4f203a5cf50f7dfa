"""What the bot keeps about every user, whatever feature they use: language and reachability."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from bot.core.language import resolve_language
from bot.core.visitors import RecentVisitors
from bot.programme.model import Language
from storage.database import Database
from storage.repositories import Repositories

log = logging.getLogger(__name__)


class UserService:
    def __init__(
        self, database: Database, visitors: RecentVisitors, default_language: Language
    ) -> None:
        self._database = database
        self._visitors = visitors
        self._default_language = default_language

    async def set_language(self, user_id: int, language: Language) -> None:
        """/language: stored, and remembered in memory so the next reply needs no read."""
        async with self._database.transaction() as repositories:
            await repositories.users.set_language(user_id, language)
        self._visitors.chose_language(user_id, language)

    async def language_of(self, user_id: int, app_language: str | None = None) -> Language:
        """The language to write to someone outside of their own update, or before
        `record_user` set it (flood control, the error handler): their choice, else their app's
        (`app_language` if the update says it, else the stored one), else the default.

        When the database itself is the problem, as it may be for the error handler, the app
        language serves.
        """
        try:
            async with self._database.transaction() as repositories:
                return await self.language_in(repositories, user_id, app_language)
        except (SQLAlchemyError, OSError):
            log.warning("Could not read the language choice; using the app language")
        return resolve_language(None, app_language, self._default_language)

    async def language_in(
        self, repositories: Repositories, user_id: int, app_language: str | None = None
    ) -> Language:
        """`language_of` inside a transaction the caller has open."""
        user = await repositories.users.get(user_id)
        chosen, stored_app = (user.language, user.telegram_language) if user else (None, None)
        return resolve_language(chosen, app_language or stored_app, self._default_language)

    def remembered_language(self, user_id: int, app_language: str | None) -> Language | None:
        """`language_of` without the database, when the app's language is known: every choice
        is kept in memory (`RecentVisitors`). None when only the stored app language would do."""
        if not app_language:
            return None
        return resolve_language(
            self._visitors.choice(user_id), app_language, self._default_language
        )

    async def mark_unreachable(self, user_id: int) -> None:
        """A 403 from Telegram: the user blocked the bot. Their next message clears the mark."""
        async with self._database.transaction() as repositories:
            await repositories.users.mark_unreachable(user_id)
        self._visitors.forget(user_id)
