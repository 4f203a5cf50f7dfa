"""/start (with an invite code from a deep link, or without) and /help."""

from __future__ import annotations

from telegram import Update

from bot.core.context import BotContext
from bot.core.texts import Html
from handlers import partners
from handlers.reply import reply_html


async def start(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None and update.effective_user is not None
    if context.args:  # opened through a deep link: t.me/<bot>?start=<code>
        await partners.redeem(update, context, context.args[0])
        return
    services = context.services
    text = services.content.views.greeting(
        context.language, update.effective_user.first_name, services.clock.now()
    )
    await reply_html(update.effective_message, text)


async def help_command(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None and update.effective_user is not None
    text = context.text("help")
    if await context.services.organisers.is_organiser(update.effective_user.id):
        text = Html(f"{text}\n\n{context.text('help.organisers')}")
    await reply_html(update.effective_message, text)
