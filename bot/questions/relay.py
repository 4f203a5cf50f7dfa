"""Questions the bot cannot answer go to the organisers' chat; their replies go back to the partner.

The database maps each relayed message to its partner, so an organiser answers simply by
replying to it, even days later or after a restart.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from telegram import Bot, Message, ReplyParameters, User
from telegram.error import Forbidden, TelegramError

from bot.core.language import resolve_language
from bot.core.services import Services
from bot.core.telegram_text import MESSAGE_LIMIT, shorten_escaped
from bot.core.texts import Html
from bot.programme.model import Language
from bot.questions.faq_views import save_button
from storage.models import QuestionRelay
from storage.models import User as UserRow

log = logging.getLogger(__name__)

QUOTE_LIMIT = 300  # how much of the question the partner sees again above the answer


class Delivery(Enum):
    """How passing an answer on went; the value is the text key that tells the organisers."""

    DELIVERED = "relay.delivered"
    UNREACHABLE = "relay.unreachable"
    FAILED = "relay.failed"
    ANSWERED_BEFORE = "relay.answered_before"  # nothing sent: the organiser decides


@dataclass(frozen=True)
class Earlier:
    """The first answer to a question, shown to an organiser who answers it again."""

    answer_html: str | None  # None: a photo or document
    by_name: str | None
    by_id: int | None
    at: datetime


@dataclass(frozen=True)
class RelayResult:
    delivery: Delivery
    partner_name: str
    relay_id: int = 0
    savable: bool = False  # a text answer, delivered: it may become an FAQ entry
    earlier: Earlier | None = None  # ANSWERED_BEFORE: what was answered first


def _describe(user: User, organisation: str | None) -> str:
    """Who asked, so organisers can tell partners apart: organisation (from the invite) and ids."""
    parts = [organisation] if organisation else []
    parts += [f"@{user.username}"] if user.username else []
    return ", ".join([*parts, f"id {user.id}"])


async def relay_question(
    bot: Bot, services: Services, user: User, question: str, language: Language
) -> None:
    """Forward a question to the organisers' chat, if there is one; failures are logged."""
    chat_id = services.settings.organisers.chat_id
    if chat_id is None:
        return
    organisation = await services.partners.organisation_of(user.id)
    organiser_language = services.settings.event.default_language
    template = services.texts.template(organiser_language, "relay.to_organisers")
    budget = MESSAGE_LIMIT - len(template) - len(user.full_name) - 80
    text = services.texts.get(
        organiser_language,
        "relay.to_organisers",
        name=user.full_name,
        who=_describe(user, organisation.name if organisation else None),
        language=language,
        question=shorten_escaped(question, budget),
    )
    try:
        sent = await bot.send_message(chat_id, text)
    except TelegramError as error:
        log.error("Could not relay a question to the organisers' chat: %s", error)
        return
    async with services.database.transaction() as repositories:
        await repositories.questions.add(
            user_id=user.id,
            question=question,
            organiser_chat_id=chat_id,
            organiser_message_id=sent.message_id,
            now=services.clock.now(),
            language=language,
        )


async def deliver_organiser_answer(
    bot: Bot, services: Services, reply: Message
) -> RelayResult | None:
    """Pass an organiser's reply in the group on to the partner who asked; None if it answers
    no question. A question answered before is not answered again straight away: the organiser
    is shown the first answer and decides (`deliver_addition`)."""
    original = reply.reply_to_message
    if original is None:
        return None
    async with services.database.transaction() as repositories:
        relay = await repositories.questions.find(reply.chat_id, original.message_id)
    if relay is None:
        return None
    organiser_id = reply.from_user.id if reply.from_user else 0
    answer = Html(reply.text_html) if reply.text else None
    return await answer_question(
        bot, services, relay.id, organiser_id, answer, (reply.chat_id, reply.message_id)
    )


async def answer_question(
    bot: Bot,
    services: Services,
    relay_id: int,
    organiser_id: int,
    answer: Html | None,
    source: tuple[int, int] | None = None,
    *,
    addition: bool = False,
) -> RelayResult | None:
    """The one way an answer reaches a partner, from a reply in the group or the dashboard.

    The first answer is claimed before it is passed on, so of two organisers answering at once
    one gets ANSWERED_BEFORE with the other's answer. An addition is sent only when asked for.
    `source` is the organiser's message (copied when it is no text or too long); without it
    `answer` is sent as text. None if the question or its partner is gone.
    """
    async with services.database.transaction() as repositories:
        relay = await repositories.questions.get(relay_id)
        partner = await repositories.users.get(relay.user_id) if relay else None
    if relay is None or partner is None:
        return None
    name = _name(partner)
    if not addition and not await services.questions.claim(relay.id, organiser_id, answer):
        return RelayResult(
            Delivery.ANSWERED_BEFORE, name, relay.id, earlier=await _earlier(services, relay.id)
        )
    delivery = await _pass_on(bot, services, relay, partner, answer, source, addition=addition)
    if addition:
        return RelayResult(delivery, name, relay.id)
    if delivery is Delivery.UNREACHABLE:
        await services.questions.record_undelivered(relay.id, organiser_id)
    elif delivery is Delivery.FAILED:
        await services.questions.release(relay.id, organiser_id)
    savable = delivery is Delivery.DELIVERED and answer is not None
    return RelayResult(delivery, name, relay.id, savable=savable)


