"""The confirmations chart organisers get with /stats: confirmed persons over time vs. capacity.

Drawn with matplotlib's object-oriented API on an Agg canvas, never pyplot: pyplot keeps global
figure state, which a long-running async server would leak and share between requests.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.core.clock import BERLIN
from bot.programme.model import Language

FIGSIZE_INCHES = (8.0, 4.5)
DPI = 120  # 960 x 540 pixels: readable on a phone, small as a PNG

_LABELS: dict[Language, dict[str, str]] = {
    "de": {
        "confirmed": "Bestätigte Personen",
        "capacity": "Kapazität ({capacity})",
        "time": "Zeit (Leipzig)",
        "empty": "Noch keine Zusagen",
    },
    "en": {
        "confirmed": "Confirmed persons",
        "capacity": "Capacity ({capacity})",
        "time": "Time (Leipzig)",
        "empty": "No confirmations yet",
    },
}
# Explicit formats: day before month, as in timefmt; German avoids month names entirely.
_DATE_FORMATS: dict[Language, dict[str, list[str]]] = {
    "de": {
        "formats": ["%Y", "%m.%Y", "%d.%m.", "%H:%M", "%H:%M", "%S.%f"],
        "zero_formats": ["", "%Y", "%d.%m.", "%d.%m.", "%H:%M", "%H:%M"],
        "offset_formats": ["", "%Y", "%Y", "%d.%m.%Y", "%d.%m.%Y", "%d.%m.%Y %H:%M"],
    },
    "en": {
        "formats": ["%Y", "%b %Y", "%d %b", "%H:%M", "%H:%M", "%S.%f"],
        "zero_formats": ["", "%Y", "%d %b", "%d %b", "%H:%M", "%H:%M"],
        "offset_formats": ["", "%Y", "%Y", "%d %b %Y", "%d %b %Y", "%d %b %Y %H:%M"],
    },
}
_MIN_SPAN = timedelta(hours=1)
# Emoji and their joiners/selectors: the bundled DejaVu font has no glyphs for them.
_UNDRAWABLE = re.compile("[\U00010000-\U0010ffff\u200d\ufe0f]")


def _drawable(text: str) -> str:
    """The title without emoji, which would render as boxes and log a warning per chart."""
    return " ".join(_UNDRAWABLE.sub("", text).split())


def _x_range(times: Sequence[datetime], now: datetime | None) -> tuple[datetime, datetime]:
    """A non-empty time span, so one point or none still gives a readable axis."""
    moments = [*times, *([now] if now is not None else [])]
    if not moments:
        raise ValueError("no times")
    start, end = min(moments), max(moments)
    if end - start < _MIN_SPAN and now is not None:
        start = end - _MIN_SPAN  # the hour up to now
    elif end - start < _MIN_SPAN:
        start, end = start - _MIN_SPAN / 2, end + _MIN_SPAN / 2  # the lone point in the middle
    margin = (end - start) / 40
    return start - margin, end + margin


def confirmations_chart(
    points: Sequence[tuple[datetime, int]],
    capacity: int,
    language: Language,
    title: str,
    now: datetime | None = None,
) -> bytes:
    """A PNG step chart of confirmed persons over time with a dashed capacity line."""
    labels = _LABELS[language]
    times = [moment for moment, _ in points]
    values = [value for _, value in points]
    if now is not None and times and now > times[-1]:
        # Hold the last count until now, so the line does not stop at the last change.
        times.append(now)
        values.append(values[-1])

    figure = Figure(figsize=FIGSIZE_INCHES, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.set_title(_drawable(title))
    axes.set_ylabel(labels["confirmed"])
    axes.grid(True, alpha=0.3)

    if times:
        axes.step(
            times,
            values,
            where="post",
            linewidth=2,
            # A single point draws no step; a marker keeps it visible.
            marker="o" if len(times) == 1 else None,
            label=labels["confirmed"],
        )
        axes.fill_between(times, values, step="post", alpha=0.15)
    axes.axhline(
        capacity,
        linestyle="--",
        color="tab:red",
        linewidth=1.5,
        label=labels["capacity"].format(capacity=capacity),
    )

    if times or now is not None:
        locator = AutoDateLocator(tz=BERLIN)
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(
            ConciseDateFormatter(locator, tz=BERLIN, **_DATE_FORMATS[language])
        )
        axes.set_xlim(*_x_range(times, now))
        axes.set_xlabel(labels["time"])
    else:
        axes.set_xticks([])
    if not points:
        axes.text(
            0.5,
            0.5,
            labels["empty"],
            transform=axes.transAxes,
            ha="center",
            va="center",
            color="grey",
        )

    top = max([capacity, *values])
    axes.set_ylim(0, max(1, top) * 1.3)  # headroom, so the legend never covers the capacity line
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(loc="upper left")

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
