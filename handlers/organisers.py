"""/organisers: admins (ADMIN_IDS) list, add and remove organisers in the bot."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.core.context import BotContext
from bot.core.texts import Html
from bot.dashboard.menu import reset_menu_button, show_menu_button
from bot.organisers.service import Change
from handlers.guards import admins_only
from handlers.reply import reply_html

log = logging.getLogger(__name__)

ADD = {"add", "hinzufuegen", "hinzufügen"}
REMOVE = {"remove", "entfernen"}


@admins_only
async def organisers(update: Update, context: BotContext) -> None:
    services = context.services
    message, admin = update.effective_message, update.effective_user
    assert message is not None and admin is not None
    args = list(context.args or [])
    if not args:
        await reply_html(message, await _listing(context))
        return
    action = args[0].lower()
    if len(args) != 2 or action not in ADD | REMOVE:
        await reply_html(message, context.text("organisers.usage"))
        return
    who = args[1]
    user_id = await services.organisers.resolve(who)
    if user_id is None:
        await reply_html(message, context.text("organisers.unknown_user", who=who))
        return
    if action in ADD:
        change = await services.organisers.add(user_id, admin.id)
    else:
        change = await services.organisers.remove(user_id)
    log.info("Organiser %s: %s by admin %s", change.value, user_id, admin.id)
    await reply_html(message, context.text(f"organisers.{change.value}", who=who))
    if change is Change.ADDED:
        await _welcome(context, user_id)
        await show_menu_button(context.bot, services, user_id)
    elif change is Change.REMOVED:
        await reset_menu_button(context.bot, user_id)


async def _welcome(context: BotContext, user_id: int) -> None:
    """Tell the new organiser; they may not have started the bot yet, which is fine."""
    language = await context.services.users.language_of(user_id)
    try:
        await context.bot.send_message(
            user_id, context.services.texts.get(language, "organisers.welcome")
        )
    except TelegramError as error:
        log.info("Could not welcome new organiser %s: %s", user_id, type(error).__name__)


async def _listing(context: BotContext) -> str:
    entries = [
        context.text(
            "organisers.entry_admin" if entry.admin else "organisers.entry",
            name=entry.name or context.text("organisers.unknown_name"),
            id=f"@{entry.username}" if entry.username else entry.user_id,
        )
        for entry in await context.services.organisers.all()
    ]
    return context.text("organisers.list", entries=Html("\n".join(entries) or "–"))
