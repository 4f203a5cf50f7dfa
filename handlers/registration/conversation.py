"""The RSVP conversation.

/rsvp (/anmelden) asks one thing at a time, with buttons wherever a choice fits:

    attending? → name → organisation → persons → dietary (→ note) → accessibility → consent
    → summary: confirm / change a field / cancel

A "no" goes straight to consent and summary and is stored as a decline. Changing a field from
the summary asks just that field and comes back to the summary. When seats run short, the
partner may come with fewer persons or join the waitlist. /cancel (/abbrechen) leaves at any
step; 30 minutes of silence end the conversation. Steps and answers are kept in the database
(`storage.persistence`), each step written before its question is sent, so even after a crash
the partner's answer continues at that question; the timeout, too, is restored at start
(`bot.core.conversation_timeouts`). A tap on the question of a registration that timed out gets a
note with a button that starts again.

Each run of the conversation has an id that its buttons carry: a button of an older run, or of
a finished one, only gets a short note and changes nothing. The user is always the one who
clicked; callback data never names a user.
"""

from __future__ import annotations

import warnings
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.core.context import BotContext
from bot.core.timefmt import format_date, format_datetime
from bot.questions import callbacks as question_callbacks
from bot.registration import callbacks
from bot.registration.rules import (
    MAX_TEXT_LENGTH,
    Dietary,
    PersonsProblem,
    Window,
    clean_text,
    parse_persons,
)
from bot.registration.service import Outcome, RsvpAnswers
from bot.registration.views import answers_of, render_summary
from handlers.questions import answer_if_known
from handlers.registration.mine import announce_result, say_registration_over
from handlers.reply import say
from handlers.runs import ConversationRun, keyboard, stale

ATTENDING = "attending"
NAME = "name"
ORGANISATION = "organisation"
PERSONS = "persons"
DIETARY = "dietary"
DIETARY_NOTE = "dietary_note"
ACCESSIBILITY = "accessibility"
CONSENT = "consent"
SUMMARY = "summary"
CHANGE = "change"
FULL = "full"

RUN = ConversationRun(callbacks.RUN_PREFIX, "rsvp")  # the answers so far live in user_data["rsvp"]
FIELDS = (ATTENDING, NAME, ORGANISATION, PERSONS, DIETARY, ACCESSIBILITY)


def _draft(context: BotContext) -> dict[str, Any]:
    return RUN.draft(context)


def _button(
    context: BotContext, label_key: str, choice: str, **params: object
) -> InlineKeyboardButton:
    return RUN.button(context, label_key, choice, **params)


def _max_persons(context: BotContext) -> int:
    """The event's limit per registration, or less if the organisation's quota is nearly used."""
    maximum = context.services.content.programme.event.max_persons_per_rsvp
    quota = _draft(context).get("quota")
    return maximum if quota is None else max(1, min(maximum, quota))


def _answers(context: BotContext) -> RsvpAnswers:
    draft = _draft(context)
    return RsvpAnswers(
        attending=draft.get("attending", True),
        name=draft.get("name", ""),
        organisation=draft.get("organisation"),
        persons=draft.get("persons", 1),
        dietary=Dietary(draft["dietary"]) if draft.get("dietary") else None,
        dietary_note=draft.get("dietary_note"),
        accessibility=draft.get("accessibility"),
        language=context.language,
        waitlist_ok=draft.get("waitlist_ok", False),
    )


