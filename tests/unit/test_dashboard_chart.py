"""The overview's chart: thousands of seat changes thinned to a line a phone can show."""

from __future__ import annotations

import itertools
from bisect import bisect_right
from datetime import UTC, datetime, timedelta

from bot.dashboard.chart import CHART_POINTS, chart_points

START = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


def history(count: int) -> list[tuple[datetime, int]]:
    """A seat change every 20 minutes, up by two and down by one in turn."""
    persons, points = 0, []
    for n in range(count):
        persons += 2 if n % 2 == 0 else -1
        points.append((START + timedelta(minutes=20 * n), persons))
    return points


def value_at(points: list[tuple[datetime, int]], moment: datetime) -> int:
    return points[bisect_right([at for at, _ in points], moment) - 1][1]


def test_a_short_history_is_drawn_as_it_is() -> None:
    assert chart_points(history(CHART_POINTS)) == history(CHART_POINTS)
    assert chart_points([]) == []


def test_two_thousand_changes_become_a_hundred_points_of_the_same_line() -> None:
    full = history(2000)
    thin = chart_points(full)
    assert len(thin) <= CHART_POINTS
    assert thin[0] == full[0] and thin[-1] == full[-1]  # from the start to today's figure
    assert set(thin) <= set(full)  # real figures at real moments, in order
    assert [at for at, _ in thin] == sorted(at for at, _ in thin)
    # At every kept moment the thin line shows what the full one shows.
    assert all(value_at(full, at) == persons for at, persons in thin)
    # No stretch wider than a hundredth of the chart is left without its figure.
    widest = max(later[0] - earlier[0] for earlier, later in itertools.pairwise(thin))
    assert widest <= 2 * (full[-1][0] - full[0][0]) / (CHART_POINTS - 1)


def test_changes_all_at_one_moment_end_at_the_last_figure() -> None:
    full = [(START, persons) for persons in range(1, 500)]
    assert chart_points(full) == [(START, 1), (START, 499)]
