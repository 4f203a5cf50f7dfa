"""The overview's chart of confirmed persons over time, thinned to what a phone can show.

A seat history holds a point per change: thousands at a big event. The page draws it as steps
600 units wide, so more than a hundred points cannot be told apart, yet each would cost the bot
and the page. Pure: history in, at most `CHART_POINTS` of its points out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

CHART_POINTS = 100


def chart_points(
    history: Sequence[tuple[datetime, int]], limit: int = CHART_POINTS
) -> list[tuple[datetime, int]]:
    """The first point, then the last of each of `limit - 1` equal stretches of time: drawn as
    steps, the same line to a hundredth of its width, ending at the current figure."""
    if len(history) <= limit:
        return list(history)
    first = history[0][0]
    stretch = (history[-1][0] - first) / (limit - 1)
    if not stretch:  # every change at one moment: the last one is the line
        return [history[0], history[-1]]
    points = [history[0]]
    current = -1
    for at, persons in history[1:]:
        index = min(int((at - first) / stretch), limit - 2)
        if index == current:
            points[-1] = (at, persons)
        else:
            points.append((at, persons))
            current = index
    return points
