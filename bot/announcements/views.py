"""The texts organisers see about an announcement while and after it goes out."""

from __future__ import annotations

from datetime import timedelta

from bot.announcements.service import BroadcastReport
from bot.core.texts import Html, Texts
from bot.core.timefmt import format_duration
from bot.programme.model import Language


def progress_text(
    texts: Texts, report: BroadcastReport, language: Language, per_second: float
) -> Html:
    """The progress message: figures and an estimate while sending, the totals once done.

    `per_second` is the pace bulk sending goes at now, for the estimate.
    """
    audience = texts.template(language, f"broadcast.audience.{report.audience}")
    counts = report.counts
    if report.status == "sending" and counts.pending:
        seconds = counts.pending / per_second
        return texts.get(
            language,
            "broadcast.progress",
            audience=audience,
            sent=counts.sent,
            unreachable=counts.unreachable,
            failed=counts.failed,
            pending=counts.pending,
            eta=format_duration(timedelta(seconds=seconds), language)
            if seconds >= 60
            else texts.template(language, "broadcast.eta_short"),
        )
    return texts.get(
        language,
        "broadcast.done",
        audience=audience,
        sent=counts.sent,
        total=counts.total,
        unreachable=counts.unreachable,
        failed=counts.failed,
    )
