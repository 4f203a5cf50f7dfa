"""Partner organisations and their invite links: issuing, importing and redeeming them.

Redeeming links a Telegram user to one organisation; with `ACCESS=invite` only linked partners
may register, and the organisation they register for is the one of their invite.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.core.clock import Clock
from bot.partners.invites import (
    FailedCodes,
    OrganisationChanges,
    OrganisationRow,
    looks_like_code,
    new_code,
)
from storage.database import Database
from storage.models import Invite, Organisation
from storage.repositories import Repositories


class Redemption(StrEnum):
    LINKED = "linked"
    ALREADY = "already"  # linked to this organisation before; no use counted
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED_UP = "used_up"
    BLOCKED = "blocked"  # too many unknown codes lately


@dataclass(frozen=True)
class Redeemed:
    outcome: Redemption
    organisation: str | None = None
    wait: timedelta | None = None  # BLOCKED: how long until the user may try again


@dataclass(frozen=True)
class IssuedInvite:
    organisation: str
    kind: str | None
    code: str
    max_uses: int | None
    uses: int
    expires_at: datetime | None
    new_organisation: bool = False


@dataclass(frozen=True)
class PartnerOrganisation:
    id: int
    name: str
    persons_allowed: int | None
    # Persons the partner may still register for an event, if asked for one and there is a quota.
    places_left: int | None = None


@dataclass(frozen=True)
class OrganisationDetails:
    """An organisation as organisers see and edit it, with what its partners hold now."""

    id: int
    name: str
    kind: str | None
    contacts: str | None
    persons_allowed: int | None
    persons_held: int  # confirmed and waitlisted persons of its partners, this event
    partners: int  # linked Telegram users
    valid_links: int


@dataclass  # not frozen: Python sets an exception's __traceback__
class QuotaBelowHeld(Exception):
    """Places allowed would be fewer than the organisation's partners already hold."""

    organisation: str
    allowed: int
    held: int


@dataclass(frozen=True)
class NameTaken:
    """Another organisation already has the new name."""

    name: str


@dataclass(frozen=True)
class InviteLink:
    """One invite link as organisers see it on the dashboard."""

    code: str
    max_uses: int | None
    uses: int
    expires_at: datetime | None
    revoked_at: datetime | None

    @property
    def uses_left(self) -> int | None:
        return None if self.max_uses is None else max(0, self.max_uses - self.uses)

    def valid(self, now: datetime) -> bool:
        """Would link a partner now: the same conditions as `InviteRepository.redeem`."""
        return (
            self.revoked_at is None
            and (self.uses_left is None or self.uses_left > 0)
            and (self.expires_at is None or self.expires_at > now)
        )


@dataclass(frozen=True)
class OrganisationOverview:
    """An organisation with its places, its partners' registrations and every link."""

    details: OrganisationDetails
    confirmed_persons: int
    waitlisted_persons: int
    registrations: int  # its partners' registrations of the event, declined ones too
    links: tuple[InviteLink, ...]

    @property
    def never_opened(self) -> bool:
        """Links were sent but nobody opened one: worth a follow-up mail."""
        return bool(self.links) and not any(link.uses for link in self.links)

    @property
    def nobody_registered(self) -> bool:
        """Partners are linked, but none of them answered the invitation yet."""
        return self.details.partners > 0 and self.registrations == 0


@dataclass(frozen=True)
class PartnerOfOrganisation:
    """A linked partner with their registration of the event and check-in, if any."""

    user_id: int
    name: str
    username: str | None
    registration_id: int | None
    status: str | None
    persons: int | None
    checked_in_at: datetime | None
    checked_in_persons: int | None


@dataclass(frozen=True)
class RevokedLinks:
    organisation: str
    count: int  # links that were still unrevoked


def _issued(organisation: Organisation, invite: Invite, *, new: bool = False) -> IssuedInvite:
    return IssuedInvite(
        organisation=organisation.name,
        kind=organisation.kind,
        code=invite.code,
        max_uses=invite.max_uses,
        uses=invite.uses,
        expires_at=invite.expires_at,
        new_organisation=new,
    )


