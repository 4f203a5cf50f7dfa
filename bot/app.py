"""Composition root: builds the Application, registers every handler, starts and stops services.

Nothing else constructs these pieces; `partnerbot run`, the console and the tests all come here.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.routing import BaseRoute
from telegram import Bot, BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.announcements import callbacks as announcement_callbacks
from bot.checkin import callbacks as checkin_callbacks
from bot.core.clock import Clock, SystemClock
from bot.core.config import Settings
from bot.core.context import SERVICES_KEY, BotContext
from bot.core.conversation_timeouts import restore_timeouts
from bot.core.language import LANGUAGE_PATTERN
from bot.core.pacing import Pace
from bot.core.send_budget import BudgetedRateLimiter, SendBudget
from bot.core.services import EventContent, Services
from bot.core.texts import Texts
from bot.core.update_processor import PerChatUpdateProcessor
from bot.core.visitors import RecentVisitors
from bot.core.web import WebServer, webhook_route
from bot.dashboard.menu import show_menu_buttons
from bot.dashboard.web import dashboard_mount
from bot.outbox.sender import OutboxSender
from bot.privacy import callbacks as privacy_callbacks
from bot.programme.model import LANGUAGES, Programme, load_programme
from bot.questions import callbacks as question_callbacks
from bot.questions.builtin import BUILTIN_TOPICS
from bot.registration import callbacks as registration_callbacks
from bot.reminders import callbacks as reminder_callbacks
from handlers import (
    announcements,
    checkin,
    dashboard,
    dashboard_api,
    fallbacks,
    faq,
    feedback,
    flood,
    language,
    organisers,
    partners,
    privacy,
    programme,
    questions,
    reminders,
    start,
    status,
)
from handlers.errors import on_error
from handlers.registration import conversation, mine, reports
from handlers.users import record_user
from storage.database import Database
from storage.persistence import DatabasePersistence

log = logging.getLogger(__name__)

PartnerApplication = Application[Any, BotContext, Any, Any, Any, Any]
WEB_SERVER_KEY = "web_server"  # bot_data: the dashboard's own server in long-polling mode
Callback = Callable[[Update, BotContext], Awaitable[Any]] | None


@dataclass(frozen=True)
class Command:
    """A command in English and German; the menu shows the names of the user's app language."""

    english: str
    german: str
    description: str  # text key of the menu entry
    callback: Callback  # None: the command starts the RSVP conversation, registered there
    private: bool = False  # personal data: answered only in a private chat

    @property
    def names(self) -> list[str]:
        return sorted({self.english, self.german})


COMMANDS: tuple[Command, ...] = (
    Command("start", "start", "command.start", start.start),
    Command("help", "hilfe", "command.help", start.help_command),
    Command("programme", "programm", "command.programme", programme.programme),
    Command("keynote", "keynote", "command.keynote", programme.keynote),
    Command("venue", "ort", "command.venue", programme.venue),
    Command("rsvp", "anmelden", "command.rsvp", None, private=True),
    Command("myrsvp", "meine_anmeldung", "command.myrsvp", mine.my_rsvp, True),
    Command("cancelrsvp", "absagen", "command.cancelrsvp", mine.ask_cancel, True),
    Command("calendar", "kalender", "command.calendar", mine.calendar, True),
    Command("ticket", "ticket", "command.ticket", checkin.ticket, True),
    Command("reminders", "erinnerungen", "command.reminders", reminders.toggle_menu, True),
    Command("language", "sprache", "command.language", language.choose_language),
    Command("privacy", "datenschutz", "command.privacy", privacy.privacy),
    Command("mydata", "meine_daten", "command.mydata", privacy.my_data, private=True),
    Command("deletemydata", "daten_loeschen", "command.deletemydata", privacy.ask_erase, True),
    Command("cancel", "abbrechen", "command.cancel", conversation.cancel, True),
)
# Not in the partners' menu; registrations are personal data, so private chats only.
ORGANISER_COMMANDS: tuple[Command, ...] = (
    Command("export", "export", "", reports.export, private=True),
    Command("stats", "statistik", "", reports.stats, private=True),
    Command("broadcast", "rundschreiben", "", None, private=True),  # its own conversation
    Command("broadcasts", "rundschreiben_liste", "", announcements.list_broadcasts, private=True),
    Command("reload", "neu_laden", "", programme.reload_command, private=True),
    Command("invite", "einladen", "", partners.invite, private=True),
    Command("invites", "einladungen", "", partners.list_invites, private=True),
    Command("revoke", "widerrufen", "", partners.revoke, private=True),
    Command("edit_organisation", "organisation_aendern", "", partners.edit_organisation, True),
    Command("organisers", "organisatoren", "", organisers.organisers, private=True),
    Command("status", "status", "", status.show_status, private=True),
    Command("checkin", "einlass", "", checkin.checkin_command, private=True),
    Command("faq", "faq", "", None, private=True),  # its own conversation
    Command("dashboard", "uebersicht", "", dashboard.dashboard, private=True),
)
PRIVATE_COMMANDS = frozenset(
    name
    for command in (*COMMANDS, *ORGANISER_COMMANDS)
    if command.private
    for name in command.names
)


