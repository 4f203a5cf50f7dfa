"""Sending text that may exceed one Telegram message."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message

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
