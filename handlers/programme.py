"""/programme, /keynote and /venue: the programme as it stands now."""

from __future__ import annotations

from telegram import Update

from bot.core.context import BotContext
from handlers.reply import reply_html


async def programme(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None
    views, now = context.services.content.views, context.services.clock.now()
    await reply_html(update.effective_message, views.programme_overview(context.language, now))


async def keynote(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None
    views, now = context.services.content.views, context.services.clock.now()
    await reply_html(update.effective_message, views.keynote(context.language, now))


async def venue(update: Update, context: BotContext) -> None:
    """A map pin first, so phones offer navigation, then the written directions."""
    message = update.effective_message
    assert message is not None
    content = context.services.content
    place = content.programme.event.venue
    await message.reply_venue(
        latitude=place.latitude,
        longitude=place.longitude,
        title=place.name,
        address=place.address,
        do_quote=False,
    )
    await reply_html(message, content.views.venue(context.language))
