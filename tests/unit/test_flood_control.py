"""The sliding window: twenty updates in ten seconds are fine, the twenty-first is not."""

from __future__ import annotations

from bot.core.flood_control import FloodControl, Verdict


def verdicts(control: FloodControl, user_id: int, moments: list[float]) -> list[Verdict]:
    return [control.check(user_id, moment) for moment in moments]


def test_twenty_updates_in_ten_seconds_are_all_answered() -> None:
    control = FloodControl(limit=20, window=10.0)
    assert verdicts(control, 1, [i * 0.1 for i in range(20)]) == [Verdict.ANSWER] * 20


def test_the_twenty_first_gets_one_notice_and_the_rest_are_dropped() -> None:
    control = FloodControl(limit=20, window=10.0)
    results = verdicts(control, 1, [i * 0.1 for i in range(30)])
    assert results[:20] == [Verdict.ANSWER] * 20
    assert results[20] is Verdict.NOTIFY
    assert results[21:] == [Verdict.DROP] * 9


def test_a_steady_pace_under_the_limit_is_never_stopped() -> None:
    control = FloodControl(limit=20, window=10.0)
    # One update every 0.55 s: at most 19 fall into any ten seconds.
    results = verdicts(control, 1, [i * 0.55 for i in range(200)])
    assert set(results) == {Verdict.ANSWER}


def test_others_are_answered_while_one_user_floods() -> None:
    control = FloodControl(limit=20, window=10.0)
    verdicts(control, 1, [i * 0.01 for i in range(25)])
    assert control.check(2, 0.3) is Verdict.ANSWER
    assert control.check(1, 0.3) is Verdict.DROP


def test_a_user_who_keeps_flooding_stays_dropped_until_they_calm_down() -> None:
    control = FloodControl(limit=20, window=10.0)
    # 30 updates in the first 3 s, then one a second: the window stays over the limit...
    verdicts(control, 1, [i * 0.1 for i in range(30)])
    assert verdicts(control, 1, [3.0 + i for i in range(8)]) == [Verdict.DROP] * 8
    # ...until fewer than 20 earlier updates lie in the last ten seconds (dropped ones count).
    assert control.check(1, 13.0) is Verdict.ANSWER


def test_after_calming_down_a_new_flood_earns_a_new_notice() -> None:
    control = FloodControl(limit=3, window=10.0)
    assert verdicts(control, 1, [0, 1, 2, 3, 4]) == [
        Verdict.ANSWER,
        Verdict.ANSWER,
        Verdict.ANSWER,
        Verdict.NOTIFY,
        Verdict.DROP,
    ]
    assert verdicts(control, 1, [30, 30.1, 30.2, 30.3]) == [
        Verdict.ANSWER,
        Verdict.ANSWER,
        Verdict.ANSWER,
        Verdict.NOTIFY,
    ]


def test_quiet_users_are_forgotten() -> None:
    control = FloodControl(limit=20, window=10.0)
    for user_id in range(1000):
        control.check(user_id, 0.0)
    assert len(control) == 1000
    control.check(5000, 11.0)
    assert len(control) == 1
