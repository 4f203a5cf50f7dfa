"""Messages about learned FAQ entries: the draft to confirm, /faq's list and entry, the offer to
carry entries of an earlier event over, and the learned answer a partner gets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.texts import Html, Texts, escape
from bot.core.timefmt import format_datetime
from bot.programme.model import LANGUAGES, Language, Programme
from bot.questions import callbacks
from bot.questions.answering import learned_id
from bot.questions.builtin import BY_TOPIC
from bot.questions.faq import LearnedEntry
from bot.questions.faq_service import Draft, EntryReport

# Button labels show the start of a wording; Telegram cuts long labels anyway.
LABEL_CHARS = 40


def other_language(language: Language) -> Language:
    return "en" if language == "de" else "de"


def language_name(texts: Texts, language: Language, of: Language) -> str:
    return texts.template(language, f"faq.language.{of}")


def short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def topic_title(
    topic: str, programme: Programme, learned: Mapping[int, LearnedEntry], language: Language
) -> str:
    """How organisers recognise a topic: a learned entry's first wording, a programme entry's
    first example question, a built-in topic's first example."""
    entry_id = learned_id(topic)
    if entry_id is not None:
        entry = learned.get(entry_id)
        return entry.title if entry else topic
    for faq in programme.faq:
        if faq.topic == topic:
            return (faq.questions.de if language == "de" else faq.questions.en)[0]
    own = BY_TOPIC.get(topic)
    return own.examples[0] if own and own.examples else topic


def review(
    texts: Texts, language: Language, draft: Draft, wording: str, similar: str | None
) -> Html:
    text = texts.get(
        language,
        "faq.review",
        language=language_name(texts, language, draft.language),
        wording=wording,
        answer=Html(draft.answer_html),
    )
    if similar is not None:
        text = Html(text + "\n\n" + texts.get(language, "faq.review_similar", topic=similar))
    return text


def listing(texts: Texts, language: Language, reports: Sequence[EntryReport]) -> Html:
    if not reports:
        return texts.get(language, "faq.list_empty")
    lines = [texts.get(language, "faq.list_header", count=len(reports))]
    for report in reports:
        entry = report.entry
        missing = "".join(
            texts.get(language, "faq.list_missing", language=language_name(texts, language, code))
            for code in LANGUAGES
            if entry.answer(code) is None
        )
        lines.append(
            texts.get(
                language,
                "faq.list_item",
                id=entry.id,
                title=short(entry.title, 80),
                used=report.used,
                unhelpful=report.unhelpful,
                missing=Html(missing),
            )
        )
    lines += ["", texts.get(language, "faq.list_footer")]
    return Html("\n".join(lines))


def entry_card(texts: Texts, language: Language, report: EntryReport) -> Html:
    entry = report.entry

    def answer(code: Language) -> Html:
        text = entry.answer(code)
        if text is not None:
            return Html(text)
        return texts.get(language, "faq.no_answer", language=language_name(texts, language, code))

    wordings = (
        Html("\n".join(f"• {escape(w)}" for w in entry.wordings))
        if entry.wordings
        else texts.get(language, "faq.no_wordings")
    )
    changed = (
        texts.get(language, "faq.entry_changed", time=format_datetime(report.changed_at, language))
        if report.changed_at
        else Html("")
    )
    return texts.get(
        language,
        "faq.entry",
        id=entry.id,
        used=report.used,
        unhelpful=report.unhelpful,
        created=format_datetime(report.created_at, language),
        changed=changed,
        wordings=wordings,
        answer_de=answer("de"),
        answer_en=answer("en"),
    )


def earlier_offer(
    texts: Texts, language: Language, reports: Sequence[EntryReport]
) -> tuple[Html, InlineKeyboardMarkup]:
    """Entries of another event than the current one, each with "carry over" and "drop"."""
    items = "\n".join(
        texts.get(
            language,
            "faq.earlier_item",
            id=r.entry.id,
            title=short(r.entry.title, 80),
            event=r.entry.event_key,
        )
        for r in reports
    )
    rows = [
        [
            InlineKeyboardButton(
                texts.plain(language, "faq.button.carry", id=r.entry.id),
                callback_data=callbacks.carry_over(r.entry.id),
            ),
            InlineKeyboardButton(
                texts.plain(language, "faq.button.drop", id=r.entry.id),
                callback_data=callbacks.drop(r.entry.id),
            ),
        ]
        for r in reports
    ]
    text = texts.get(language, "faq.earlier", items=Html(items))
    return text, InlineKeyboardMarkup(rows)


def learned_answer(
    texts: Texts, language: Language, entry: LearnedEntry, answer_id: int | None
) -> tuple[Html, InlineKeyboardMarkup | None]:
    """The entry's answer with a quiet line that the organisers gave it, and "Doesn't help"."""
    answer = entry.answer(language) or ""
    text = Html(answer + "\n\n" + texts.get(language, "faq.answer_footer"))
    if answer_id is None:
        return text, None
    button = InlineKeyboardButton(
        texts.plain(language, "faq.button.unhelpful"),
        callback_data=callbacks.unhelpful(answer_id),
    )
    return text, InlineKeyboardMarkup([[button]])


def save_button(texts: Texts, language: Language, relay_id: int) -> InlineKeyboardMarkup:
    label = texts.plain(language, "faq.save_button")
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=callbacks.save_faq(relay_id))]]
    )
