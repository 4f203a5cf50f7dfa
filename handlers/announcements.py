"""Organiser announcements.

/broadcast (/rundschreiben), organisers only, in a private chat:

    compose: text, or one photo or document with caption (limits checked at once)
    → optionally the version in the other language (or one version for everyone)
    → preview, exactly as partners will see it → audience, with a count on each button
    → send now / cancel

Nothing is sent before "send now". Sending snapshots the audience into the outbox; the outbox
sender delivers at Telegram's pace and bot/announcements/progress.py keeps the organiser's
progress message up to date. /broadcasts lists recent announcements, with the undelivered
recipients as CSV.
"""

from __future__ import annotations

import warnings
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.announcements import callbacks
from bot.announcements.audiences import Audience
from bot.announcements.rules import Refusal, payload_from_message
from bot.core.context import BotContext
from bot.core.timefmt import format_datetime
from bot.outbox.delivery import send_payload
from bot.programme.model import LANGUAGES, Language
from handlers.guards import organisers_only, refuse_unless_organiser
from handlers.reply import say
from handlers.runs import ConversationRun, keyboard, stale

COMPOSE = "compose"
COMPOSE_OTHER = "compose_other"
AUDIENCE = "audience"
CONFIRM = "confirm"

RUN = ConversationRun(callbacks.RUN_PREFIX, "broadcast")


def _other(language: Language) -> Language:
    return "en" if language == "de" else "de"


