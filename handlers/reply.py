"""Sending text that may exceed one Telegram message, and catalogue texts in the user's language."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update

from bot.core.context import BotContext
from bot.core.telegram_text import split_html


async def reply_html(
    message: Message, text: str, reply_markup: InlineKeyboardMarkup | None = None
) -> Message:
    """Reply in as many messages as needed; buttons go under the last part."""
    parts = split_html(text)
    sent = message
    for index, part in enumerate(parts):
        markup = reply_markup if index == len(parts) - 1 else None
        sent = await message.reply_html(part, reply_markup=markup, do_quote=False)
    return sent


async def say(
    update: Update,
    context: BotContext,
    key: str,
    /,
    markup: InlineKeyboardMarkup | None = None,
    **params: object,
) -> None:
    """The catalogue text `key` to the update's chat, in its language; buttons go under the
    last part."""
    chat = update.effective_chat
    assert chat is not None
    parts = split_html(context.text(key, **params))
    for index, part in enumerate(parts):
        await chat.send_message(part, reply_markup=markup if index == len(parts) - 1 else None)
