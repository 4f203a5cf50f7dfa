"""/status for organisers: version, uptime, database, figures, next reminder, last error."""

from __future__ import annotations

from telegram import Update

from bot.core.context import BotContext
from bot.status.service import gather_status
from bot.status.views import render_status
from handlers.guards import organisers_only
from handlers.reply import reply_html


@organisers_only
async def show_status(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message is not None
    figures = await gather_status(context.services)
    await reply_html(message, render_status(figures, context.services.texts, context.language))
