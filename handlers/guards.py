"""Who may use a handler: organisers (ADMIN_IDS and those added in the bot) or admins only."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import Update
from telegram.error import BadRequest

from bot.core.context import BotContext

Result = TypeVar("Result")
Handler = Callable[[Update, BotContext], Awaitable[Result]]


async def refuse_unless_organiser(update: Update, context: BotContext) -> bool:
    """True for organisers; anyone else gets a polite refusal and nothing else happens."""
    user = update.effective_user
    if user is not None and await context.services.organisers.is_organiser(user.id):
        return True
    await _refuse(update, context)
    return False


async def _refuse(update: Update, context: BotContext) -> None:
    if update.callback_query is not None:
        # Buttons of a conversation run are answered before their handler runs.
        with contextlib.suppress(BadRequest):
            await update.callback_query.answer()
    chat = update.effective_chat
    if chat is not None:
        await chat.send_message(context.text("organiser.only"))


def organisers_only(handler: Handler[Result]) -> Handler[Result | None]:
    """For commands and conversation entries alike: refused, the handler returns None."""

    @functools.wraps(handler)
    async def guarded(update: Update, context: BotContext) -> Result | None:
        if not await refuse_unless_organiser(update, context):
            return None
        return await handler(update, context)

    return guarded


def admins_only(handler: Handler[Result]) -> Handler[Result | None]:
    @functools.wraps(handler)
    async def guarded(update: Update, context: BotContext) -> Result | None:
        user = update.effective_user
        if user is None or not context.services.organisers.is_admin(user.id):
            await _refuse(update, context)
            return None
        return await handler(update, context)

    return guarded
