"""The bulk pace: near Telegram's limit, below it after a 429, up again, never above the ceiling."""

from __future__ import annotations

from collections import deque

import pytest

from bot.pacing import Pace
from bot.send_budget import SendBudget


def sending_for(pace: Pace, start: float, seconds: float) -> float:
    """Bulk messages accepted at the pace's own spacing for `seconds`; returns the end time."""
    now = start
    while now < start + seconds:
        pace.accepted(now)
        now += pace.bulk_interval(now)
    return now


def test_it_starts_near_the_ceiling_less_the_replies_room() -> None:
    pace = Pace(ceiling=30)
    assert pace.bulk_threshold(0.0) == 28
    assert pace.bulk_interval(0.0) == pytest.approx(1 / 28)
    assert pace.reply_threshold(0.0) == 30


def test_a_429_pauses_at_least_as_long_as_telegram_asks() -> None:
    pace = Pace(ceiling=30)
    until = pace.refused(100.0, sent_at=99.99, retry_after=3, accepted_last_second=29)
    assert until >= 103.0
    assert pace.paused_until == until


def test_after_a_429_bulk_goes_below_what_telegram_took() -> None:
    pace = Pace(ceiling=30)
    pace.refused(10.0, sent_at=9.99, retry_after=1, accepted_last_second=20)
    assert pace.known == 20
    assert pace.bulk_threshold(10.0) + pace.reply_room < 20  # more than the replies' room below


def test_the_pace_creeps_up_again_to_what_telegram_took_and_no_further() -> None:
    pace = Pace(ceiling=30)
    pace.refused(10.0, sent_at=9.99, retry_after=1, accepted_last_second=20)
    lowered = pace.bulk_threshold(10.0)
    end = sending_for(pace, 11.25, 3.0)
    assert pace.bulk_threshold(end) > lowered
    end = sending_for(pace, end, 60.0)
    assert pace.bulk_threshold(end) == 20 - pace.reply_room  # replies keep their room
    assert pace.reply_threshold(end) == 20


def test_the_pace_never_exceeds_the_ceiling() -> None:
    pace = Pace(ceiling=24)
    end = sending_for(pace, 0.0, 30.0)
    assert pace.limit == 24
    assert pace.bulk_threshold(end) == 22
    pace.refused(end, sent_at=end, retry_after=1, accepted_last_second=40)  # says more than 24
    assert pace.known == 24
    end = sending_for(pace, end + 2, 30.0)
    assert pace.limit <= 24


def test_messages_in_flight_when_a_flood_began_slow_down_only_once() -> None:
    pace = Pace(ceiling=30)
    pace.refused(10.0, sent_at=9.98, retry_after=1, accepted_last_second=20)
    after_first = pace.limit
    pace.refused(10.01, sent_at=9.99, retry_after=2, accepted_last_second=20)  # was on its way
    assert pace.limit == after_first
    assert pace.paused_until >= 12.01  # its pause still counts
    pace.refused(12.5, sent_at=12.4, retry_after=1, accepted_last_second=20)  # a new flood
    assert pace.limit < after_first


def test_one_429_at_most_halves_the_pace() -> None:
    """A 429 about something else than the overall limit must not bring sending to a crawl."""
    pace = Pace(ceiling=30)
    pace.refused(1.0, sent_at=0.99, retry_after=1, accepted_last_second=2)
    assert pace.known == 15


def test_a_learned_limit_is_forgotten_after_a_while() -> None:
    pace = Pace(ceiling=30, memory=120)
    pace.refused(0.0, sent_at=0.0, retry_after=1, accepted_last_second=20)
    end = sending_for(pace, 1.25, 60.0)
    assert pace.reply_threshold(end) == 20
    end = sending_for(pace, end, 70.0)  # more than 120 s after the 429
    assert pace.reply_threshold(end) == 30
    end = sending_for(pace, end, 10.0)
    assert pace.bulk_threshold(end) == 28


def test_against_a_lower_limit_the_pace_settles_below_it_after_one_429() -> None:
    """Two minutes against a model of Telegram that takes 20 messages in any second: the
    first 429 teaches the limit, and bulk sending stays under it from then on."""
    budget = SendBudget(Pace(ceiling=30))
    taken: deque[float] = deque()  # what the model of Telegram accepted in the last second
    refusals = 0
    now = 0.0
    next_slot = 0.0
    while now < 120.0:
        now = max(now, next_slot)
        if (wait := budget.wait_for_bulk(now)) > 0:
            now += wait
            continue
        next_slot = now + budget.pace.bulk_interval(now)
        budget.sending()
        answered = now + 0.005
        while taken and taken[0] <= now - 1.0:
            taken.popleft()
        if len(taken) >= 20:
            refusals += 1
            budget.refused(answered, 1, sent_at=now, retry_after=1)
        else:
            taken.append(now)
            budget.answered(answered, None)
            budget.pace.accepted(answered)
    assert refusals == 1
    assert budget.pace.bulk_threshold(now) == 18
