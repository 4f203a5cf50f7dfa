"""/programme, /keynote and /venue: the programme as it stands now; /reload and the file watcher
for organisers, which read the programme file again and tell the partners what changed."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, ContextTypes

from bot.core.context import BotContext
from bot.core.services import Services
from bot.programme.diff import ChangeKind
from bot.programme.service import ReloadResult, describe_change, other_changes
from handlers import faq
from handlers.guards import organisers_only
from handlers.reminders import schedule_reminders
from handlers.reply import reply_html

WATCH_INTERVAL = 10.0  # seconds between looks at the programme file


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


def report_reload(services: Services, result: ReloadResult) -> str:
    language = services.settings.event.default_language
    texts = services.texts
    if result.error is not None:
        return texts.get(language, "reload.invalid", error=result.error)
    if not result.changes:
        return texts.get(language, "reload.unchanged")
    lines = [
        describe_change(texts, change, language)
        for change in result.changes
        if change.kind is not ChangeKind.OTHER
    ]
    other = other_changes(result.changes)
    if other:
        lines.append(texts.get(language, "reload.other", what=other))
    return texts.get(language, "reload.done", changes="\n".join(lines), told=result.told)


@organisers_only
async def reload_command(update: Update, context: BotContext) -> None:
    """/reload: read the programme file again now."""
    message = update.effective_message
    assert message is not None
    event_key = context.services.content.programme.event_key
    result = await context.services.programme.reload()
    if result.changes:
        schedule_reminders(context.application)
    await reply_html(message, report_reload(context.services, result))
    if context.services.content.programme.event_key != event_key:
        await faq.offer_earlier(context.bot, context.services, message.chat_id)


async def _watch_programme(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reload when the file changed on disk; the organisers' chat hears what happened."""
    services: Services = context.bot_data["services"]
    if not services.programme.changed_on_disk():
        return
    event_key = services.content.programme.event_key
    result = await services.programme.reload()
    if result.changes:
        schedule_reminders(context.application)
    chat_id = services.settings.organisers.chat_id
    if chat_id is not None and (result.changes or result.error):
        await context.bot.send_message(chat_id, report_reload(services, result))
    if chat_id is not None and services.content.programme.event_key != event_key:
        await faq.offer_earlier(context.bot, services, chat_id)


def start_jobs(application: Application) -> None:  # type: ignore[type-arg]
    job_queue = application.job_queue
    assert job_queue is not None
    job_queue.run_repeating(_watch_programme, interval=WATCH_INTERVAL, name="programme-watch")