def _organiser_id(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


@organisers_only
async def start(update: Update, context: BotContext) -> str | int:
    RUN.begin(context)
    await say(update, context, "broadcast.compose")
    return COMPOSE


async def _read_version(update: Update, context: BotContext) -> dict[str, Any] | None:
    message = update.effective_message
    assert message is not None
    payload = payload_from_message(message)
    if isinstance(payload, Refusal):
        await say(update, context, payload.key, **payload.params)
        return None
    return payload


async def composed(update: Update, context: BotContext) -> str | None:
    payload = await _read_version(update, context)
    if payload is None:
        return None
    draft = RUN.draft(context)
    draft["versions"] = {context.language: payload}
    other = _other(context.language)
    language_name = context.services.texts.template(context.language, f"broadcast.language.{other}")
    markup = keyboard([RUN.button(context, "broadcast.one_version", "one")])
    await say(update, context, "broadcast.compose_other", markup, language=language_name)
    return COMPOSE_OTHER


async def composed_other(update: Update, context: BotContext) -> str | None:
    payload = await _read_version(update, context)
    if payload is None:
        return None
    RUN.draft(context)["versions"][_other(context.language)] = payload
    return await _preview(update, context)


async def _one_version(update: Update, context: BotContext, _: str) -> str:
    return await _preview(update, context)


async def _preview(update: Update, context: BotContext) -> str:
    """Show each version as partners will get it, then ask for the audience."""
    services, draft = context.services, RUN.draft(context)
    chat = update.effective_chat
    assert chat is not None and update.effective_user is not None
    versions: dict[str, Any] = draft["versions"]
    for language, payload in versions.items():
        language_name = services.texts.template(context.language, f"broadcast.language.{language}")
        await say(update, context, "broadcast.preview", language=language_name)
        await send_payload(context.bot, chat.id, payload)
    content = {
        language: versions.get(language) or next(iter(versions.values())) for language in LANGUAGES
    }
    draft["broadcast_id"] = await services.announcements.create_draft(
        update.effective_user.id, content
    )
    return await _ask_audience(update, context)


async def _audience(update: Update, context: BotContext, choice: str) -> str:
    services, draft = context.services, RUN.draft(context)
    audience = Audience(choice.removeprefix("a:"))
    count = (await services.announcements.audience_counts(_organiser_id(update)))[audience]
    if count == 0:
        await say(update, context, "broadcast.empty_audience")
        return await _ask_audience(update, context)
    draft["audience"] = audience.value
    label = services.texts.template(context.language, f"broadcast.audience.{audience.value}")
    markup = keyboard(
        [RUN.button(context, "broadcast.send", "send"), RUN.button(context, "rsvp.abort", "abort")]
    )
    await say(update, context, "broadcast.confirm_question", markup, count=count, audience=label)
    return CONFIRM


async def _ask_audience(update: Update, context: BotContext) -> str:
    counts = await context.services.announcements.audience_counts(_organiser_id(update))
    texts = context.services.texts
    buttons = [
        RUN.button(
            context,
            "broadcast.audience_button",
            f"a:{audience.value}",
            label=texts.template(context.language, f"broadcast.audience.{audience.value}"),
            count=counts[audience],
        )
        for audience in Audience
    ]
    markup = keyboard(buttons[:1], buttons[1:3], buttons[3:5], buttons[5:])
    await say(update, context, "broadcast.audience", markup)
    return AUDIENCE


async def _send(update: Update, context: BotContext, _: str) -> int:
    services, draft = context.services, RUN.draft(context)
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    if not await refuse_unless_organiser(update, context):  # removed while the draft was open
        return await _abort(update, context, "abort")
    audience = Audience(draft["audience"])
    # The question "send now?" becomes the progress report: one message that keeps up to date.
    report = update.callback_query.message if update.callback_query else None
    assert report is not None
    started = await services.announcements.start(
        draft["broadcast_id"], user.id, audience, chat.id, report.message_id
    )
    if started is None:
        await context.bot.edit_message_text(
            context.text("broadcast.already"), chat.id, report.message_id
        )
    else:
        services.outbox.wake()
        await services.announcement_progress.show(context.bot, draft["broadcast_id"])
    RUN.end(context)
    return ConversationHandler.END


async def _abort(update: Update, context: BotContext, _: str) -> int:
    draft = RUN.draft(context)
    user = update.effective_user
    if draft.get("broadcast_id") and user is not None:
        await context.services.announcements.discard(draft["broadcast_id"], user.id)
    await say(update, context, "broadcast.cancelled")
    RUN.end(context)
    return ConversationHandler.END


async def cancel(update: Update, context: BotContext) -> int:
    return await _abort(update, context, "abort")


@organisers_only
async def list_broadcasts(update: Update, context: BotContext) -> None:
    services, language = context.services, context.language
    chat = update.effective_chat
    assert chat is not None
    reports = await services.announcements.recent()
    if not reports:
        await chat.send_message(context.text("broadcast.list_empty"))
        return
    lines = [context.text("broadcast.list_header")]
    buttons = []
    for report in reports:
        counts = report.counts
        lines.append(
            context.text(
                "broadcast.list_item",
                id=report.id,
                time=format_datetime(report.created_at, language),
                audience=services.texts.template(language, f"broadcast.audience.{report.audience}"),
                status=services.texts.template(language, f"broadcast.status.{report.status}"),
                sent=counts.sent,
                total=counts.total,
                unreachable=counts.unreachable,
                failed=counts.failed,
            )
        )
        if counts.failed or counts.unreachable:
            label = context.plain("broadcast.failed_button", id=report.id)
            buttons.append(
                [InlineKeyboardButton(label, callback_data=callbacks.failed_csv(report.id))]
            )
    await chat.send_message(
        "\n".join(lines), reply_markup=InlineKeyboardMarkup(buttons) if buttons else None
    )


@organisers_only
async def failed_csv(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    await query.answer()
    broadcast_id = callbacks.parse_failed_csv(query.data)
    data = await context.services.announcements.failed_csv(broadcast_id, context.language)
    caption = context.text("broadcast.failed_caption", id=broadcast_id)
    await update.effective_chat.send_document(
        InputFile(data, filename=f"broadcast-{broadcast_id}-not-delivered.csv"), caption=caption
    )


def build_conversation() -> ConversationHandler[BotContext]:
    anything = ~filters.COMMAND
    with_buttons = {
        COMPOSE_OTHER: {"one": _one_version},
        AUDIENCE: {"a": _audience},
        CONFIRM: {"send": _send, "abort": _abort},
    }
    states: dict[object, list[Any]] = {
        COMPOSE: [MessageHandler(anything, composed)],
        COMPOSE_OTHER: [
            CallbackQueryHandler(RUN.on_buttons(with_buttons[COMPOSE_OTHER]), pattern=RUN.pattern),
            MessageHandler(anything, composed_other),
        ],
        AUDIENCE: [
            CallbackQueryHandler(RUN.on_buttons(with_buttons[AUDIENCE]), pattern=RUN.pattern)
        ],
        CONFIRM: [CallbackQueryHandler(RUN.on_buttons(with_buttons[CONFIRM]), pattern=RUN.pattern)],
    }
    with warnings.catch_warnings():  # buttons carry the run id; see handlers/runs.py
        warnings.filterwarnings("ignore", message="If 'per_message=False'")
        return ConversationHandler(
            entry_points=[
                CommandHandler(["broadcast", "rundschreiben"], start, filters.ChatType.PRIVATE)
            ],
            states=states,
            fallbacks=[
                CommandHandler(["cancel", "abbrechen"], cancel, filters.ChatType.PRIVATE),
                CallbackQueryHandler(stale, pattern=RUN.pattern),
            ],
            name="broadcast",
            persistent=True,
            allow_reentry=True,
        )
