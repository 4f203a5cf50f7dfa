"""The last resort: log what went wrong with its context and apologise to the user, nothing more."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.context import BotContext

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    error = context.error
    if not isinstance(update, Update):
        log.error("Error outside an update: %r", error, exc_info=error)
        return
    chat = update.effective_chat
    log.error(
        "Error handling update %s (chat %s, user %s)",
        update.update_id,
        chat.id if chat else None,
        update.effective_user.id if update.effective_user else None,
        exc_info=error,
    )
    if chat is None or chat.type != ChatType.PRIVATE:
        return
    try:
        await context.bot.send_message(
            chat.id, context.services.texts.get(context.language, "error.apology")
        )
    except TelegramError:
        log.warning("Could not send the apology for update %s", update.update_id)
