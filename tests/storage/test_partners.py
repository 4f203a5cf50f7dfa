"""Invite links on a real database: the last use goes to one partner only."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.clock import ManualClock
from bot.core.event_context import EventContext
from bot.core.texts import Texts
from bot.partners.invites import OrganisationRow
from bot.partners.service import PartnerService, Redemption
from bot.programme.model import SHIPPED_PROGRAMME, load_programme
from bot.registration.service import Outcome, RegistrationService, RsvpAnswers
from storage.database import Database
from storage.users import Visitor

NOW = datetime(2025, 5, 20, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
async def thirty_users(database: Database) -> None:
    async with database.transaction() as repositories:
        for user_id in range(1, 31):
            visitor = Visitor(user_id, f"Partner {user_id}", None, None, "de")
            await repositories.users.record_visit(visitor, NOW)


async def test_thirty_partners_racing_for_three_uses(database: Database) -> None:
    clock = ManualClock(NOW)
    partners = PartnerService(database, clock)
    issued = await partners.invite(OrganisationRow("Stadtwerke Leipzig", max_uses=3), created_by=99)
    results = await asyncio.gather(
        *(partners.redeem(user_id, issued.code) for user_id in range(1, 31))
    )
    outcomes = [result.outcome for result in results]
    assert outcomes.count(Redemption.LINKED) == 3
    assert outcomes.count(Redemption.USED_UP) == 27
    linked = [await partners.organisation_of(user_id) for user_id in range(1, 31)]
    assert sum(organisation is not None for organisation in linked) == 3
    (listed,) = await partners.invites()
    assert listed.uses == 3


async def test_names_are_matched_without_case_and_each_invite_is_new(database: Database) -> None:
    partners = PartnerService(database, ManualClock(NOW))
    first = await partners.invite(OrganisationRow("Ökolöwe", valid_days=1), created_by=99)
    second = await partners.invite(OrganisationRow("ökolöwe"), created_by=99)
    assert first.new_organisation and not second.new_organisation
    assert second.organisation == "Ökolöwe"
    assert first.code != second.code
    assert first.expires_at == NOW + timedelta(days=1)
    assert [invite.code for invite in await partners.invites()] == [second.code]


async def test_colleagues_confirming_at_once_never_exceed_their_organisations_places(
    database: Database,
) -> None:
    clock = ManualClock(NOW)
    partners = PartnerService(database, clock)
    row = OrganisationRow("Stadtwerke Leipzig", persons_allowed=3)
    issued = await partners.import_organisations([row], created_by=99)
    colleagues = range(1, 11)
    for user_id in colleagues:
        await partners.redeem(user_id, issued[0].code)
    programme = load_programme(SHIPPED_PROGRAMME)
    registrations = RegistrationService(
        EventContext(database, clock, Texts.load(), "de", lambda: programme)
    )
    await registrations.sync_event()

    results = await asyncio.gather(
        *(
            registrations.submit(user_id, RsvpAnswers(attending=True, name=f"P{user_id}"))
            for user_id in colleagues
        )
    )
    outcomes = [result.outcome for result in results]
    assert outcomes.count(Outcome.CONFIRMED) == 3
    assert outcomes.count(Outcome.QUOTA) == 7
    stored = [await registrations.current(user_id) for user_id in colleagues]
    assert sum(registration is not None for registration in stored) == 3
