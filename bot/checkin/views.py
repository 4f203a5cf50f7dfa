"""What tickets and the door show: the ticket's caption, the organiser's card and its outcomes."""

from __future__ import annotations

from datetime import datetime

from bot.checkin.search import Candidate
from bot.checkin.tickets import Ticket
from bot.core.clock import BERLIN
from bot.core.telegram_text import shorten_escaped
from bot.core.texts import Html, Texts
from bot.core.timefmt import format_datetime, format_time
from bot.programme.model import Language, Programme

NAME_IN_BUTTON = 40  # characters of a name or organisation on a choice button


def ticket_caption(texts: Texts, language: Language, programme: Programme, ticket: Ticket) -> Html:
    """Every part is bounded, so the caption fits Telegram's 1024 characters whatever is typed."""
    event = programme.event
    organisation = ticket.organisation or texts.template(language, "ticket.no_organisation")
    return texts.get(
        language,
        "ticket.caption",
        event=shorten_escaped(event.title.get(language), 150),
        when=format_datetime(event.starts_at, language),
        venue=shorten_escaped(event.venue.name, 100),
        address=shorten_escaped(event.venue.address, 150),
        name=shorten_escaped(ticket.name, 200),
        organisation=shorten_escaped(organisation, 200),
        persons=ticket.persons,
    )


def moment(texts: Texts, language: Language, at: datetime, now: datetime) -> str:
    """`at 5:42 pm` on the day itself, `on Tuesday, 10 June, 5:42 pm` otherwise."""
    if at.astimezone(BERLIN).date() == now.astimezone(BERLIN).date():
        return texts.plain(language, "checkin.at_today", time=format_time(at, language))
    return texts.plain(language, "checkin.at_day", time=format_datetime(at, language))


def checkin_card(texts: Texts, language: Language, ticket: Ticket) -> Html:
    return texts.get(
        language,
        "checkin.card",
        name=ticket.name,
        organisation=ticket.organisation or texts.template(language, "ticket.no_organisation"),
        persons=ticket.persons,
    )


def checked_in(texts: Texts, language: Language, ticket: Ticket, now: datetime) -> Html:
    assert ticket.checked_in_at is not None
    return texts.get(
        language,
        "checkin.done",
        name=ticket.name,
        time=moment(texts, language, ticket.checked_in_at, now),
        persons=ticket.checked_in_persons or ticket.persons,
        registered=ticket.persons,
    )


def already_checked_in(texts: Texts, language: Language, ticket: Ticket, now: datetime) -> Html:
    assert ticket.checked_in_at is not None
    return texts.get(
        language,
        "checkin.already",
        name=ticket.name,
        time=moment(texts, language, ticket.checked_in_at, now),
        organiser=ticket.checked_in_by or texts.template(language, "checkin.someone"),
        persons=ticket.checked_in_persons or ticket.persons,
        registered=ticket.persons,
    )


def _short(text: str) -> str:
    return text if len(text) <= NAME_IN_BUTTON else text[: NAME_IN_BUTTON - 1] + "…"


def choice_label(texts: Texts, language: Language, candidate: Candidate) -> str:
    """A button label: plain text, so nothing is escaped."""
    organisation = candidate.organisation or texts.template(language, "ticket.no_organisation")
    return texts.plain(
        language,
        "checkin.choice",
        name=_short(candidate.name),
        organisation=_short(organisation),
        persons=candidate.persons,
    )
