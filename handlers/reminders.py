"""Reminders: /reminders for partners, its buttons, and the jobs that queue reminders and feedback.

Jobs only wake the reminder desk at the due moments; the desk decides from the database what is
due, so a job firing twice, late or after a restart changes nothing.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, ContextTypes

from bot.core.context import BotContext
from bot.core.services import Services
from bot.registration.rules import Status
from bot.reminders.callbacks import Shortcut, toggle, toggled_on
from handlers.registration.mine import send_calendar

REMINDER_JOB = "reminder"


async def toggle_menu(update: Update, context: BotContext) -> None:
    """/reminders: show whether reminders are on, with a button to switch."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    enabled = await context.services.reminders.wanted_by(user.id)
    texts, language = context.services.texts, context.language
    key = "reminders.turn_off" if enabled else "reminders.turn_on"
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton(texts.template(language, key), callback_data=toggle(not enabled))]]
    )
    status = "reminders.status_on" if enabled else "reminders.status_off"
    await chat.send_message(context.text(status), reply_markup=markup)


async def toggled(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    enabled = toggled_on(query.data)
    await context.services.reminders.set_wanted(query.from_user.id, enabled)
    await query.answer()
    key = "reminders.now_on" if enabled else "reminders.now_off"
    await query.edit_message_text(context.text(key))


async def shortcut(update: Update, context: BotContext) -> None:
    """The buttons under a reminder: the programme, or the calendar file again."""
    query = update.callback_query
    assert query is not None and query.message is not None
    await query.answer()
    services, language = context.services, context.language
    if query.data == Shortcut.CALENDAR:
        registration = await services.registrations.current(query.from_user.id)
        if registration is not None and registration.status is Status.CONFIRMED:
            await send_calendar(context.bot, services, query.from_user.id, registration)
            return
        await query.message.chat.send_message(context.text("rsvp.calendar_none"))
        return
    text = services.content.views.programme_overview(language, services.clock.now())
    await query.message.chat.send_message(text)


async def _run_due(context: ContextTypes.DEFAULT_TYPE) -> None:
    services: Services = context.bot_data["services"]
    await services.reminders.run_due()
    await services.feedback.run_due()  # the thank-you after the event rides the same wake-ups


def schedule_reminders(application: Application) -> None:  # type: ignore[type-arg]
    """(Re)plan a wake-up for each future reminder, and look once now for overdue ones."""
    job_queue = application.job_queue
    assert job_queue is not None
    services: Services = application.bot_data["services"]
    for job in job_queue.get_jobs_by_name(REMINDER_JOB):
        job.schedule_removal()
    now = services.clock.now()
    for reminder in services.reminders.schedule():
        if reminder.due_at > now:
            delay = (reminder.due_at - now).total_seconds()
            job_queue.run_once(_run_due, when=delay, name=REMINDER_JOB)
    feedback = services.feedback.round()
    if feedback is not None and feedback.due_at > now:
        delay = (feedback.due_at - now).total_seconds()
        job_queue.run_once(_run_due, when=delay, name=REMINDER_JOB)
    job_queue.run_once(_run_due, when=0, name=REMINDER_JOB)


def start_jobs(application: Application) -> None:  # type: ignore[type-arg]
    schedule_reminders(application)