class PartnerService:
    def __init__(
        self,
        database: Database,
        clock: Clock,
        current_event: Callable[[], str | None] = lambda: None,
    ) -> None:
        self._database = database
        self._clock = clock
        self._current_event = current_event  # the event whose registrations count against quotas
        self._failed = FailedCodes()

    async def invite(self, row: OrganisationRow, created_by: int) -> IssuedInvite:
        """A new link for the organisation, created first if it is not known yet."""
        (issued,) = await self.import_organisations([row], created_by)
        return issued

    async def import_organisations(
        self, rows: list[OrganisationRow], created_by: int
    ) -> list[IssuedInvite] | QuotaBelowHeld:
        """All rows in one transaction: known organisations are updated, each gets a new link.

        A row allowing fewer places than the organisation's partners hold refuses the whole file.
        """
        try:
            return await self._import(rows, created_by)
        except QuotaBelowHeld as refusal:
            return refusal

    async def _import(self, rows: list[OrganisationRow], created_by: int) -> list[IssuedInvite]:
        now = self._clock.now()
        issued: list[IssuedInvite] = []
        async with self._database.transaction() as repositories:
            for row in rows:
                organisation = await repositories.organisations.find_by_name(row.name)
                new = organisation is None
                if organisation is None:
                    organisation = await repositories.organisations.add(row.name, now)
                organisation.kind = row.kind or organisation.kind
                organisation.contacts = row.contacts or organisation.contacts
                if row.persons_allowed is not None:
                    await self._check_quota(repositories, organisation, row.persons_allowed)
                    organisation.persons_allowed = row.persons_allowed
                invite = await repositories.invites.add(
                    new_code(),
                    organisation.id,
                    created_by,
                    now,
                    max_uses=row.max_uses,
                    expires_at=row.expires_at(now),
                )
                issued.append(_issued(organisation, invite, new=new))
        return issued

    async def invites(self) -> list[IssuedInvite]:
        """Every organisation with its newest link, for the organisers' CSV."""
        async with self._database.transaction() as repositories:
            latest = await repositories.invites.latest_per_organisation()
            organisations = await repositories.organisations.all()
        # Sorted here: PostgreSQL's and SQLite's collations order names differently.
        return [
            _issued(organisation, latest[organisation.id])
            for organisation in sorted(organisations, key=lambda o: o.name.casefold())
            if organisation.id in latest
        ]

    async def redeem(self, user_id: int, code: str) -> Redeemed:
        now = self._clock.now()
        wait = self._failed.blocked_for(user_id, now)
        if wait is not None:
            return Redeemed(Redemption.BLOCKED, wait=wait)
        async with self._database.transaction() as repositories:
            invite = await repositories.invites.find(code) if looks_like_code(code) else None
            if invite is None:
                self._failed.record(user_id, now)
                return Redeemed(Redemption.UNKNOWN)
            organisation = await repositories.organisations.get(invite.organisation_id)
            assert organisation is not None  # invites cascade with their organisation
            user = await repositories.users.get(user_id)
            if user is not None and user.organisation_id == organisation.id:
                return Redeemed(Redemption.ALREADY, organisation.name)
            if await repositories.invites.redeem(code, now) is None:
                # A revoked link reads like an expired one: ask the organisers for a new one.
                expired = invite.revoked_at is not None or (
                    invite.expires_at is not None and invite.expires_at <= now
                )
                return Redeemed(Redemption.EXPIRED if expired else Redemption.USED_UP)
            await repositories.users.link_organisation(user_id, organisation.id, organisation.name)
            return Redeemed(Redemption.LINKED, organisation.name)

    async def organisation_of(
        self, user_id: int, event_key: str | None = None
    ) -> PartnerOrganisation | None:
        """The partner's organisation; with `event_key`, also the places its quota leaves them.

        Colleagues' confirmed and waitlisted persons count against the quota; the partner's own
        registration does not, so they can always change it within the quota. Confirming
        checks again (`RegistrationService.submit`), in case colleagues were quicker.
        """
        async with self._database.transaction() as repositories:
            user = await repositories.users.get(user_id)
            if user is None or user.organisation_id is None:
                return None
            organisation = await repositories.organisations.get(user.organisation_id)
            if organisation is None:
                return None
            places = None
            if event_key is not None and organisation.persons_allowed is not None:
                taken = await repositories.organisations.persons_registered(
                    organisation.id, event_key, excluding_user=user_id
                )
                places = max(0, organisation.persons_allowed - taken)
        return PartnerOrganisation(
            organisation.id, organisation.name, organisation.persons_allowed, places
        )

    async def revoke(self, target: str) -> RevokedLinks | None:
        """Revoke one link (its code, or the whole link) or every link of an organisation.

        None if neither a link nor an organisation of that name is known.
        """
        code = target.rsplit("start=", 1)[-1].strip()
        now = self._clock.now()
        async with self._database.transaction() as repositories:
            invite = await repositories.invites.find(code) if looks_like_code(code) else None
            if invite is not None:
                organisation = await repositories.organisations.get(invite.organisation_id)
                count = await repositories.invites.revoke(now, code=code)
            else:
                organisation = await repositories.organisations.find_by_name(target)
                if organisation is None:
                    return None
                count = await repositories.invites.revoke(now, organisation_id=organisation.id)
            assert organisation is not None  # invites cascade with their organisation
            return RevokedLinks(organisation.name, count)

    async def overview(self) -> list[OrganisationOverview]:
        """Every organisation by name, with places used, partners and links (dashboard)."""
        event_key = self._current_event()
        async with self._database.transaction() as repositories:
            organisations = await repositories.organisations.all()
            members = await repositories.organisations.member_counts()
            held = (
                await repositories.organisations.registrations_by_status(event_key)
                if event_key is not None
                else {}
            )
            links: dict[int, list[InviteLink]] = {}
            for invite in await repositories.invites.all():
                links.setdefault(invite.organisation_id, []).append(
                    InviteLink(
                        invite.code,
                        invite.max_uses,
                        invite.uses,
                        invite.expires_at,
                        invite.revoked_at,
                    )
                )
        now = self._clock.now()
        overviews = []
        for organisation in sorted(organisations, key=lambda o: o.name.casefold()):
            statuses = held.get(organisation.id, {})
            confirmed = statuses.get("confirmed", (0, 0))[1]
            waitlisted = statuses.get("waitlisted", (0, 0))[1]
            own = tuple(links.get(organisation.id, ()))
            details = OrganisationDetails(
                id=organisation.id,
                name=organisation.name,
                kind=organisation.kind,
                contacts=organisation.contacts,
                persons_allowed=organisation.persons_allowed,
                persons_held=confirmed + waitlisted,
                partners=members.get(organisation.id, 0),
                valid_links=sum(link.valid(now) for link in own),
            )
            registrations = sum(parties for parties, _ in statuses.values())
            overviews.append(
                OrganisationOverview(details, confirmed, waitlisted, registrations, own)
            )
        return overviews

    async def partners_of(self, organisation_id: int) -> list[PartnerOfOrganisation] | None:
        """The organisation's linked partners with their registrations; None if it is gone."""
        event_key = self._current_event() or ""
        async with self._database.transaction() as repositories:
            if await repositories.organisations.get(organisation_id) is None:
                return None
            rows = await repositories.organisations.partners(organisation_id, event_key)
        return [
            PartnerOfOrganisation(
                user_id=row.user.id,
                name=" ".join(part for part in (row.user.first_name, row.user.last_name) if part),
                username=row.user.username,
                registration_id=row.registration.id if row.registration else None,
                status=row.registration.status if row.registration else None,
                persons=row.registration.persons if row.registration else None,
                checked_in_at=row.registration.checked_in_at if row.registration else None,
                checked_in_persons=row.registration.checked_in_persons
                if row.registration
                else None,
            )
            for row in rows
        ]

    async def find_organisation(self, name: str) -> OrganisationDetails | None:
        async with self._database.transaction() as repositories:
            organisation = await repositories.organisations.find_by_name(name)
            if organisation is None:
                return None
            return await self._details(repositories, organisation)

    async def organisation_details(self, organisation_id: int) -> OrganisationDetails | None:
        async with self._database.transaction() as repositories:
            organisation = await repositories.organisations.get(organisation_id)
            if organisation is None:
                return None
            return await self._details(repositories, organisation)

    async def edit_organisation(
        self, organisation_id: int, changes: OrganisationChanges
    ) -> OrganisationDetails | QuotaBelowHeld | NameTaken | None:
        """Change what is given in `changes`; None if the organisation is gone.

        Registrations read the organisation's current name, so a new name shows everywhere.
        """
        try:
            async with self._database.transaction() as repositories:
                organisation = await repositories.organisations.get(organisation_id, lock=True)
                if organisation is None:
                    return None
                if changes.persons_allowed is not None:
                    allowed = changes.persons_allowed or None  # 0: no quota of its own
                    if allowed is not None:
                        await self._check_quota(repositories, organisation, allowed)
                    organisation.persons_allowed = allowed
                if changes.name is not None and not await repositories.organisations.rename(
                    organisation, changes.name
                ):
                    return NameTaken(changes.name)
                if changes.kind is not None:
                    organisation.kind = changes.kind or None
                if changes.contacts is not None:
                    organisation.contacts = changes.contacts or None
                return await self._details(repositories, organisation)
        except QuotaBelowHeld as refusal:
            return refusal

    async def _check_quota(
        self, repositories: Repositories, organisation: Organisation, allowed: int
    ) -> None:
        """Raise (rolling the transaction back) if the partners already hold more places."""
        event_key = self._current_event()
        if event_key is None:
            return
        held = await repositories.organisations.persons_registered(organisation.id, event_key)
        if allowed < held:
            raise QuotaBelowHeld(organisation.name, allowed, held)

    async def _details(
        self, repositories: Repositories, organisation: Organisation
    ) -> OrganisationDetails:
        event_key = self._current_event()
        held = (
            await repositories.organisations.persons_registered(organisation.id, event_key)
            if event_key is not None
            else 0
        )
        members = await repositories.organisations.member_counts()
        return OrganisationDetails(
            id=organisation.id,
            name=organisation.name,
            kind=organisation.kind,
            contacts=organisation.contacts,
            persons_allowed=organisation.persons_allowed,
            persons_held=held,
            partners=members.get(organisation.id, 0),
            valid_links=await repositories.invites.valid_count(organisation.id, self._clock.now()),
        )
