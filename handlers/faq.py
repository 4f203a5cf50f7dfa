"""Learned FAQ entries: the organisers' answers the bot reuses.

Saving, from the organisers' group, by the organiser who taps "Save as FAQ" under a delivery
confirmation; the draft goes to their private chat with the bot:

    the wording it will store (the partner's question), the answer, a close existing entry
    → save as a new entry / add the wording to the close entry / correct the wording / cancel
    → optionally the answer in the other language → optionally more wordings → done

/faq (organisers, private chat): the list with how often each entry was used and did not help
→ an entry: change an answer, add a wording, delete; `/faq export` sends the entries as YAML
for the programme file. Entries of an earlier event come with "carry over" and "drop".

Partners get a learned answer with a quiet line that the organisers gave it and a "Doesn't
help" button, which relays their question after all.
"""

from __future__ import annotations

import warnings
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.core.context import BotContext
from bot.core.services import Services
from bot.programme.model import Language
from bot.questions import callbacks
from bot.questions.faq import clean_wording, similar_topic
from bot.questions.faq_service import Draft
from bot.questions.faq_views import (
    earlier_offer,
    entry_card,
    language_name,
    learned_answer,
    listing,
    other_language,
    review,
    short,
    topic_title,
)
from bot.questions.relay import relay_question
from handlers.guards import organisers_only
from handlers.reply import reply_html, say
from handlers.runs import ConversationRun, keyboard, stale

REVIEW = "review"
WORDING = "wording"
OTHER_ANSWER = "other_answer"
WORDINGS = "wordings"
BROWSE = "browse"
ANSWER = "answer"

RUN = ConversationRun(callbacks.FAQ_RUN_PREFIX, "faq")


