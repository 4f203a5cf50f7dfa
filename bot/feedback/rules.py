"""When to ask for feedback and how to sum it up: pure, so the rules are tested without a clock.

The question goes out `feedback.after` after the event's end, to partners who were checked in,
once each: its outbox key names the event and its end, so a restart or a second run never sends
it twice, while a moved event asks again. It is sent only within `SEND_WINDOW` of its time; a
thank-you weeks late would puzzle more than help.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.core.texts import Html, Texts
from bot.programme.model import Language, Programme

SEND_WINDOW = timedelta(days=7)
STARS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class FeedbackRound:
    key: str  # the outbox's reminder key: (key, partner) is unique
    due_at: datetime  # aware, UTC

    def is_due(self, now: datetime) -> bool:
        return self.due_at <= now <= self.due_at + SEND_WINDOW


def feedback_round(programme: Programme) -> FeedbackRound | None:
    """None when the programme file asks for no feedback."""
    if programme.feedback is None:
        return None
    ends_at = programme.event.ends_at.astimezone(UTC)
    stamp = ends_at.strftime("%Y%m%dT%H%M%SZ")
    return FeedbackRound(
        key=f"{programme.event_key}:feedback:{stamp}",  # event ids are short: fits 100
        due_at=ends_at + programme.feedback.after,
    )


@dataclass(frozen=True)
class FeedbackSummary:
    count: int
    average: float | None
    distribution: dict[int, int]  # stars -> ratings
    comments: int


def summarise(ratings: Iterable[tuple[int, str | None]]) -> FeedbackSummary:
    """(stars, comment) pairs to the figures in /stats."""
    distribution = dict.fromkeys(STARS, 0)
    comments = 0
    for stars, comment in ratings:
        distribution[stars] += 1
        comments += bool(comment)
    count = sum(distribution.values())
    total = sum(stars * number for stars, number in distribution.items())
    return FeedbackSummary(count, total / count if count else None, distribution, comments)


def star_label(stars: int) -> str:
    return "★" * stars


def clean_comment(text: str, limit: int = 2000) -> str | None:
    """A comment as stored: trimmed, within `limit` characters, None when empty."""
    text = text.strip()
    return text[:limit] if text else None


def render_summary(texts: Texts, language: Language, summary: FeedbackSummary) -> Html:
    """One line for /stats: count, average, distribution from 5 stars down, comments."""
    if not summary.count or summary.average is None:
        return texts.get(language, "feedback.stats_none")
    average = f"{summary.average:.1f}"
    if language == "de":
        average = average.replace(".", ",")
    distribution = " · ".join(
        f"{stars}★ {summary.distribution[stars]}" for stars in reversed(STARS)
    )
    return texts.get(
        language,
        "feedback.stats",
        count=summary.count,
        average=average,
        distribution=distribution,
        comments=summary.comments,
    )
