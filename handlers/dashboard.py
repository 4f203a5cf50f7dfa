"""/dashboard (/uebersicht): organisers get a button that opens the dashboard Mini App."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update, WebAppInfo

from bot.core.context import BotContext
from bot.dashboard.menu import show_menu_button
from handlers.guards import organisers_only


@organisers_only
async def dashboard(update: Update, context: BotContext) -> None:
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    url = context.services.settings.dashboard.url
    if url is None:
        await chat.send_message(context.text("dashboard.off"))
        return
    button = InlineKeyboardButton(context.plain("dashboard.button"), web_app=WebAppInfo(url))
    await chat.send_message(
        context.text("dashboard.open"), reply_markup=InlineKeyboardMarkup([[button]])
    )
    # The menu button too, in case it was missed at start (they had never written to the bot).
    await show_menu_button(context.bot, context.services, user.id)
