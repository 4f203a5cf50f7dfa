"""Everything no other handler took: a short helpful reply, never silence in a private chat."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.core.context import BotContext


async def not_text(update: Update, context: BotContext) -> None:
    """Stickers, photos, voice, locations, ... in a private chat."""
    message = update.effective_message
    if message is None or message.chat.type != ChatType.PRIVATE:
        return
    await message.reply_html(context.text("fallback.not_text"), do_quote=False)


async def unknown_command(update: Update, context: BotContext) -> None:
    """In groups only answer commands addressed to this bot by name, not every `/something`."""
    message = update.effective_message
    if message is None or not message.text:
        return
    if message.chat.type != ChatType.PRIVATE:
        command = message.text.split()[0]
        if not command.lower().endswith(f"@{context.bot.username}".lower()):
            return
    await message.reply_html(context.text("fallback.unknown_command"), do_quote=False)


async def stale_button(update: Update, context: BotContext) -> None:
    """A button whose conversation is over or whose data we no longer understand."""
    if update.callback_query is not None:
        await update.callback_query.answer(context.plain("fallback.stale_button"))


async def private_only(update: Update, context: BotContext) -> None:
    """Registrations are personal: in a group, point to the private chat instead."""
    message = update.effective_message
    if message is None or not message.text:
        return
    command = message.text.split()[0]
    if "@" in command and not command.lower().endswith(f"@{context.bot.username}".lower()):
        return  # meant for another bot
    await message.reply_html(
        context.text("fallback.private_only", link=f"https://t.me/{context.bot.username}")
    )
