"""The texts organisers see about an announcement while and after it goes out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.announcements import callbacks
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
    audience = audience_label(texts, language, report.audience, report.organisations)
    counts = report.counts
    if report.status == "cancelled":
        return texts.get(
            language,
            "broadcast.stopped",
            audience=audience,
            sent=counts.sent,
            total=counts.total,
            cancelled=counts.cancelled,
            unreachable=counts.unreachable,
            failed=counts.failed,
        )
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


def audience_label(
    texts: Texts, language: Language, audience: str, organisations: Sequence[str] = ()
) -> str:
    """ "Registered", or "Registered · partners of Stadtwerke Leipzig, Ökolöwe"."""
    label = texts.template(language, f"broadcast.audience.{audience}")
    if not organisations:
        return label
    names = ", ".join(organisations)
    return texts.plain(language, "broadcast.audience_of", audience=label, organisations=names)


def progress_buttons(
    texts: Texts, report: BroadcastReport, language: Language
) -> InlineKeyboardMarkup | None:
    """While sending: stop it. Afterwards, if someone was not reached: their list as CSV."""
    counts = report.counts
    if report.status == "sending" and counts.pending:
        label, data = texts.plain(language, "broadcast.stop_button"), callbacks.stop(report.id)
    elif report.status != "sending" and (counts.failed or counts.unreachable):
        label = texts.plain(language, "broadcast.failed_button", id=report.id)
        data = callbacks.failed_csv(report.id)
    else:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)]])
