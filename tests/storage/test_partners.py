"""Invite links on a real database: the last use goes to one partner only."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.clock import ManualClock
from bot.core.event_context import EventContext
from bot.core.texts import Texts
from bot.partners.invites import OrganisationChanges, OrganisationRow
from bot.partners.service import (
    NameTaken,
    OrganisationDetails,
    PartnerService,
    QuotaBelowHeld,
    Redemption,
)
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


async def test_revoked_links_link_nobody_and_registrations_follow_a_new_name(
    database: Database,
) -> None:
    clock = ManualClock(NOW)
    programme = load_programme(SHIPPED_PROGRAMME)
    partners = PartnerService(database, clock, lambda: programme.event_key)
    first = await partners.invite(OrganisationRow("Stadtwerke Leipzig"), created_by=99)
    second = await partners.invite(OrganisationRow("Stadtwerke Leipzig"), created_by=99)
    assert (await partners.redeem(1, first.code)).outcome is Redemption.LINKED

    revoked = await partners.revoke(f"https://t.me/bot?start={second.code}")
    assert revoked is not None and revoked.count == 1
    assert (await partners.redeem(2, second.code)).outcome is Redemption.EXPIRED
    assert (await partners.redeem(3, first.code)).outcome is Redemption.LINKED
    revoked = await partners.revoke("STADTWERKE leipzig")
    assert revoked is not None and revoked.count == 1
    assert (await partners.redeem(4, first.code)).outcome is Redemption.EXPIRED
    assert await partners.revoke("Nobody") is None
    assert await partners.invites() == []

    registrations = RegistrationService(
        EventContext(database, clock, Texts.load(), "de", lambda: programme)
    )
    await registrations.sync_event()
    answers = RsvpAnswers(attending=True, name="P1", organisation="Stadtwerke Leipzig", persons=2)
    await registrations.submit(1, answers)
    organisation = await partners.find_organisation("Stadtwerke Leipzig")
    assert organisation is not None and organisation.persons_held == 2

    refused = await partners.edit_organisation(
        organisation.id, OrganisationChanges(name="SWL", persons_allowed=1)
    )
    assert refused == QuotaBelowHeld("Stadtwerke Leipzig", 1, 2)
    unchanged = await registrations.current(1)
    assert unchanged is not None and unchanged.organisation == "Stadtwerke Leipzig"

    edited = await partners.edit_organisation(
        organisation.id, OrganisationChanges(name="SWL", persons_allowed=2)
    )
    assert isinstance(edited, OrganisationDetails) and edited.persons_allowed == 2
    renamed = await registrations.all()
    assert [registration.organisation for registration in renamed] == ["SWL"]
    await partners.invite(OrganisationRow("Ökolöwe"), created_by=99)
    taken = await partners.edit_organisation(organisation.id, OrganisationChanges(name="ökolöwe"))
    assert taken == NameTaken("ökolöwe")
