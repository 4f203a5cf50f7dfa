"""What the RSVP conversation shows: summaries and outcomes, rendered apart from the handlers."""

from __future__ import annotations

from bot.core.texts import Html, Texts
from bot.programme.model import Language
from bot.registration.rules import Dietary, Status
from bot.registration.service import RegistrationView, RsvpAnswers


def dietary_label(
    texts: Texts, language: Language, dietary: Dietary | None, note: str | None
) -> str:
    if dietary is None:
        return texts.template(language, "rsvp.nothing")
    if dietary is Dietary.OTHER and note:
        return note
    return texts.template(language, f"rsvp.dietary.{dietary.value}").rstrip(" …")


def render_summary(texts: Texts, language: Language, answers: RsvpAnswers) -> Html:
    """The answers as the partner confirms them; every value they typed is escaped."""
    if not answers.attending:
        return texts.get(language, "rsvp.summary_declined", name=answers.name)
    nothing = texts.template(language, "rsvp.nothing")
    return texts.get(
        language,
        "rsvp.summary",
        attending=texts.template(language, "rsvp.attending.yes"),
        name=answers.name,
        organisation=answers.organisation or nothing,
        persons=answers.persons,
        dietary=dietary_label(texts, language, answers.dietary, answers.dietary_note),
        accessibility=answers.accessibility or nothing,
    )


def answers_of(registration: RegistrationView) -> RsvpAnswers:
    return RsvpAnswers(
        attending=registration.status != Status.DECLINED,
        name=registration.name,
        organisation=registration.organisation,
        persons=registration.persons,
        dietary=registration.dietary,
        dietary_note=registration.dietary_note,
        accessibility=registration.accessibility,
        language=registration.language,
    )


def render_registration(texts: Texts, language: Language, registration: RegistrationView) -> Html:
    """A stored registration with its status, for /myrsvp."""
    return texts.get(
        language,
        "rsvp.current",
        summary=render_summary(texts, language, answers_of(registration)),
        status=texts.template(language, f"rsvp.status.{registration.status.value}"),
    )