async def ask(update: Update, context: BotContext, step: str) -> str:
    """Put the question of `step`, with its buttons; returns the step as the new state.

    The step and the answers so far are in the database before the question leaves, so after a
    crash the partner's answer to it still finds the conversation there.
    """
    services, language = context.services, context.language
    texts, programme = services.texts, services.content.programme
    user = update.effective_user
    assert user is not None
    markup: InlineKeyboardMarkup | None = None
    if step == ATTENDING:
        date = format_date(programme.event.starts_at, language)
        markup = keyboard([_button(context, "rsvp.yes", "yes"), _button(context, "rsvp.no", "no")])
        text = context.text(
            "rsvp.ask_attending", event=programme.event.title.get(language), date=date
        )
    elif step == NAME:
        name = user.full_name[:MAX_TEXT_LENGTH]
        markup = keyboard([_button(context, "rsvp.use_name", "tgname", name=name)])
        text = context.text("rsvp.ask_name")
    elif step == ORGANISATION:
        invited = _draft(context).get("invited_organisation")
        if invited:  # the invite says which organisation; no need to ask
            _draft(context)["organisation"] = invited
            return await _next(update, context, ORGANISATION)
        remembered = await services.registrations.remembered_organisation(user.id)
        _draft(context)["remembered"] = remembered
        buttons = (
            [_button(context, "rsvp.use_organisation", "org", organisation=remembered)]
            if remembered
            else []
        )
        markup = keyboard(buttons, [_button(context, "rsvp.no_organisation", "noorg")])
        text = context.text("rsvp.ask_organisation")
    elif step == PERSONS:
        maximum = _max_persons(context)
        buttons = [RUN.raw_button(context, str(n), f"p:{n}") for n in range(1, maximum + 1)]
        markup = keyboard(buttons[:5], buttons[5:])
        text = context.text("rsvp.ask_persons", maximum=maximum)
    elif step == DIETARY:
        choices = [
            _button(context, f"rsvp.dietary.{option.value}", f"d:{option.value}")
            for option in Dietary
        ]
        markup = keyboard(choices[:2], choices[2:])
        text = context.text("rsvp.ask_dietary")
    elif step == DIETARY_NOTE:
        text = context.text("rsvp.ask_dietary_note")
    elif step == ACCESSIBILITY:
        markup = keyboard([_button(context, "rsvp.accessibility.none", "anone")])
        text = context.text("rsvp.ask_accessibility")
    elif step == CONSENT:
        markup = keyboard(
            [
                _button(context, "rsvp.consent.yes", "cyes"),
                _button(context, "rsvp.consent.no", "cno"),
            ]
        )
        text = context.text("rsvp.ask_consent")
    elif step == SUMMARY:
        markup = keyboard(
            [_button(context, "rsvp.confirm", "confirm")],
            [_button(context, "rsvp.change", "change"), _button(context, "rsvp.abort", "abort")],
        )
        text = render_summary(texts, language, _answers(context))
    else:
        assert step == CHANGE, step
        fixed = {ORGANISATION} if _draft(context).get("invited_organisation") else set()
        fields = [
            _button(context, f"rsvp.field.{field}", f"f:{field}")
            for field in FIELDS
            if field not in fixed
        ]
        markup = keyboard(fields[:3], fields[3:])
        text = context.text("rsvp.change_what")
    message = update.effective_message
    assert message is not None
    async with RUN.checkpoint(update, context, step):
        await message.chat.send_message(text, reply_markup=markup)
    return step


async def _next(update: Update, context: BotContext, after: str) -> str:
    """The step after `after`: back to the summary when changing one field, else onwards."""
    draft = _draft(context)
    if after == ATTENDING and not draft.get("attending", True):
        return await ask(update, context, SUMMARY if draft.get("consent") else CONSENT)
    if after == DIETARY and draft.get("dietary") == Dietary.OTHER and not draft.get("dietary_note"):
        return await ask(update, context, DIETARY_NOTE)
    if draft.get("consent"):
        return await ask(update, context, SUMMARY)
    order = (ATTENDING, NAME, ORGANISATION, PERSONS, DIETARY, ACCESSIBILITY, CONSENT)
    following = order[order.index(after) + 1] if after in order else ACCESSIBILITY
    return await ask(update, context, following)


# ---------------------------------------------------------------- entry, exit


