"""When feedback is asked for, and how it is summed up for the organisers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.texts import Texts
from bot.feedback.rules import (
    SEND_WINDOW,
    clean_comment,
    feedback_round,
    render_summary,
    summarise,
)
from bot.programme.model import SHIPPED_PROGRAMME, ProgrammeError, load_programme, parse_programme

PROGRAMME = load_programme(SHIPPED_PROGRAMME)
TEXTS = Texts.load()


def test_asked_two_hours_after_the_end_for_a_week() -> None:
    current = feedback_round(PROGRAMME)
    assert current is not None
    assert current.due_at == datetime(2025, 6, 10, 21, 0, tzinfo=UTC)  # 21:00 + 2 h in Leipzig
    assert not current.is_due(current.due_at - timedelta(seconds=1))
    assert current.is_due(current.due_at)
    assert current.is_due(current.due_at + SEND_WINDOW)
    assert not current.is_due(current.due_at + SEND_WINDOW + timedelta(seconds=1))


def test_the_key_changes_when_the_event_moves() -> None:
    event = PROGRAMME.event
    moved = PROGRAMME.model_copy(
        update={"event": event.model_copy(update={"ends_at": event.ends_at + timedelta(days=1)})}
    )
    before, after = feedback_round(PROGRAMME), feedback_round(moved)
    assert before is not None and after is not None
    assert before.key != after.key and len(after.key) <= 100


def test_without_the_section_nobody_is_asked() -> None:
    assert feedback_round(PROGRAMME.model_copy(update={"feedback": None})) is None


def test_a_bad_offset_is_named() -> None:
    data = PROGRAMME.model_dump(mode="json")
    data["feedback"] = {"after": "soon"}
    with pytest.raises(ProgrammeError, match=r"feedback\.after"):
        parse_programme(data)


def test_summary_counts_averages_and_distributes() -> None:
    summary = summarise([(5, "super"), (4, None), (5, ""), (1, "zu voll")])
    assert summary.count == 4 and summary.average == pytest.approx(3.75)
    assert summary.distribution == {1: 1, 2: 0, 3: 0, 4: 1, 5: 2}
    assert summary.comments == 2
    line = render_summary(TEXTS, "de", summary)
    assert (
        line == "Bewertungen: 4, im Schnitt 3,8 ★ (5★ 2 · 4★ 1 · 3★ 0 · 2★ 0 · 1★ 1), Kommentare: 2"
    )
    assert "average 3.8" in render_summary(TEXTS, "en", summary)


def test_no_ratings_yet() -> None:
    assert render_summary(TEXTS, "en", summarise([])) == "Ratings: none yet"


def test_comments_are_trimmed_and_bounded() -> None:
    assert clean_comment("  gut  ") == "gut"
    assert clean_comment("   ") is None
    assert len(clean_comment("x" * 5000) or "") == 2000
