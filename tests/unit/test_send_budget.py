"""Replies and bulk messages share Telegram's per-second budget; replies always find room."""

from __future__ import annotations

from bot.core.pacing import Pace
from bot.core.send_budget import SendBudget


def sent(budget: SendBudget, at: float, chat_id: int | None = None) -> None:
    """One message that Telegram answered at once."""
    budget.sending()
    budget.answered(at, chat_id)


def test_bulk_stops_short_of_the_limit_leaving_room_for_replies() -> None:
    budget = SendBudget(Pace(ceiling=30, reply_room=2))
    for step in range(28):
        assert budget.wait_for_bulk(step * 0.01) == 0
        sent(budget, step * 0.01)
    assert budget.wait_for_bulk(0.28) > 0  # 28 in the window: bulk waits
    assert budget.wait_for_reply(0.28) == 0  # a reply still goes


def test_bulk_may_go_again_a_second_after_the_oldest_answer() -> None:
    budget = SendBudget(Pace(ceiling=30, reply_room=2))
    for step in range(28):
        sent(budget, step * 0.01)
    assert budget.wait_for_bulk(0.5) == 1.0 - 0.5  # the first answer leaves the window at 1.0
    assert budget.wait_for_bulk(1.0) == 0


def test_messages_on_their_way_count() -> None:
    budget = SendBudget(Pace(ceiling=30, reply_room=2))
    for _ in range(28):
        budget.sending()  # Telegram has not answered yet, but may have counted them
    assert budget.count(5.0) == 28
    assert budget.wait_for_bulk(5.0) > 0


def test_replies_count_against_bulk() -> None:
    budget = SendBudget(Pace(ceiling=30, reply_room=2))
    for _ in range(20):
        sent(budget, 0.0)  # a burst of replies
    for step in range(8):
        assert budget.wait_for_bulk(0.1) == 0
        sent(budget, 0.1 + step * 0.001)
    assert budget.wait_for_bulk(0.2) > 0


def test_replies_wait_only_while_the_second_holds_all_telegram_takes() -> None:
    budget = SendBudget(Pace(ceiling=30, reply_room=2))
    for step in range(29):
        sent(budget, step * 0.01)
    assert budget.wait_for_reply(0.3) == 0
    sent(budget, 0.3)
    assert budget.wait_for_reply(0.31) == 1.0 - 0.31  # the 31st would get a 429


def test_after_an_overall_429_bulk_pauses_and_stays_below_what_telegram_took() -> None:
    budget = SendBudget(Pace(ceiling=30, reply_room=2))
    for step in range(20):
        sent(budget, step * 0.03, chat_id=100 + step)
    budget.sending()
    assert budget.refused(0.62, 7, sent_at=0.61, retry_after=1)
    assert budget.wait_for_bulk(0.62) >= 1.0
    assert budget.pace.known == 19  # one less than counted, to be safe
    assert budget.pace.bulk_threshold(2.0) + 2 < 19


def test_a_429_for_a_chat_that_just_got_a_message_holds_only_that_chat() -> None:
    budget = SendBudget(Pace(ceiling=30))
    sent(budget, 0.5, chat_id=7)  # a reply to partner 7
    budget.sending()
    assert not budget.refused(0.9, 7, sent_at=0.8, retry_after=1)
    assert budget.wait_for_bulk(0.9) == 0
    assert budget.pace.known == 30


def test_a_429_in_a_group_is_the_groups_own_limit() -> None:
    budget = SendBudget(Pace(ceiling=30))
    budget.sending()
    assert not budget.refused(0.9, -1001234567890, sent_at=0.8, retry_after=30)
    assert budget.wait_for_bulk(0.9) == 0


def test_bulk_waits_a_second_after_a_reply_to_the_same_chat() -> None:
    budget = SendBudget()
    sent(budget, 4.0, chat_id=7)
    assert budget.chat_free_at(7, 4.5) == 5.0
    assert budget.chat_free_at(8, 4.5) < 4.5
