"""The bulk pace: near Telegram's limit, below it after a 429, up again, never above the ceiling."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

import pytest

from bot.core.pacing import Pace
from bot.core.send_budget import SendBudget


def sending_for(pace: Pace, start: float, seconds: float, *, quiet: bool = False) -> float:
    """Bulk messages accepted at the pace's own spacing for `seconds`, with replies about
    unless `quiet`; returns the end time."""
    now = start
    while now < start + seconds:
        pace.accepted(now, quiet=quiet)
        now += pace.bulk_interval(now)
    return now


def test_it_starts_near_the_ceiling_less_the_replies_room() -> None:
    pace = Pace(ceiling=30)
    assert pace.bulk_threshold(0.0) == 29
    assert pace.bulk_interval(0.0) == pytest.approx(1 / 29)
    assert pace.reply_threshold(0.0) == 30


def test_a_429_pauses_at_least_as_long_as_telegram_asks() -> None:
    pace = Pace(ceiling=30)
    until = pace.refused(100.0, sent_at=99.99, retry_after=3, counted_last_second=29)
    assert until >= 103.0
    assert pace.paused_until == until


def test_after_a_429_bulk_goes_below_what_telegram_took() -> None:
    pace = Pace(ceiling=30)
    pace.refused(10.0, sent_at=9.99, retry_after=1, counted_last_second=21)
    assert pace.known == 20  # one less than counted: the count may hold one Telegram's does not
    assert pace.bulk_threshold(10.0) + pace.reply_room < 20  # more than the replies' room below


def test_the_pace_creeps_up_again_to_what_telegram_took_and_no_further() -> None:
    pace = Pace(ceiling=30)
    pace.refused(10.0, sent_at=9.99, retry_after=1, counted_last_second=21)
    lowered = pace.bulk_threshold(10.0)
    end = sending_for(pace, 11.25, 3.0)
    assert pace.bulk_threshold(end) > lowered
    end = sending_for(pace, end, 60.0)
    assert pace.bulk_threshold(end) == 20 - pace.reply_room  # replies keep their room
    assert pace.reply_threshold(end) == 20


def test_while_no_reply_is_about_the_pace_slowly_probes_beyond_what_telegram_took() -> None:
    pace = Pace(ceiling=30)
    pace.refused(10.0, sent_at=9.99, retry_after=1, counted_last_second=21)
    end = sending_for(pace, 11.25, 30.0, quiet=True)
    assert 20 < pace.reply_threshold(end) < 22  # about one a second more per 30 s
    assert pace.bulk_threshold(end) == pace.reply_threshold(end) - pace.reply_room


def test_the_pace_never_exceeds_the_ceiling() -> None:
    pace = Pace(ceiling=24)
    end = sending_for(pace, 0.0, 30.0, quiet=True)
    assert pace.limit == 24
    assert pace.bulk_threshold(end) == 23
    pace.refused(end, sent_at=end, retry_after=1, counted_last_second=40)  # says more than 24
    assert pace.known == 24
    end = sending_for(pace, end + 2, 600.0, quiet=True)
    assert pace.limit == 24
    assert pace.reply_threshold(end) == 24


def test_messages_in_flight_when_a_flood_began_slow_down_only_once() -> None:
    pace = Pace(ceiling=30)
    pace.refused(10.0, sent_at=9.98, retry_after=1, counted_last_second=20)
    after_first = pace.limit
    pace.refused(10.01, sent_at=9.99, retry_after=2, counted_last_second=20)  # was on its way
    assert pace.limit == after_first
    assert pace.paused_until >= 12.01  # its pause still counts
    pace.refused(12.5, sent_at=12.4, retry_after=1, counted_last_second=20)  # a new flood
    assert pace.limit < after_first


def test_one_429_cuts_the_pace_to_a_third_at_most() -> None:
    """A 429 about something else than the overall limit must not bring sending to a crawl."""
    pace = Pace(ceiling=30)
    pace.refused(1.0, sent_at=0.99, retry_after=1, counted_last_second=2)
    assert pace.known == 10


def test_a_learned_limit_is_forgotten_after_a_while_even_if_replies_never_stop() -> None:
    pace = Pace(ceiling=30, memory=120)
    pace.refused(0.0, sent_at=0.0, retry_after=1, counted_last_second=21)
    end = sending_for(pace, 1.25, 60.0)
    assert pace.reply_threshold(end) == 20
    end = sending_for(pace, end, 70.0)  # more than 120 s after the 429
    assert pace.reply_threshold(end) == 30
    end = sending_for(pace, end, 10.0)
    assert pace.bulk_threshold(end) == 29


@dataclass
class ModelTelegram:
    """Takes `limit` messages in any second, counted on arrival, 5 ms after they are sent."""

    limit: int
    taken: deque[float] = field(default_factory=deque)
    refused: list[str] = field(default_factory=list)

    def send(self, budget: SendBudget, now: float, kind: str) -> None:
        budget.sending()
        while self.taken and self.taken[0] <= now - 1.0:
            self.taken.popleft()
        answered = now + 0.005
        if len(self.taken) >= self.limit:
            self.refused.append(kind)
            budget.refused(answered, None, sent_at=now, retry_after=1)
            return
        self.taken.append(now)
        budget.answered(answered, None, reply=kind == "reply")
        if kind == "bulk":
            budget.bulk_accepted(answered)


def run_against(telegram: ModelTelegram, seconds: float, reply_every: float | None) -> SendBudget:
    """Bulk sending as the outbox does it, and a reply every `reply_every` seconds."""
    budget = SendBudget(Pace(ceiling=30))
    now = next_slot = 0.0
    next_reply = 0.3 if reply_every else math.inf
    while now < seconds:
        if now >= next_reply and budget.wait_for_reply(now) == 0:
            telegram.send(budget, now, "reply")
            next_reply += reply_every or math.inf
        wait = max(budget.wait_for_bulk(now), next_slot - now)
        if wait > 0:
            now += min(wait, max(next_reply - now, 0.001))
            continue
        next_slot = now + budget.pace.bulk_interval(now)
        telegram.send(budget, now, "bulk")
    return budget


def test_against_a_lower_limit_one_429_teaches_it_and_replies_never_meet_it() -> None:
    """Two minutes against a model of Telegram that takes 20 messages in any second, with a
    reply every 0.4 s: the first 429 (for bulk) teaches the limit, and none follows."""
    telegram = ModelTelegram(limit=20)
    budget = run_against(telegram, 120.0, reply_every=0.4)
    assert telegram.refused == ["bulk"]
    assert 19 <= budget.pace.reply_threshold(120.0) <= 20  # at most what Telegram takes
    assert budget.pace.bulk_threshold(120.0) == budget.pace.reply_threshold(120.0) - 1


def test_against_a_lower_limit_quiet_probing_meets_it_rarely() -> None:
    """Ten minutes without replies: the pace probes beyond the limit, one 429 a minute at most."""
    telegram = ModelTelegram(limit=20)
    run_against(telegram, 600.0, reply_every=None)
    assert 1 < len(telegram.refused) <= 10
    assert set(telegram.refused) == {"bulk"}