def _command_callbacks() -> dict[str, Callable[[Update, BotContext], Awaitable[Any]]]:
    """The commands answers about the bot name, by English name, for the buttons under them;
    no other command can be started with made-up callback data."""
    named = {topic.command for topic in BUILTIN_TOPICS}
    return {
        command.english: command.callback
        for command in COMMANDS
        if command.callback is not None and command.english in named
    }


def build_services(
    settings: Settings,
    *,
    token: str,
    base_url: str | None = None,
    clock: Clock | None = None,
    programme: Programme | None = None,
) -> Services:
    texts = Texts.load()
    programme = programme or load_programme(settings.event.programme_file)
    base_url = base_url or settings.telegram.base_url
    database = Database(settings.database.url)
    clock = clock or SystemClock()
    visitors = RecentVisitors(database)
    services: Services

    async def show_progress(broadcast_id: int) -> None:
        # The announcements feature owns the progress message; `services` is built below.
        await services.announcement_progress.show(bulk_bot, broadcast_id)

    # Bulk messages go through their own Bot and connection pool, paced by the outbox, so
    # interactive replies never queue behind an announcement.
    bulk_bot = Bot(token, base_url=base_url, request=HTTPXRequest(connection_pool_size=8))
    budget = SendBudget(Pace(ceiling=settings.outbox.rate))
    outbox = OutboxSender(
        bulk_bot,
        database,
        clock,
        on_progress=show_progress,
        on_unreachable=visitors.forget,
        budget=budget,
    )
    services = Services(
        settings=settings,
        database=database,
        clock=clock,
        texts=texts,
        content=EventContent.build(programme, texts),
        token=token,
        base_url=base_url,
        outbox=outbox,
        budget=budget,
        visitors=visitors,
        admin_ids=settings.organisers.admin_ids,
    )
    return services


def build_application(services: Services) -> PartnerApplication:
    application = (
        ApplicationBuilder()
        .token(services.token)
        .base_url(services.base_url)
        .base_file_url(_file_url(services.base_url))
        .context_types(ContextTypes(context=BotContext))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .concurrent_updates(PerChatUpdateProcessor())
        .persistence(DatabasePersistence(services.database, now=services.clock.now))
        # Replies share Telegram's overall budget with the outbox (bot/core/send_budget.py); the
        # limiter also keeps to Telegram's group limit and retries after a 429.
        .rate_limiter(BudgetedRateLimiter(services.budget, overall_max_rate=0, max_retries=2))
        .post_init(_start_services)
        .post_stop(_stop_sending)
        .post_shutdown(_stop_services)
        .build()
    )
    application.bot_data[SERVICES_KEY] = services
    _register_handlers(application, services)
    return application


def _file_url(base_url: str) -> str:
    """Telegram serves files from /file/bot<token>/… next to the API's /bot<token>/…."""
    root, bot = base_url.rstrip("/").rsplit("/", 1)
    return f"{root}/file/{bot}"


