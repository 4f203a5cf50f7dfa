"""Organiser announcements.

/broadcast (/rundschreiben), organisers only, in a private chat:

    compose: text, or one photo or document with caption (limits checked at once)
    → optionally the version in the other language (or one version for everyone)
    → preview, exactly as partners will see it → audience, with a count on each button
      (optionally first: one or more organisations, whose linked partners it goes to, on
      pages of buttons; then the audience counts only them)
    → send now / cancel

Nothing is sent before "send now". Sending snapshots the audience into the outbox; the outbox
sender delivers at Telegram's pace and bot/announcements/progress.py keeps the organiser's
progress message up to date. /broadcasts lists recent announcements, with the undelivered
recipients as CSV. The progress message carries a button that stops a running announcement
(after a yes), and once it is over one for the undelivered recipients as CSV.
"""

from __future__ import annotations

import warnings
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.announcements import callbacks
from bot.announcements.audiences import Audience, AudienceChoice
from bot.announcements.rules import Refusal, payload_from_message
from bot.announcements.views import audience_label
from bot.core.context import BotContext
from bot.core.services import Services
from bot.core.timefmt import format_datetime
from bot.outbox.delivery import send_payload
from bot.programme.model import LANGUAGES, Language
from handlers.guards import organisers_only, refuse_unless_organiser
from handlers.reply import say
from handlers.runs import ConversationRun, keyboard, stale

COMPOSE = "compose"
COMPOSE_OTHER = "compose_other"
AUDIENCE = "audience"
ORGANISATIONS = "organisations"
CONFIRM = "confirm"
ORGANISATIONS_PER_PAGE = 8

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


def _chosen_organisations(context: BotContext) -> tuple[int, ...]:
    return tuple(RUN.draft(context).get("organisations", ()))


async def _audience(update: Update, context: BotContext, choice: str) -> str:
    services, draft = context.services, RUN.draft(context)
    audience = Audience(choice.removeprefix("a:"))
    chosen = _chosen_organisations(context)
    counts = await services.announcements.audience_counts(_organiser_id(update), chosen)
    count = counts[audience]
    if count == 0:
        await say(update, context, "broadcast.empty_audience")
        return await _ask_audience(update, context)
    draft["audience"] = audience.value
    names = await services.announcements.organisation_names(chosen)
    label = audience_label(services.texts, context.language, audience.value, names)
    markup = keyboard(
        [RUN.button(context, "broadcast.send", "send"), RUN.button(context, "rsvp.abort", "abort")]
    )
    await say(update, context, "broadcast.confirm_question", markup, count=count, audience=label)
    return CONFIRM


async def _ask_audience(update: Update, context: BotContext) -> str:
    announcements, chosen = context.services.announcements, _chosen_organisations(context)
    counts = await announcements.audience_counts(_organiser_id(update), chosen)
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
    # Narrowing to organisations is offered once there are organisations.
    organisations = (
        [RUN.button(context, "broadcast.organisations_button", "orgs")]
        if await announcements.organisations(_organiser_id(update))
        else []
    )
    markup = keyboard(buttons[:1], buttons[1:3], buttons[3:5], buttons[5:], organisations)
    if chosen:
        names = ", ".join(await announcements.organisation_names(chosen))
        await say(update, context, "broadcast.audience_of_organisations", markup, names=names)
    else:
        await say(update, context, "broadcast.audience", markup)
    return AUDIENCE


async def _organisations(update: Update, context: BotContext, choice: str) -> str:
    """Choosing organisations: a tap on one toggles it, the arrows turn the page."""
    draft = RUN.draft(context)
    kind, _, number = choice.partition(":")
    chosen = list(_chosen_organisations(context))
    if kind == "o" and number.isdigit():
        organisation = int(number)
        chosen.remove(organisation) if organisation in chosen else chosen.append(organisation)
        draft["organisations"] = chosen
    elif kind == "p" and number.isdigit():
        draft["organisation_page"] = int(number)
    elif kind == "od":
        return await _ask_audience(update, context)
    return await _show_organisations(update, context, edit=True)


