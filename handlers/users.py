"""Runs before every other handler: notes who wrote and picks the language to answer in.

Neither needs the database before the reply (`bot.core.visitors`): the visit is written shortly
after, in a batch, and before any transaction that could look for the user.
"""

from __future__ import annotations

from telegram import Update

from bot.core.context import BotContext
from bot.core.language import resolve_language
from storage.users import Visitor


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
    chosen = services.visitors.visit(visitor, services.clock.now())
    context.language = resolve_language(
        chosen, user.language_code, services.settings.event.default_language
    )