def _register_handlers(application: PartnerApplication, services: Services) -> None:
    # Group -2 runs first for every update: a user who floods the bot is stopped right here.
    application.add_handler(TypeHandler(Update, flood.limit_flood), group=-2)
    # Group -1 then records the user and picks the language.
    application.add_handler(TypeHandler(Update, record_user), group=-1)

    # Group 0: the first matching handler wins, so specific handlers come before fallbacks.
    # A spreadsheet of partner organisations, captioned /invites, is an import even while
    # an announcement is being drafted.
    application.add_handler(
        MessageHandler(
            filters.ChatType.PRIVATE
            & filters.Document.ALL
            & filters.CaptionRegex(r"^/(invites|einladungen)(@\w+)?\s*$"),
            partners.import_invites,
        )
    )
    # The RSVP conversation comes first: while it runs, typed text is an answer, not a question.
    application.add_handler(conversation.build_conversation(services.conversation_timeout))
    # A registration's button the conversation did not take: it has ended or timed out.
    application.add_handler(
        CallbackQueryHandler(conversation.interrupted, pattern=conversation.RUN.pattern)
    )
    application.add_handler(announcements.build_conversation())
    application.add_handler(faq.build_conversation())
    # While a comment is expected after a star rating, typed text is the comment.
    application.add_handler(feedback.build_conversation(services.conversation_timeout))
    # A scanned ticket (`/start ci_<token>`) before the general /start.
    application.add_handler(
        CommandHandler(
            "start", checkin.scanned, filters.ChatType.PRIVATE & filters.Regex(r"^/start ci_")
        )
    )
    for command in (*COMMANDS, *ORGANISER_COMMANDS):
        if command.callback is not None:
            chats = filters.ChatType.PRIVATE if command.private else filters.ALL
            application.add_handler(CommandHandler(command.names, command.callback, chats))
    callback_handlers: list[tuple[Callable[..., Awaitable[Any]], str]] = [
        (mine.confirm_cancel, registration_callbacks.CANCEL_YES_PATTERN),
        (mine.ask_cancel, registration_callbacks.CANCEL_PATTERN),
        (mine.keep, registration_callbacks.KEEP_PATTERN),
        (reminders.toggled, reminder_callbacks.TOGGLE_PATTERN),
        (privacy.erase_chosen, privacy_callbacks.ERASE_PATTERN),
        (reminders.shortcut, reminder_callbacks.SHORTCUT_PATTERN),
        (announcements.failed_csv, announcement_callbacks.FAILED_CSV_PATTERN),
        (announcements.stop_tapped, announcement_callbacks.STOP_PATTERN),
        (checkin.check_in_tapped, checkin_callbacks.CHECK_IN_PATTERN),
        (checkin.undo_tapped, checkin_callbacks.UNDO_PATTERN),
        (checkin.picked, checkin_callbacks.PICK_PATTERN),
        (language.language_chosen, LANGUAGE_PATTERN),
        (questions.command_tapped(_command_callbacks()), question_callbacks.COMMAND_PATTERN),
        (faq.save_tapped, question_callbacks.SAVE_FAQ_PATTERN),
        (questions.addition_tapped, question_callbacks.ADDITION_PATTERN),
        (faq.unhelpful_tapped, question_callbacks.UNHELPFUL_PATTERN),
        (faq.earlier_tapped, question_callbacks.EARLIER_ENTRY_PATTERN),
    ]
    for callback, pattern in callback_handlers:
        application.add_handler(CallbackQueryHandler(callback, pattern=pattern))
    organiser_chat = services.settings.organisers.chat_id
    if organiser_chat is not None:
        application.add_handler(
            MessageHandler(
                filters.Chat(organiser_chat) & filters.REPLY & ~filters.COMMAND,
                questions.organiser_reply,
            )
        )
    private_in_group = filters.ChatType.GROUPS & filters.Regex(
        rf"^/({'|'.join(sorted(PRIVATE_COMMANDS))})(@\w+)?(\s|$)"
    )
    application.add_handler(MessageHandler(private_in_group, fallbacks.private_only))
    application.add_handler(MessageHandler(filters.COMMAND, fallbacks.unknown_command))
    application.add_handler(MessageHandler(filters.TEXT, questions.answer_question))
    application.add_handler(MessageHandler(~filters.TEXT, fallbacks.not_text))
    application.add_handler(CallbackQueryHandler(fallbacks.stale_button))
    application.add_error_handler(on_error)  # type: ignore[arg-type]