async def _earlier(services: Services, relay_id: int) -> Earlier:
    async with services.database.transaction() as repositories:
        relay = await repositories.questions.get(relay_id)
        assert relay is not None and relay.answered_at is not None
        by = await repositories.users.get(relay.answered_by) if relay.answered_by else None
        return Earlier(
            relay.answer_html, _name(by) if by else None, relay.answered_by, relay.answered_at
        )


async def deliver_addition(
    bot: Bot, services: Services, relay_id: int, chat_id: int, message_id: int
) -> RelayResult | None:
    """A second organiser's reply in the group, sent after all as an addition."""
    return await answer_question(
        bot, services, relay_id, 0, None, (chat_id, message_id), addition=True
    )


def _name(user: UserRow) -> str:
    return " ".join(part for part in (user.first_name, user.last_name) if part)


async def _pass_on(
    bot: Bot,
    services: Services,
    relay: QuestionRelay,
    partner: UserRow,
    answer: Html | None,
    source: tuple[int, int] | None,
    *,
    addition: bool = False,
) -> Delivery:
    """The answer under the partner's question; a long one (or a photo) after it."""
    texts = services.texts
    language = resolve_language(
        partner.language, partner.telegram_language, services.settings.event.default_language
    )
    question = shorten_escaped(relay.question, QUOTE_LIMIT)
    key = "relay.addition" if addition else "relay.answer"
    try:
        if answer is not None:
            text = texts.get(language, key, question=question, answer=answer)
            if len(text) <= MESSAGE_LIMIT:
                await bot.send_message(partner.id, text)
                return Delivery.DELIVERED
        # Too long with the header, or no text: the header, then the answer on its own.
        header = texts.get(language, key, question=question, answer="")
        await bot.send_message(partner.id, header.rstrip())
        if source is not None:
            await bot.copy_message(partner.id, *source)
        else:
            assert answer is not None
            await bot.send_message(partner.id, answer)
    except Forbidden:
        await services.users.mark_unreachable(partner.id)
        return Delivery.UNREACHABLE
    except TelegramError as error:
        log.warning("Could not deliver an organiser's answer: %s", error)
        return Delivery.FAILED
    return Delivery.DELIVERED


async def answer_from_dashboard(
    bot: Bot,
    services: Services,
    relay_id: int,
    organiser_id: int,
    organiser_name: str,
    answer: Html,
    *,
    addition: bool = False,
) -> RelayResult | None:
    """An answer written on the dashboard: passed on as a reply in the group would be, then
    the group sees it under the relayed question, with "Save as FAQ" as after a reply."""
    result = await answer_question(bot, services, relay_id, organiser_id, answer, addition=addition)
    if result is None or result.delivery is Delivery.ANSWERED_BEFORE:
        return result
    async with services.database.transaction() as repositories:
        relay = await repositories.questions.get(relay_id)
    assert relay is not None
    texts, language = services.texts, services.settings.event.default_language
    outcome_key = (
        "relay.addition_sent"
        if addition and result.delivery is Delivery.DELIVERED
        else result.delivery.value
    )
    text = texts.get(
        language,
        "relay.dashboard_addition" if addition else "relay.dashboard_answer",
        by=organiser_name,
        answer=answer,
        outcome=texts.get(language, outcome_key, name=result.partner_name),
    )
    if len(text) > MESSAGE_LIMIT:  # the answer is in the dashboard's inbox; the outcome fits
        text = texts.get(language, outcome_key, name=result.partner_name)
    markup = save_button(texts, language, relay.id) if result.savable else None
    try:
        await bot.send_message(
            relay.organiser_chat_id,
            text,
            reply_parameters=ReplyParameters(
                relay.organiser_message_id, allow_sending_without_reply=True
            ),
            reply_markup=markup,
        )
    except TelegramError as error:
        log.warning("Could not tell the organisers' chat about a dashboard answer: %s", error)
    return result
