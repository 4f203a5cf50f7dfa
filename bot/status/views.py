"""What /status shows: the figures as organisers read them, apart from gathering them."""

from __future__ import annotations

from datetime import datetime

from bot.core.texts import Html, Texts
from bot.core.timefmt import format_datetime, format_duration
from bot.programme.model import Language
from bot.registration.rules import Status
from bot.status.service import StatusFigures


def render_status(figures: StatusFigures, texts: Texts, language: Language) -> Html:
    def moment(value: datetime | None, none_key: str) -> str:
        if value is None:
            return texts.template(language, none_key)
        return format_datetime(value, language, year=True)

    registrations = texts.get(
        language,
        "status.registrations",
        confirmed=figures.parties[Status.CONFIRMED],
        confirmed_persons=figures.persons[Status.CONFIRMED],
        waitlisted=figures.parties[Status.WAITLISTED],
        waitlisted_persons=figures.persons[Status.WAITLISTED],
        declined=figures.parties[Status.DECLINED],
        cancelled=figures.parties[Status.CANCELLED],
    )
    return texts.get(
        language,
        "status.text",
        version=figures.version,
        uptime=format_duration(figures.uptime, language),
        backend={"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(
            figures.backend, figures.backend
        ),
        mode=texts.template(language, f"status.mode_{figures.mode}"),
        organisations=figures.organisations,
        linked=figures.linked_partners,
        users=figures.users,
        registrations=registrations,
        pending=figures.pending_outbox,
        next_reminder=moment(figures.next_reminder, "status.no_reminder"),
        last_error=moment(figures.last_error, "status.no_error"),
    )
