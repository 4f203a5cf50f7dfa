"""Unexpected errors, told to the organisers without storms and without personal data.

Each error gets a short id: the user quotes it, the organisers' report and the log line carry
it, so one complaint leads to one traceback. A report names the callback that failed and the
exception, never the update (message texts, names and user ids are personal data); quoted
values and long numbers in the exception's message are blanked for the same reason.

The same error (same callback, same exception type) is reported at most once per minute; the
ones in between are counted, and when the minute is over the latest of them is reported with
the count ("and 12 more"), so a storm makes one report a minute and an end.
"""

from __future__ import annotations

import re
import secrets
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timedelta

QUIET = timedelta(minutes=1)
MESSAGE_LIMIT = 200  # characters of the exception's message in a report
# Frames of these modules call callbacks or wrap them; the callback is the first frame after.
_FRAMEWORK = ("telegram.", "asyncio.", "contextlib", "functools", "handlers.guards")
_QUOTED = re.compile(r"""'[^']*'|"[^"]*\"""")
_LONG_NUMBER = re.compile(r"\d{6,}")


def new_error_id() -> str:
    """8 hex characters: short enough to read out on the phone, unique enough for a conference."""
    return secrets.token_hex(4)


def callback_name(error: BaseException) -> str:
    """`handlers.registration.reports.stats`: the first frame of our code below
    python-telegram-bot's."""
    names = [
        (str(frame.f_globals.get("__name__", "")), frame.f_code.co_qualname)
        for frame, _ in traceback.walk_tb(error.__traceback__)
    ]
    ours = [name for name in names if not name[0].startswith(_FRAMEWORK)]
    if ours:
        module, function = ours[0]
    elif names:  # an error inside the library: the place it was raised
        module, function = names[-1]
    else:
        return "unknown"
    return f"{module}.{function}"


def describe_exception(error: BaseException) -> str:
    """`KeyError: '…'`: the type and message, with values that may be personal blanked out."""
    message = _LONG_NUMBER.sub("…", _QUOTED.sub("'…'", str(error)))
    if len(message) > MESSAGE_LIMIT:
        message = message[: MESSAGE_LIMIT - 1] + "…"
    name = type(error).__qualname__
    return f"{name}: {message}" if message else name


@dataclass(frozen=True)
class ErrorReport:
    """What the organisers' chat is told; `earlier` counts the unreported ones before it."""

    error_id: str
    callback: str
    exception: str
    earlier: int


SeriesKey = tuple[str, str]  # callback, exception type


@dataclass(frozen=True)
class Recorded:
    """`report` to send now; or, when held back, `look_again_at` (once per quiet minute)."""

    report: ErrorReport | None
    key: SeriesKey | None = None
    look_again_at: datetime | None = None


@dataclass
class _Series:
    reported_at: datetime
    unreported: int = 0
    latest: ErrorReport | None = None  # the newest unreported one


@dataclass
class ErrorReports:
    """Decides which errors are reported; remembers the last one for /status."""

    quiet: timedelta = QUIET
    last_error_at: datetime | None = None
    _series: dict[SeriesKey, _Series] = field(default_factory=dict, repr=False)

    def record(self, error_id: str, error: BaseException, now: datetime) -> Recorded:
        """The report to send now, or when to look again for the ones held back."""
        self.last_error_at = now
        callback = callback_name(error)
        key = (callback, type(error).__qualname__)
        series = self._series.get(key)
        if series is not None and now - series.reported_at < self.quiet:
            series.unreported += 1
            series.latest = ErrorReport(error_id, callback, describe_exception(error), 0)
            # Only the first held-back error asks for a look when the quiet minute ends.
            due = series.reported_at + self.quiet if series.unreported == 1 else None
            return Recorded(None, key, due)
        earlier = series.unreported if series is not None else 0
        self._series[key] = _Series(reported_at=now)
        return Recorded(ErrorReport(error_id, callback, describe_exception(error), earlier))

    def held_back(self, key: SeriesKey, now: datetime) -> ErrorReport | None:
        """At the end of a quiet minute: the latest held-back error, with how many came before."""
        series = self._series.get(key)
        if series is None or series.latest is None or now - series.reported_at < self.quiet:
            return None
        latest, earlier = series.latest, series.unreported - 1
        self._series[key] = _Series(reported_at=now)
        return ErrorReport(latest.error_id, latest.callback, latest.exception, earlier)