async def prepare_database(services: Services) -> None:
    """Migrate before the Application initialises, because its persistence loads from the tables.

    The pool is emptied afterwards: `partnerbot run` migrates in its own short event loop, and
    connections must not outlive the loop that opened them.
    """
    await services.database.migrate()
    await services.registrations.sync_event()
    await services.database.engine.dispose()


async def _start_services(application: PartnerApplication) -> None:
    services: Services = application.bot_data[SERVICES_KEY]
    await services.visitors.load_choices()
    await services.faq.refresh()  # learned FAQ entries answer from the first update on
    services.start_training()
    await _set_command_menus(application, services)
    # Data past its retention goes before anything is sent or answered.
    await privacy.start_jobs(application)
    await services.outbox.start(sole_sender=True)
    dashboard_settings = services.settings.dashboard
    # In webhook mode the webhook's server serves the dashboard (`serve_webhook`).
    if dashboard_settings.enabled and not services.settings.webhook.enabled:
        server = WebServer(
            build_web_app(application), dashboard_settings.listen, dashboard_settings.port
        )
        await server.start()
        application.bot_data[WEB_SERVER_KEY] = server
    await show_menu_buttons(application.bot, services)
    reminders.start_jobs(application)
    programme.start_jobs(application)
    await restore_timeouts(application, services.clock.now())


async def _stop_sending(application: PartnerApplication) -> None:
    """After the last update: the message in flight finishes, the rest waits in the outbox."""
    services: Services = application.bot_data[SERVICES_KEY]
    server: WebServer | None = application.bot_data.pop(WEB_SERVER_KEY, None)
    if server is not None:
        await server.stop()
    await services.outbox.stop()


async def _stop_services(application: PartnerApplication) -> None:
    services: Services = application.bot_data[SERVICES_KEY]
    await services.stop_training()
    await services.database.close()


async def _set_command_menus(application: PartnerApplication, services: Services) -> None:
    default = services.settings.event.default_language
    for language_code in (*LANGUAGES, None):
        menu_language = language_code or default
        commands = [
            BotCommand(
                command.german if menu_language == "de" else command.english,
                services.texts.get(menu_language, command.description),
            )
            for command in COMMANDS
        ]
        await application.bot.set_my_commands(commands, language_code=language_code)


def build_web_app(
    application: PartnerApplication, *, webhook_secret: str | None = None
) -> Starlette:
    """The bot's web server: Telegram's webhook (with its secret) and the dashboard, as set."""
    services: Services = application.bot_data[SERVICES_KEY]
    routes: list[BaseRoute] = []
    if webhook_secret is not None:
        routes.append(webhook_route(services.settings.webhook.path, application, webhook_secret))
    if services.settings.dashboard.enabled:
        routes.append(dashboard_mount(services.settings.dashboard.path, dashboard_api.ROUTES))
    web = Starlette(routes=routes)
    web.state.services = services
    web.state.bot = application.bot
    return web


async def serve_webhook(application: PartnerApplication, secret: str) -> None:
    """Webhook mode: Telegram POSTs updates to the bot's own web server, which also serves the
    dashboard, until SIGTERM or SIGINT; then the server stops first, the updates in work finish.

    python-telegram-bot's `run_webhook` runs its own server; this one takes its place so that one
    port serves both, and keeps what it does: setWebhook with the secret at start, 403 without it.
    """
    services: Services = application.bot_data[SERVICES_KEY]
    settings = services.settings.webhook
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signal_number, stop.set)
    server = WebServer(
        build_web_app(application, webhook_secret=secret), settings.listen, settings.port
    )
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        await server.start()
        await application.bot.set_webhook(
            settings.url or "", secret_token=secret, allowed_updates=Update.ALL_TYPES
        )
        await stop.wait()
        await server.stop()
        await application.stop()
        if application.post_stop is not None:
            await application.post_stop(application)
    finally:
        await server.stop()
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


@asynccontextmanager
async def running(application: PartnerApplication) -> AsyncIterator[PartnerApplication]:
    """Run with long polling inside an existing event loop (the console and tests).

    `run_polling` owns the loop and calls the post_init hooks itself; here we call them.
    """
    await prepare_database(application.bot_data[SERVICES_KEY])
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(
            poll_interval=0, timeout=10, allowed_updates=Update.ALL_TYPES
        )
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
