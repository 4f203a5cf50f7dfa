"""Organiser commands: the registrations as CSV and the statistics with a chart, both with the
check-ins at the door and the feedback after the event."""

from __future__ import annotations

import asyncio

from telegram import Bot, InputFile, Update

from bot.checkin.service import CheckinRecord
from bot.core.context import BotContext
from bot.core.services import Services
from bot.core.timefmt import format_datetime
from bot.feedback.rules import render_summary
from bot.feedback.service import PartnerFeedback
from bot.programme.model import Language
from bot.registration.export import ExportRow, format_export_time, registrations_csv
from bot.registration.rules import Status
from bot.registration.views import dietary_label
from handlers.guards import organisers_only

EXTRA_COLUMNS = ("checked_in_at", "checked_in_persons", "stars", "comment")


@organisers_only
async def export(update: Update, context: BotContext) -> None:
    chat = update.effective_chat
    assert chat is not None
    await send_export(context.bot, context.services, chat.id, context.language)


async def send_export(bot: Bot, services: Services, chat_id: int, language: Language) -> None:
    """The registrations as CSV into this chat: for /export and the dashboard's export button."""
    texts = services.texts
    registrations = await services.registrations.all()
    check_ins = await services.checkin.records()
    ratings = await services.feedback.by_partner()
    columns = [texts.template(language, f"export.{key}") for key in EXTRA_COLUMNS]
    rows = [
        ExportRow(
            name=registration.name,
            organisation=registration.organisation,
            persons=registration.persons,
            dietary=dietary_label(texts, language, registration.dietary, registration.dietary_note)
            if registration.status is not Status.DECLINED
            else None,
            accessibility=registration.accessibility,
            status=texts.template(language, f"rsvp.status.{registration.status.value}"),
            language=registration.language,
            registered_at=registration.registered_at,
            changed_at=registration.changed_at,
            extra=dict(
                zip(
                    columns,
                    _door_and_feedback(
                        check_ins.get(registration.id), ratings.get(registration.user_id)
                    ),
                    strict=True,
                )
            ),
        )
        for registration in registrations
    ]
    now = services.clock.now()
    caption = texts.get(
        language, "export.caption", count=len(rows), time=format_datetime(now, language)
    )
    filename = f"{services.content.programme.event_key}-registrations.csv"
    await bot.send_document(
        chat_id, InputFile(registrations_csv(rows, language), filename=filename), caption=caption
    )


@organisers_only
async def stats(update: Update, context: BotContext) -> None:
    services, language = context.services, context.language
    summary = await services.registrations.summary()
    title = services.content.programme.event.title.get(language)
    text = context.text(
        "stats.text",
        event=title,
        confirmed_parties=summary.parties(Status.CONFIRMED),
        confirmed=summary.persons(Status.CONFIRMED),
        declined=summary.parties(Status.DECLINED),
        waitlisted_parties=summary.parties(Status.WAITLISTED),
        waitlisted=summary.persons(Status.WAITLISTED),
        not_answered=summary.not_answered,
        seats_left=summary.seats_left,
        capacity=summary.capacity,
    )
    parties, persons = await services.checkin.figures()
    text += "\n" + context.text("checkin.stats", parties=parties, persons=persons)
    text += "\n" + render_summary(services.texts, language, await services.feedback.summary())
    # matplotlib takes half a second to import: loaded on first use, not at every start.
    from bot.registration.charts import confirmations_chart

    # Drawing takes a noticeable fraction of a second: keep it off the event loop.
    chart = await asyncio.to_thread(
        confirmations_chart,
        summary.history,
        summary.capacity,
        language,
        services.texts.template(language, "stats.chart_title"),
        services.clock.now(),
    )
    message = update.effective_message
    assert message is not None
    await message.reply_photo(InputFile(chart, filename="stats.png"), caption=text, do_quote=False)


def _door_and_feedback(
    check_in: CheckinRecord | None, rating: PartnerFeedback | None
) -> tuple[str, str, str, str]:
    """The export's last columns: check-in time (Leipzig time) and persons, stars and comment."""
    return (
        format_export_time(check_in.at) if check_in else "",
        str(check_in.persons) if check_in else "",
        str(rating.stars) if rating else "",
        rating.comment or "" if rating else "",
    )
