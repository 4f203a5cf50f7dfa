"""Replies and bulk messages share Telegram's per-second budget; replies always find room."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.send_budget import SendBudget


def test_bulk_stops_short_of_the_limit_leaving_room_for_replies() -> None:
    budget = SendBudget(per_second=29, reserved_for_replies=3)
    for step in range(26):
        assert budget.wait_for_bulk(step * 0.01) == 0
        budget.record(step * 0.01)
    assert budget.wait_for_bulk(0.26) > 0  # 26 in the window: bulk waits


def test_bulk_may_go_again_when_the_oldest_send_leaves_the_window() -> None:
    budget = SendBudget(per_second=29, reserved_for_replies=3)
    for step in range(26):
        budget.record(step * 0.01)
    assert budget.wait_for_bulk(0.5) == 1.0 - 0.5  # the first send leaves the window at 1.0
    assert budget.wait_for_bulk(1.0) == 0


def test_replies_count_against_bulk() -> None:
    budget = SendBudget(per_second=29, reserved_for_replies=3)
    for _ in range(20):
        budget.record(0.0)  # a burst of replies
    for step in range(6):
        assert budget.wait_for_bulk(0.1) == 0
        budget.record(0.1 + step * 0.001)
    assert budget.wait_for_bulk(0.2) > 0


async def test_a_reply_waits_only_when_the_whole_window_is_full() -> None:
    budget = SendBudget(per_second=3, reserved_for_replies=1)
    await budget.reply_slot()
    await budget.reply_slot()  # bulk would already wait here; replies still go
    assert budget.wait_for_bulk(time.monotonic()) > 0
    await asyncio.wait_for(budget.reply_slot(), timeout=0.5)
    with pytest.raises(TimeoutError):  # the window is full: the fourth reply has to wait
        await asyncio.wait_for(budget.reply_slot(), timeout=0.05)