async def start(update: Update, context: BotContext) -> str | int:
    services = context.services
    user = update.effective_user
    assert user is not None
    window = services.registrations.window()
    existing = await services.registrations.current(user.id)
    if update.callback_query is not None:
        await update.callback_query.answer()
    if window is Window.OVER:
        async with _ending(update, context):
            await say_registration_over(update, context)
        return ConversationHandler.END
    active = existing is not None and existing.status.value in ("confirmed", "waitlisted")
    if window is Window.CHANGES_ONLY and not active:
        deadline = format_datetime(services.content.programme.event.rsvp_deadline, context.language)
        return await _end_with(update, context, "rsvp.closed", date=deadline)
    event_key = services.event.event_key
    organisation = await services.partners.organisation_of(user.id, event_key)
    if organisation is None and services.settings.event.access == "invite" and not active:
        return await _end_with(update, context, "invite.required")
    quota = organisation.places_left if organisation is not None else None
    if quota == 0 and not active:
        assert organisation is not None
        return await _end_with(
            update,
            context,
            "invite.quota_full",
            organisation=organisation.name,
            allowed=organisation.persons_allowed,
        )
    RUN.begin(context)
    _draft(context).update(
        invited_organisation=organisation.name if organisation else None, quota=quota
    )
    if existing is not None and active:
        answers = answers_of(existing)
        _draft(context).update(
            attending=answers.attending, name=answers.name, organisation=answers.organisation,
            persons=answers.persons, dietary=answers.dietary.value if answers.dietary else None,
            dietary_note=answers.dietary_note, accessibility=answers.accessibility, consent=True,
        )  # fmt: skip
        return await ask(update, context, SUMMARY)
    return await ask(update, context, ATTENDING)


def _ending(update: Update, context: BotContext) -> AbstractAsyncContextManager[None]:
    """Ends the run; the end is in the database before the closing message in the block goes."""
    RUN.end(context)
    return RUN.checkpoint(update, context, None)


async def _end_with(update: Update, context: BotContext, key: str, **params: object) -> int:
    async with _ending(update, context):
        await say(update, context, key, **params)
    return ConversationHandler.END


async def cancel(update: Update, context: BotContext) -> int:
    return await _end_with(update, context, "rsvp.aborted")


async def timed_out(update: Update, context: BotContext) -> None:
    """The note after 30 minutes of silence; its run is remembered as interrupted, so a later
    tap on its question offers to start again (`interrupted`)."""
    RUN.interrupt(context)
    async with RUN.checkpoint(update, context, None):
        if update.effective_chat is not None:
            text = context.text("rsvp.timeout")
            await context.bot.send_message(update.effective_chat.id, text)


async def interrupted(update: Update, context: BotContext) -> None:
    """A button of the partner's latest registration that the bot no longer has (it timed out,
    perhaps while the bot was down): say how to go on, with a button that starts again. An
    older button, or someone else's, only gets the note."""
    query = update.callback_query
    assert query is not None
    if not RUN.was_interrupted(update, context):
        await stale(update, context)
        return
    await query.answer()
    await query.edit_message_reply_markup(None)  # that question is over; the new button leads on
    label = context.plain("rsvp.start_again")
    markup = keyboard([InlineKeyboardButton(label, callback_data=callbacks.START_AGAIN)])
    await say(update, context, "rsvp.interrupted", markup)


# ---------------------------------------------------------------- answers


async def _attending(update: Update, context: BotContext, choice: str) -> str:
    _draft(context)["attending"] = choice == "yes"
    if choice == "no":
        _draft(context).setdefault(
            "name",
            (update.effective_user.full_name if update.effective_user else "")[:MAX_TEXT_LENGTH],
        )
    return await _next(update, context, ATTENDING)


async def _telegram_name(update: Update, context: BotContext, _: str) -> str:
    assert update.effective_user is not None
    _draft(context)["name"] = update.effective_user.full_name[:MAX_TEXT_LENGTH]
    return await _next(update, context, NAME)


async def _organisation(update: Update, context: BotContext, choice: str) -> str:
    draft = _draft(context)
    draft["organisation"] = draft.get("remembered") if choice == "org" else None
    return await _next(update, context, ORGANISATION)


async def _persons(update: Update, context: BotContext, choice: str) -> str:
    maximum = _max_persons(context)
    parsed = parse_persons(choice.removeprefix("p:"), maximum)
    if isinstance(parsed, PersonsProblem):
        return await ask(update, context, PERSONS)
    _draft(context)["persons"] = parsed
    return await _next(update, context, PERSONS)


