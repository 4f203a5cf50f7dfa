"""Replies and bulk messages share Telegram's per-second budget; replies always find room."""

from __future__ import annotations

import time

from bot.send_budget import SendBudget


def test_bulk_stops_short_of_the_limit_leaving_room_for_replies() -> None:
    budget = SendBudget(bulk_per_second=26)
    for step in range(26):
        assert budget.wait_for_bulk(step * 0.01) == 0
        budget.record(step * 0.01)
    assert budget.wait_for_bulk(0.26) > 0  # 26 in the window: bulk waits


def test_bulk_may_go_again_when_the_oldest_send_leaves_the_window() -> None:
    budget = SendBudget(bulk_per_second=26)
    for step in range(26):
        budget.record(step * 0.01)
    assert budget.wait_for_bulk(0.5) == 1.0 - 0.5  # the first send leaves the window at 1.0
    assert budget.wait_for_bulk(1.0) == 0


def test_replies_count_against_bulk() -> None:
    budget = SendBudget(bulk_per_second=26)
    for _ in range(20):
        budget.record(0.0)  # a burst of replies
    for step in range(6):
        assert budget.wait_for_bulk(0.1) == 0
        budget.record(0.1 + step * 0.001)
    assert budget.wait_for_bulk(0.2) > 0


def test_replies_are_never_held_back_but_make_bulk_wait() -> None:
    budget = SendBudget(bulk_per_second=3)
    for _ in range(10):  # far beyond the bulk limit: replies are counted, not stopped
        budget.record_reply()
    assert budget.wait_for_bulk(time.monotonic()) > 0