def _user_id(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


def _text(update: Update) -> tuple[str, str]:
    """The message's plain text and its HTML (the formatting an organiser gave it)."""
    message = update.effective_message
    assert message is not None and message.text is not None
    return message.text, message.text_html


def _language_of(context: BotContext, code: str) -> str:
    return language_name(context.services.texts, context.language, code)  # type: ignore[arg-type]


# ------------------------------------------------------------------ saving from the group


async def save_tapped(update: Update, context: BotContext) -> None:
    """ "Save as FAQ" in the organisers' group: the draft goes to the organiser's private chat."""
    query, services = update.callback_query, context.services
    assert query is not None
    user_id = _user_id(update)
    if not await services.organisers.is_organiser(user_id):
        await query.answer(context.plain("organiser.only"), show_alert=True)
        return
    relay_id = callbacks.parse_id(query.data, callbacks.SAVE_FAQ_PREFIX)
    draft = await services.faq.draft(relay_id) if relay_id is not None else None
    if draft is None:
        await query.answer(context.plain("faq.not_savable"), show_alert=True)
        return
    run = RUN.begin(context)
    run.update(
        relay_id=draft.relay_id,
        question=draft.question,
        answer=draft.answer_html,
        language=draft.language,
        wording=clean_wording(draft.question),
    )
    try:
        await _send_review(context.bot, context, user_id)
    except (Forbidden, BadRequest):  # the organiser never opened a private chat with the bot
        RUN.end(context)
        await query.answer(context.plain("faq.open_private"), show_alert=True)
        return
    await query.answer(context.plain("faq.draft_sent"))


def _draft(context: BotContext) -> Draft:
    run = RUN.draft(context)
    return Draft(run["relay_id"], run["question"], run["answer"], run["language"])


async def _send_review(bot: Bot, context: BotContext, chat_id: int) -> None:
    """The wording and answer to store, and a close existing entry to add the wording to."""
    services, run = context.services, RUN.draft(context)
    content, language = services.content, context.language
    similar = similar_topic(content.answerer, content.programme, content.learned, run["wording"])
    run["similar"] = similar
    title = topic_title(similar, content.programme, content.learned, language) if similar else None
    buttons = [RUN.button(context, "faq.button.save", "new")]
    if similar is not None and title is not None:
        label = context.plain("faq.button.add_to", topic=short(title))
        buttons.append(RUN.raw_button(context, label, f"add:{similar}"))
    buttons += [
        RUN.button(context, "faq.button.fix", "fix"),
        RUN.button(context, "faq.button.cancel", "cancel"),
    ]
    text = review(services.texts, language, _draft(context), run["wording"], title)
    await bot.send_message(chat_id, text, reply_markup=keyboard(*([b] for b in buttons)))


async def _save_new(update: Update, context: BotContext, _: str) -> str | int:
    run = RUN.draft(context)
    entry_id = await context.services.faq.save(_draft(context), run["wording"], by=_user_id(update))
    if entry_id is None:
        await say(update, context, "faq.not_savable")
        return _end(context)
    run["entry_id"] = entry_id
    await say(
        update, context, "faq.saved", id=entry_id, language=_language_of(context, run["language"])
    )
    other = _language_of(context, other_language(run["language"]))
    markup = keyboard([RUN.button(context, "faq.button.skip", "skip")])
    await say(update, context, "faq.ask_other", markup, other=other)
    return OTHER_ANSWER


async def _add_to_similar(update: Update, context: BotContext, choice: str) -> str | int:
    run, services = RUN.draft(context), context.services
    topic = choice.removeprefix("add:")
    if topic != run.get("similar"):
        await stale(update, context)
        return REVIEW
    linked = run["relay_id"] if run["wording"] == clean_wording(run["question"]) else None
    added = await services.faq.add_wording(
        topic, run["wording"], run["language"], by=_user_id(update), relay_id=linked
    )
    if not added:
        await say(update, context, "faq.gone")
        return _end(context)
    content = services.content
    title = topic_title(topic, content.programme, content.learned, context.language)
    await say(update, context, "faq.added_to", topic=title)
    return _end(context)


async def _fix(update: Update, context: BotContext, _: str) -> str:
    await say(update, context, "faq.ask_wording")
    return WORDING


async def wording_corrected(update: Update, context: BotContext) -> str:
    text, _ = _text(update)
    RUN.draft(context)["wording"] = clean_wording(text)
    chat = update.effective_chat
    assert chat is not None
    await _send_review(context.bot, context, chat.id)
    return REVIEW


async def _cancel(update: Update, context: BotContext, _: str) -> int:
    await say(update, context, "faq.cancelled")
    return _end(context)


async def other_answer_sent(update: Update, context: BotContext) -> str | int:
    run = RUN.draft(context)
    language: Language = other_language(run["language"])
    _, answer = _text(update)
    if not await context.services.faq.set_answer(
        run["entry_id"], language, answer, by=_user_id(update)
    ):
        await say(update, context, "faq.gone")
        return _end(context)
    await say(update, context, "faq.answer_saved", language=_language_of(context, language))
    return await _ask_wordings(update, context, "skip")


async def _ask_wordings(update: Update, context: BotContext, _: str) -> str:
    markup = keyboard([RUN.button(context, "faq.button.done", "done")])
    await say(update, context, "faq.ask_wordings", markup)
    return WORDINGS


async def wording_added(update: Update, context: BotContext) -> str | int:
    run = RUN.draft(context)
    text, _ = _text(update)
    wording = clean_wording(text)
    if not await context.services.faq.add_wording(
        f"learned:{run['entry_id']}", wording, run["language"], by=_user_id(update)
    ):
        await say(update, context, "faq.gone")
        return _end(context)
    markup = keyboard([RUN.button(context, "faq.button.done", "done")])
    await say(update, context, "faq.wording_added", markup, wording=wording)
    return WORDINGS


async def _done(update: Update, context: BotContext, _: str) -> int:
    await say(update, context, "faq.finished", id=RUN.draft(context)["entry_id"])
    return _end(context)


def _end(context: BotContext) -> int:
    RUN.end(context)
    return ConversationHandler.END


# ------------------------------------------------------------------ /faq


@organisers_only
async def faq_command(update: Update, context: BotContext) -> str | int:
    """/faq: the learned entries; `/faq export`: them as YAML for the programme file."""
    if [arg.lower() for arg in context.args or []][:1] == ["export"]:
        await _export(update, context)
        return ConversationHandler.END
    RUN.begin(context)
    return await _list(update, context, "list")


async def _export(update: Update, context: BotContext) -> None:
    chat = update.effective_chat
    assert chat is not None
    if not context.services.content.learned:
        await say(update, context, "faq.export_empty")
        return
    data = await context.services.faq.export()
    event_key = context.services.content.programme.event_key
    await chat.send_document(
        InputFile(data, filename=f"{event_key}-learned-faq.yaml"),
        caption=context.text("faq.export_caption"),
    )


async def _list(update: Update, context: BotContext, _: str) -> str:
    services, language = context.services, context.language
    event_key = services.content.programme.event_key
    reports = await services.faq.reports()
    current = [r for r in reports if r.entry.event_key == event_key]
    earlier = [r for r in reports if r.entry.event_key != event_key]
    buttons = [
        [
            RUN.raw_button(
                context, _show_label(context, r.entry.id, r.entry.title), f"show:{r.entry.id}"
            )
        ]
        for r in current
    ]
    await say_html(update, listing(services.texts, language, current), keyboard(*buttons))
    if earlier:
        text, markup = earlier_offer(services.texts, language, earlier)
        await say_html(update, text, markup)
    return BROWSE


def _show_label(context: BotContext, entry_id: int, title: str) -> str:
    return context.plain("faq.button.show", id=entry_id, title=short(title))


async def say_html(update: Update, text: str, markup: InlineKeyboardMarkup | None) -> None:
    message = update.effective_message
    assert message is not None
    await reply_html(message, text, markup if markup and markup.inline_keyboard else None)


def _entry_id(choice: str) -> int:
    return int(choice.split(":")[1])


async def _show(update: Update, context: BotContext, choice: str) -> str:
    services, entry_id = context.services, _entry_id(choice)
    report = await services.faq.report(entry_id)
    if report is None:
        await say(update, context, "faq.gone")
        return BROWSE
    buttons = [
        [
            RUN.button(
                context,
                "faq.button.edit_answer",
                f"answer:{entry_id}:{code}",
                language=_language_of(context, code),
            )
        ]
        for code in ("de", "en")
    ]
    buttons += [
        [RUN.button(context, "faq.button.add_wording", f"word:{entry_id}")],
        [
            RUN.button(context, "faq.button.delete", f"delete:{entry_id}"),
            RUN.button(context, "faq.button.back", "list"),
        ],
    ]
    card = entry_card(services.texts, context.language, report)
    await say_html(update, card, keyboard(*buttons))
    return BROWSE


async def _ask_answer(update: Update, context: BotContext, choice: str) -> str:
    _, entry_id, code = choice.split(":")
    run = RUN.draft(context)
    run["entry_id"], run["edit_language"] = int(entry_id), code
    await say(update, context, "faq.ask_answer", language=_language_of(context, code))
    return ANSWER


async def answer_edited(update: Update, context: BotContext) -> str:
    run = RUN.draft(context)
    _, answer = _text(update)
    language = run["edit_language"]
    if not await context.services.faq.set_answer(
        run["entry_id"], language, answer, by=_user_id(update)
    ):
        await say(update, context, "faq.gone")
        return BROWSE
    await say(update, context, "faq.answer_saved", language=_language_of(context, language))
    return await _show(update, context, f"show:{run['entry_id']}")


async def _ask_wording(update: Update, context: BotContext, choice: str) -> str:
    run, entry_id = RUN.draft(context), _entry_id(choice)
    entry = context.services.content.learned.get(entry_id)
    run["entry_id"] = entry_id
    run["language"] = entry.language if entry else context.language
    await say(update, context, "faq.ask_new_wording")
    return WORDINGS


async def _ask_delete(update: Update, context: BotContext, choice: str) -> str:
    entry_id = _entry_id(choice)
    entry = context.services.content.learned.get(entry_id)
    if entry is None:
        await say(update, context, "faq.gone")
        return BROWSE
    markup = keyboard(
        [
            RUN.button(context, "faq.button.delete_yes", f"erase:{entry_id}"),
            RUN.button(context, "faq.button.keep", f"show:{entry_id}"),
        ]
    )
    await say(update, context, "faq.delete_question", markup, id=entry_id, title=entry.title)
    return BROWSE


async def _delete(update: Update, context: BotContext, choice: str) -> str:
    entry_id = _entry_id(choice)
    deleted = await context.services.faq.delete(entry_id)
    await say(update, context, "faq.deleted" if deleted else "faq.gone", id=entry_id)
    return BROWSE


async def text_only(update: Update, context: BotContext) -> None:
    await say(update, context, "faq.text_only")


async def cancel(update: Update, context: BotContext) -> int:
    await say(update, context, "faq.cancelled")
    return _end(context)


# ------------------------------------------------------------------ entries of earlier events


async def offer_earlier(bot: Bot, services: Services, chat_id: int) -> None:
    """After the programme switched to another event: carry each learned entry over or drop it."""
    event_key = services.content.programme.event_key
    earlier = [r for r in await services.faq.reports() if r.entry.event_key != event_key]
    if not earlier:
        return
    language = services.settings.event.default_language
    text, markup = earlier_offer(services.texts, language, earlier)
    await bot.send_message(chat_id, text, reply_markup=markup)


async def earlier_tapped(update: Update, context: BotContext) -> None:
    """ "Carry over" or "drop" under an entry of an earlier event; organisers only."""
    query, services = update.callback_query, context.services
    assert query is not None and query.message is not None
    if not await services.organisers.is_organiser(_user_id(update)):
        await query.answer(context.plain("organiser.only"), show_alert=True)
        return
    carry = callbacks.parse_id(query.data, callbacks.CARRY_PREFIX)
    entry_id = carry if carry is not None else callbacks.parse_id(query.data, callbacks.DROP_PREFIX)
    assert entry_id is not None  # the pattern admits nothing else
    done = await (services.faq.carry_over(entry_id) if carry else services.faq.delete(entry_id))
    key = "faq.carried" if carry else "faq.dropped"
    await query.answer(context.plain(key, id=entry_id) if done else context.plain("faq.gone"))
    # The entry's row of buttons goes; the others stay for the rest.
    markup = query.message.reply_markup if isinstance(query.message, Message) else None
    rows = [
        row
        for row in (markup.inline_keyboard if markup else ())
        if not any(str(button.callback_data).endswith(f":{entry_id}") for button in row)
    ]
    await query.edit_message_reply_markup(InlineKeyboardMarkup(rows) if rows else None)


# ------------------------------------------------------------------ partners


async def answer_learned(
    message: Message, context: BotContext, entry_id: int, question: str, *, buttons: bool
) -> bool:
    """Answer from a learned entry; False when it has no answer in the partner's language, so
    the question is relayed: no one gets an answer in a language they did not choose."""
    services, language = context.services, context.language
    entry = services.content.learned.get(entry_id)
    if entry is None or entry.answer(language) is None or message.from_user is None:
        return False
    answer_id = await services.faq.answered(message.from_user.id, entry_id, question)
    private = message.chat.type == ChatType.PRIVATE
    text, markup = learned_answer(
        services.texts, language, entry, answer_id if private and buttons else None
    )
    await reply_html(message, text, markup)
    return True


async def unhelpful_tapped(update: Update, context: BotContext) -> None:
    """ "Doesn't help": counted for the organisers, and the question is relayed after all."""
    query, user, services = update.callback_query, update.effective_user, context.services
    assert query is not None and user is not None
    answer_id = callbacks.parse_id(query.data, callbacks.UNHELPFUL_PREFIX)
    question = await services.faq.unhelpful(answer_id, user.id) if answer_id else None
    if question is None:  # someone else's, already tapped, or deleted with the data
        await stale(update, context)
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    if services.settings.organisers.chat_id is None:
        await say(update, context, "faq.unhelpful_noted")
        return
    await say(update, context, "faq.unhelpful_relayed")
    await relay_question(context.bot, services, user, question, context.language)


# ------------------------------------------------------------------ registration


def build_conversation() -> ConversationHandler[BotContext]:
    choices = {
        "new": _save_new,
        "add": _add_to_similar,
        "fix": _fix,
        "cancel": _cancel,
        "skip": _ask_wordings,
        "done": _done,
        "list": _list,
        "show": _show,
        "answer": _ask_answer,
        "word": _ask_wording,
        "delete": _ask_delete,
        "erase": _delete,
    }
    buttons = CallbackQueryHandler(organisers_only(RUN.on_buttons(choices)), pattern=RUN.pattern)
    text = filters.TEXT & ~filters.COMMAND
    other = ~filters.TEXT & ~filters.COMMAND

    def expecting(callback: Any) -> list[Any]:
        return [
            buttons,
            MessageHandler(text, organisers_only(callback)),
            MessageHandler(other, text_only),
        ]

    states: dict[object, list[Any]] = {
        REVIEW: [buttons],
        WORDING: expecting(wording_corrected),
        OTHER_ANSWER: expecting(other_answer_sent),
        WORDINGS: expecting(wording_added),
        BROWSE: [buttons],
        ANSWER: expecting(answer_edited),
    }
    private = filters.ChatType.PRIVATE
    with warnings.catch_warnings():  # buttons carry the run id; see handlers/runs.py
        warnings.filterwarnings("ignore", message="If 'per_message=False'")
        return ConversationHandler(
            entry_points=[CommandHandler("faq", faq_command, private), buttons],
            states=states,
            fallbacks=[
                CommandHandler(["cancel", "abbrechen"], cancel, private),
                CallbackQueryHandler(stale, pattern=RUN.pattern),
            ],
            name="faq",
            persistent=True,
            allow_reentry=True,
        )