async def _dietary(update: Update, context: BotContext, choice: str) -> str:
    draft = _draft(context)
    draft["dietary"] = Dietary(choice.removeprefix("d:")).value
    draft["dietary_note"] = None
    return await _next(update, context, DIETARY)


async def _no_accessibility_needs(update: Update, context: BotContext, _: str) -> str:
    _draft(context)["accessibility"] = None
    return await _next(update, context, ACCESSIBILITY)


async def _consent(update: Update, context: BotContext, choice: str) -> str | int:
    if choice == "cno":
        return await _end_with(update, context, "rsvp.no_consent")
    _draft(context)["consent"] = True
    return await ask(update, context, SUMMARY)


async def _change(update: Update, context: BotContext, _: str) -> str:
    return await ask(update, context, CHANGE)


async def _change_field(update: Update, context: BotContext, choice: str) -> str:
    field = choice.removeprefix("f:")
    return await ask(update, context, field if field in FIELDS else SUMMARY)


async def _abort(update: Update, context: BotContext, _: str) -> int:
    return await cancel(update, context)


async def _confirm(update: Update, context: BotContext, _: str) -> str | int:
    user = update.effective_user
    assert user is not None
    result = await context.services.registrations.submit(user.id, _answers(context))
    if result.outcome is Outcome.FULL:
        return await _offer_alternatives(
            update, context, result.seats_left, result.registration is not None
        )
    async with _ending(update, context):
        await announce_result(update, context, result)
    return ConversationHandler.END


async def _offer_alternatives(
    update: Update, context: BotContext, seats: int, registered: bool
) -> str | int:
    draft = _draft(context)
    if registered:  # a confirmed partner asked for more seats: keep what they have
        persons = draft.get("persons")
        return await _end_with(update, context, "rsvp.full_change", persons=persons, seats=seats)
    fewer = [_button(context, "rsvp.take_fewer", "fewer", seats=seats)] if seats > 0 else []
    markup = keyboard(
        fewer,
        [_button(context, "rsvp.join_waitlist", "waitlist")],
        [_button(context, "rsvp.abort", "abort")],
    )
    draft["seats_offered"] = seats
    async with RUN.checkpoint(update, context, FULL):
        await say(
            update, context, "rsvp.full" if seats > 0 else "rsvp.full_none", markup, seats=seats
        )
    return FULL


async def _fewer(update: Update, context: BotContext, _: str) -> str | int:
    draft = _draft(context)
    draft["persons"] = draft.get("seats_offered", 1)
    return await _confirm(update, context, "confirm")


async def _waitlist(update: Update, context: BotContext, _: str) -> str | int:
    _draft(context)["waitlist_ok"] = True
    return await _confirm(update, context, "confirm")


_BUTTONS: dict[str, dict[str, Any]] = {
    ATTENDING: {"yes": _attending, "no": _attending},
    NAME: {"tgname": _telegram_name},
    ORGANISATION: {"org": _organisation, "noorg": _organisation},
    PERSONS: {"p": _persons},
    DIETARY: {"d": _dietary},
    ACCESSIBILITY: {"anone": _no_accessibility_needs},
    CONSENT: {"cyes": _consent, "cno": _consent},
    SUMMARY: {"confirm": _confirm, "change": _change, "abort": _abort},
    CHANGE: {"f": _change_field},
    FULL: {"fewer": _fewer, "waitlist": _waitlist, "abort": _abort},
}


# ---------------------------------------------------------------- typed answers


async def _typed_text(update: Update, context: BotContext, step: str, key: str) -> str | None:
    """Free text for `step`, or None after telling the partner it is too long."""
    message = update.effective_message
    assert message is not None and message.text is not None
    text = clean_text(message.text)
    if text is None:
        await say(update, context, "rsvp.too_long", limit=MAX_TEXT_LENGTH)
        return None
    _draft(context)[key] = text
    return text


async def typed_name(update: Update, context: BotContext) -> str | None:
    if await _typed_text(update, context, NAME, "name") is None:
        return None
    return await _next(update, context, NAME)


async def typed_organisation(update: Update, context: BotContext) -> str | None:
    if await _typed_text(update, context, ORGANISATION, "organisation") is None:
        return None
    return await _next(update, context, ORGANISATION)


