"""Runs before every other handler: remembers who wrote and picks the language to answer in."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.language import resolve_language
from storage.repositories import Visitor


async def record_user(update: Update, context: BotContext) -> None:
    user = update.effective_user
    if user is None or user.is_bot:
        return
    services = context.services
    visitor = Visitor(
        id=user.id,
        first_name=user.first_name,
        last_name=user.last_name,
        username=user.username,
        telegram_language=user.language_code,
    )
    now = services.clock.now()
    seen = services.visitors.lookup(visitor, now)
    if seen is not None:
        chosen = seen.language
    else:
        async with services.database.transaction() as repositories:
            stored = await repositories.users.record_visit(visitor, now)
            chosen = stored.language
        services.visitors.remember(visitor, chosen, now)
    context.language = resolve_language(
        chosen, user.language_code, services.settings.event.default_language
    )
