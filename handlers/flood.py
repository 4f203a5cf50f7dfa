"""Group -2, before everything else: updates from a user who floods the bot are dropped here.

Dropped updates stop at `ApplicationHandlerStop`, so they are not even recorded as a visit.
The moment is taken from `time.monotonic` when the update's turn comes; the per-chat update
processor hands a chat's updates over in arrival order, and dropping one costs next to nothing,
so a flood is counted at about the speed it arrives.
"""

from __future__ import annotations

import logging
import time

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.core.context import BotContext
from bot.core.flood_control import Verdict

log = logging.getLogger(__name__)


async def limit_flood(update: Update, context: BotContext) -> None:
    user = update.effective_user
    if user is None or user.is_bot:
        return
    services = context.services
    verdict = services.flood_control.check(user.id, time.monotonic())
    if verdict is Verdict.ANSWER:
        return
    if verdict is Verdict.NOTIFY:
        log.warning("User %s sends too fast; dropping their updates for now", user.id)
        await _send_notice(update, context)
    raise ApplicationHandlerStop


async def _send_notice(update: Update, context: BotContext) -> None:
    user, chat = update.effective_user, update.effective_chat
    assert user is not None
    services = context.services
    language = await services.users.language_of(user.id, user.language_code)  # once per flood
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
        # In a group the rest of the chat need not read about one member's pace.
        if chat is not None and chat.type == ChatType.PRIVATE:
            await chat.send_message(services.texts.get(language, "flood.notice"))
    except TelegramError:
        log.warning("Could not send the flood notice to user %s", user.id)
