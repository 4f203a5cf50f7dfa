"""What tickets and the door show: the ticket's caption, the organiser's card and its outcomes."""

from __future__ import annotations

from datetime import datetime

from bot.checkin_search import Candidate
from bot.clock import BERLIN
from bot.programme import Language, Programme
from bot.texts import Html, Texts
from bot.tickets import Ticket
from bot.timefmt import format_datetime, format_time

CAPTION_LIMIT = 1024  # Telegram's limit for a photo caption
NAME_IN_BUTTON = 40  # characters of a name or organisation on a choice button


def ticket_caption(texts: Texts, language: Language, programme: Programme, ticket: Ticket) -> Html:
    event = programme.event
    caption = texts.get(
        language,
        "ticket.caption",
        event=event.title.get(language),
        when=format_datetime(event.starts_at, language),
        venue=event.venue.name,
        address=event.venue.address,
        name=ticket.name,
        organisation=ticket.organisation or texts.template(language, "ticket.no_organisation"),
        persons=ticket.persons,
    )
    if len(caption) > CAPTION_LIMIT:  # only with absurdly long names: keep the essentials
        caption = texts.get(
            language,
            "ticket.caption",
            event=event.title.get(language)[:200],
            when=format_datetime(event.starts_at, language),
            venue=event.venue.name[:100],
            address=event.venue.address[:100],
            name=ticket.name[:150],
            organisation=(ticket.organisation or "")[:150],
            persons=ticket.persons,
        )
    return caption


def moment(texts: Texts, language: Language, at: datetime, now: datetime) -> str:
    """`at 5:42 pm` on the day itself, `on Tuesday, 10 June, 5:42 pm` otherwise."""
    if at.astimezone(BERLIN).date() == now.astimezone(BERLIN).date():
        return texts.template(language, "checkin.at_today").format(time=format_time(at, language))
    return texts.template(language, "checkin.at_day").format(time=format_datetime(at, language))


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
    return texts.template(language, "checkin.choice").format(
        name=_short(candidate.name),
        organisation=_short(organisation),
        persons=candidate.persons,
    )
