"""What /status tells organisers: is the bot healthy, and how far along is the event.

Figures only, gathered in one transaction; no URL, password, name or id ever appears.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib.metadata import PackageNotFoundError, version
from typing import Literal

from bot.core.services import Services
from bot.registration.rules import Status

Mode = Literal["webhook", "polling"]


@dataclass(frozen=True)
class StatusFigures:
    version: str
    uptime: timedelta
    backend: str  # sqlite or postgresql
    mode: Mode
    organisations: int
    linked_partners: int
    users: int
    parties: dict[Status, int]  # registrations by status
    persons: dict[Status, int]
    pending_outbox: int
    next_reminder: datetime | None
    last_error: datetime | None


def package_version() -> str:
    try:
        return version("partnerbot")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "unknown"


async def gather_status(services: Services) -> StatusFigures:
    async with services.database.transaction() as repositories:
        counts = await repositories.registrations.count_by_status(services.event.event_key)
        organisations = await repositories.status.organisations()
        linked = await repositories.status.linked_partners()
        users = await repositories.status.users()
        pending = await repositories.status.pending_outbox()
    return StatusFigures(
        version=package_version(),
        uptime=timedelta(seconds=time.monotonic() - services.started_at),
        backend=services.database.backend,
        mode="webhook" if services.settings.webhook.enabled else "polling",
        organisations=organisations,
        linked_partners=linked,
        users=users,
        parties={status: counts[status].parties if status in counts else 0 for status in Status},
        persons={status: counts[status].persons if status in counts else 0 for status in Status},
        pending_outbox=pending,
        next_reminder=services.reminders.next_due(),
        last_error=services.error_reports.last_error_at,
    )