async def _show_organisations(update: Update, context: BotContext, *, edit: bool = False) -> str:
    """One page of organisations as buttons (✓ marks the chosen), pages if there are many."""
    draft, options = (
        RUN.draft(context),
        await context.services.announcements.organisations(_organiser_id(update)),
    )
    if not options:
        await say(update, context, "broadcast.no_organisations")
        return await _ask_audience(update, context)
    pages = (len(options) - 1) // ORGANISATIONS_PER_PAGE + 1
    page = min(draft.get("organisation_page", 0), pages - 1)
    chosen = set(_chosen_organisations(context))
    shown = options[page * ORGANISATIONS_PER_PAGE : (page + 1) * ORGANISATIONS_PER_PAGE]
    rows = [
        [
            RUN.button(
                context,
                "broadcast.organisation_chosen"
                if option.id in chosen
                else "broadcast.organisation",
                f"o:{option.id}",
                name=option.name,
                count=option.partners,
            )
        ]
        for option in shown
    ]
    turn = []
    if page > 0:
        turn.append(RUN.button(context, "broadcast.page_back", f"p:{page - 1}"))
    if page < pages - 1:
        turn.append(RUN.button(context, "broadcast.page_next", f"p:{page + 1}"))
    done = [RUN.button(context, "broadcast.organisations_done", "od", count=len(chosen))]
    markup = keyboard(*rows, turn, done)
    text = context.text("broadcast.choose_organisations", page=page + 1, pages=pages)
    if edit and update.callback_query is not None:  # the same message, with the new choice
        await update.callback_query.edit_message_text(text, reply_markup=markup)
    else:
        await say(
            update, context, "broadcast.choose_organisations", markup, page=page + 1, pages=pages
        )
    return ORGANISATIONS


async def _ask_organisations(update: Update, context: BotContext, _: str) -> str:
    RUN.draft(context)["organisation_page"] = 0
    return await _show_organisations(update, context)


async def _send(update: Update, context: BotContext, _: str) -> int:
    services, draft = context.services, RUN.draft(context)
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    if not await refuse_unless_organiser(update, context):  # removed while the draft was open
        return await _abort(update, context, "abort")
    audience = AudienceChoice(Audience(draft["audience"]), _chosen_organisations(context))
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
                audience=audience_label(
                    services.texts, language, report.audience, report.organisations
                ),
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
    await send_undelivered_csv(
        context.bot, context.services, update.effective_chat.id, context.language, broadcast_id
    )


async def send_undelivered_csv(
    bot: Bot, services: Services, chat_id: int, language: Language, broadcast_id: int
) -> None:
    """Who an announcement did not reach, as CSV into this chat (the chat and the dashboard)."""
    data = await services.announcements.failed_csv(broadcast_id, language)
    await bot.send_document(
        chat_id,
        InputFile(data, filename=f"broadcast-{broadcast_id}-not-delivered.csv"),
        caption=services.texts.get(language, "broadcast.failed_caption", id=broadcast_id),
    )


@organisers_only
async def stop_tapped(update: Update, context: BotContext) -> None:
    """The progress message's stop button asks first; "yes" stops, "no" keeps sending."""
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    await query.answer()
    answer, broadcast_id = callbacks.parse_stop(query.data)
    services = context.services
    if not answer:
        report = await services.announcements.report(broadcast_id)
        if report is None or report.status != "sending":
            await say(update, context, "broadcast.stop_too_late")
            return
        yes = context.plain("broadcast.stop_yes")
        no = context.plain("broadcast.stop_no")
        markup = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(yes, callback_data=callbacks.stop(broadcast_id, "yes"))],
                [InlineKeyboardButton(no, callback_data=callbacks.stop(broadcast_id, "no"))],
            ]
        )
        pending = report.counts.pending
        await say(
            update, context, "broadcast.stop_question", markup, id=broadcast_id, pending=pending
        )
        return
    if answer == "no":
        await query.edit_message_text(context.text("broadcast.stop_kept"))
        return
    stopped = await services.announcements.cancel(broadcast_id)
    key = "broadcast.stop_done" if stopped else "broadcast.stop_too_late"
    await query.edit_message_text(context.text(key))
    await services.announcement_progress.show(context.bot, broadcast_id)


def build_conversation() -> ConversationHandler[BotContext]:
    anything = ~filters.COMMAND
    with_buttons = {
        COMPOSE_OTHER: {"one": _one_version},
        AUDIENCE: {"a": _audience, "orgs": _ask_organisations},
        ORGANISATIONS: {"o": _organisations, "p": _organisations, "od": _organisations},
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
        ORGANISATIONS: [
            CallbackQueryHandler(RUN.on_buttons(with_buttons[ORGANISATIONS]), pattern=RUN.pattern)
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