async def typed_dietary_note(update: Update, context: BotContext) -> str | None:
    if await _typed_text(update, context, DIETARY_NOTE, "dietary_note") is None:
        return None
    _draft(context)["dietary"] = Dietary.OTHER.value
    return await _next(update, context, DIETARY_NOTE)


async def typed_accessibility(update: Update, context: BotContext) -> str | None:
    if await _typed_text(update, context, ACCESSIBILITY, "accessibility") is None:
        return None
    return await _next(update, context, ACCESSIBILITY)


async def typed_persons(update: Update, context: BotContext) -> str | None:
    message = update.effective_message
    assert message is not None and message.text is not None
    maximum = _max_persons(context)
    parsed = parse_persons(message.text, maximum)
    if isinstance(parsed, PersonsProblem):
        await say(update, context, f"rsvp.persons.{parsed.value}", maximum=maximum)
        return None
    _draft(context)["persons"] = parsed
    return await _next(update, context, PERSONS)


async def use_buttons(update: Update, context: BotContext) -> None:
    """Text where a button is expected: point at the buttons instead of guessing."""
    await say(update, context, "rsvp.use_buttons")


def answer_or_use_buttons(step: str) -> Callable[[Update, BotContext], Awaitable[str | None]]:
    """Text where a button is expected: a question the bot knows the answer to ("Where is the
    venue?") is answered and the pending question asked again; anything else as in
    `use_buttons`. The answer has no button, so the registration stays the one thing going on."""

    async def answered(update: Update, context: BotContext) -> str | None:
        message = update.effective_message
        assert message is not None and message.text is not None
        if await answer_if_known(message, context, message.text, buttons=False):
            return await ask(update, context, step)
        await use_buttons(update, context)
        return None

    return answered


# ---------------------------------------------------------------- wiring


def build_conversation(timeout_seconds: float) -> ConversationHandler[BotContext]:
    """The conversation handler; registered before the question handler so answers reach it."""
    text = filters.TEXT & ~filters.COMMAND
    typed = {
        NAME: typed_name,
        ORGANISATION: typed_organisation,
        PERSONS: typed_persons,
        DIETARY_NOTE: typed_dietary_note,
        ACCESSIBILITY: typed_accessibility,
    }
    states: dict[object, list[Any]] = {
        state: [
            CallbackQueryHandler(RUN.on_buttons(_BUTTONS[state]), pattern=RUN.pattern),
            MessageHandler(text, typed.get(state) or _text_at_buttons(state)),
        ]
        for state in _BUTTONS
    }
    states[DIETARY_NOTE] = [MessageHandler(text, typed_dietary_note)]
    states[ConversationHandler.TIMEOUT] = [TypeHandler(Update, timed_out)]
    with warnings.catch_warnings():
        # PTB warns that buttons are tracked per chat and user, not per message. That is the
        # intent: the run id in each button's data tells old messages apart.
        warnings.filterwarnings("ignore", message="If 'per_message=False'")
        return _conversation(states, timeout_seconds)


def _text_at_buttons(state: str) -> Callable[[Update, BotContext], Awaitable[str | None]]:
    # The seats offer is no question `ask` can put again.
    return answer_or_use_buttons(state) if state != FULL else use_buttons


def _conversation(
    states: dict[object, list[Any]], timeout_seconds: float
) -> ConversationHandler[BotContext]:
    return ConversationHandler(
        entry_points=[
            CommandHandler(["rsvp", "anmelden"], start, filters.ChatType.PRIVATE),
            CallbackQueryHandler(start, pattern=callbacks.START_PATTERN),
            CallbackQueryHandler(start, pattern=question_callbacks.RSVP_PATTERN),
        ],
        states=states,
        fallbacks=[
            CommandHandler(["cancel", "abbrechen"], cancel, filters.ChatType.PRIVATE),
            CallbackQueryHandler(stale, pattern=RUN.pattern),
        ],
        name="rsvp",
        persistent=True,
        conversation_timeout=timeout_seconds,
        allow_reentry=True,
    )
