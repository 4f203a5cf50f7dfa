"""The user's language where `record_user` has not set it: before it runs, or in the error handler.

python-telegram-bot gives the error handler a fresh context, so the language found for the
update is not there; and flood control runs before `record_user`. Both are rare, so one read of
the stored choice is cheap; when the database itself is the problem, the app language serves.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from telegram import User

from bot.language import resolve_language
from bot.programme import Language
from bot.services import Services

log = logging.getLogger(__name__)


async def language_of(user: User | None, services: Services) -> Language:
    default = services.settings.event.default_language
    if user is None:
        return default
    chosen: str | None = None
    try:
        async with services.database.transaction() as repositories:
            stored = await repositories.users.get(user.id)
        chosen = stored.language if stored else None
    except (SQLAlchemyError, OSError):
        log.warning("Could not read the language choice; using the app language")
    return resolve_language(chosen, user.language_code, default)
