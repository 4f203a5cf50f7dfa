"""Partner organisations and their invite links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Invite, Organisation, Registration, User


@dataclass(frozen=True)
class PartnerRow:
    """A partner linked to an organisation, with their registration of the event, if any."""

    user: User
    registration: Registration | None


def name_key(name: str) -> str:
    return " ".join(name.casefold().split())


class OrganisationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def find_by_name(self, name: str) -> Organisation | None:
        """Names are matched without regard to case, so "stadtwerke leipzig" finds the record."""
        return await self._session.scalar(
            select(Organisation).where(Organisation.name_key == name_key(name))
        )

    async def get(self, organisation_id: int, *, lock: bool = False) -> Organisation | None:
        """With `lock`, registrations checking the quota wait until the transaction ends."""
        return await self._session.get(Organisation, organisation_id, with_for_update=lock)

    async def add(
        self,
        name: str,
        now: datetime,
        *,
        kind: str | None = None,
        contacts: str | None = None,
        persons_allowed: int | None = None,
    ) -> Organisation:
        organisation = Organisation(
            name=name,
            name_key=name_key(name),
            kind=kind,
            contacts=contacts,
            persons_allowed=persons_allowed,
            created_at=now,
        )
        self._session.add(organisation)
        await self._session.flush()
        return organisation

    async def all(self) -> list[Organisation]:
        return list(await self._session.scalars(select(Organisation)))

    async def member_counts(self) -> dict[int, int]:
        """Linked Telegram users per organisation."""
        rows = await self._session.execute(
            select(User.organisation_id, func.count())
            .where(User.organisation_id.is_not(None))
            .group_by(User.organisation_id)
        )
        return {organisation_id: count for organisation_id, count in rows}

    async def quota_of(
        self, user_id: int, event_key: str, *, lock: bool = False
    ) -> tuple[Organisation, int] | None:
        """The user's organisation and how many persons its quota still allows them, if any.

        With `lock`, the organisation's row stays locked until the transaction ends, so
        colleagues confirming at the same moment take turns on PostgreSQL (SQLite runs one
        writing transaction at a time anyway).
        """
        user = await self._session.get(User, user_id)
        if user is None or user.organisation_id is None:
            return None
        query = select(Organisation).where(Organisation.id == user.organisation_id)
        organisation = await self._session.scalar(query.with_for_update() if lock else query)
        if organisation is None or organisation.persons_allowed is None:
            return None
        taken = await self.persons_registered(organisation.id, event_key, excluding_user=user_id)
        return organisation, max(0, organisation.persons_allowed - taken)

    async def persons_registered(
        self, organisation_id: int, event_key: str, *, excluding_user: int | None = None
    ) -> int:
        """Persons (colleagues of) one organisation hold, confirmed or on the waitlist."""
        query = (
            select(func.coalesce(func.sum(Registration.persons), 0))
            .join(User, User.id == Registration.user_id)
            .where(
                User.organisation_id == organisation_id,
                Registration.event_key == event_key,
                Registration.status.in_(("confirmed", "waitlisted")),
            )
        )
        if excluding_user is not None:
            query = query.where(User.id != excluding_user)
        return int(await self._session.scalar(query) or 0)

    async def registrations_by_status(
        self, event_key: str
    ) -> dict[int, dict[str, tuple[int, int]]]:
        """Per organisation and status: (registrations, persons) of its linked partners."""
        rows = await self._session.execute(
            select(
                User.organisation_id,
                Registration.status,
                func.count(),
                func.coalesce(func.sum(Registration.persons), 0),
            )
            .join(User, User.id == Registration.user_id)
            .where(User.organisation_id.is_not(None), Registration.event_key == event_key)
            .group_by(User.organisation_id, Registration.status)
        )
        found: dict[int, dict[str, tuple[int, int]]] = {}
        for organisation_id, status, parties, persons in rows:
            found.setdefault(organisation_id, {})[status] = (parties, int(persons))
        return found

    async def partners(self, organisation_id: int, event_key: str) -> list[PartnerRow]:
        """Linked partners, with this event's registration, in the order they were linked."""
        rows = await self._session.execute(
            select(User, Registration)
            .outerjoin(
                Registration,
                and_(Registration.user_id == User.id, Registration.event_key == event_key),
            )
            .where(User.organisation_id == organisation_id)
            .order_by(User.first_seen, User.id)
        )
        return [PartnerRow(user, registration) for user, registration in rows]

    async def rename(self, organisation: Organisation, name: str) -> bool:
        """False if another organisation already has this name (compared case-folded)."""
        other = await self.find_by_name(name)
        if other is not None and other.id != organisation.id:
            return False
        organisation.name, organisation.name_key = name, name_key(name)
        await self._session.flush()
        return True


class InviteRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        code: str,
        organisation_id: int,
        created_by: int,
        now: datetime,
        *,
        max_uses: int | None = None,
        expires_at: datetime | None = None,
    ) -> Invite:
        invite = Invite(
            code=code,
            organisation_id=organisation_id,
            created_by=created_by,
            created_at=now,
            max_uses=max_uses,
            expires_at=expires_at,
        )
        self._session.add(invite)
        await self._session.flush()
        return invite

    async def find(self, code: str) -> Invite | None:
        return await self._session.scalar(select(Invite).where(Invite.code == code))

    async def redeem(self, code: str, now: datetime) -> int | None:
        """Count one use if the code is valid now, in one conditional UPDATE; the organisation.

        Two partners redeeming the last use at once: the database serialises the UPDATE, so
        only one of them gets it.
        """
        return await self._session.scalar(
            update(Invite)
            .where(
                Invite.code == code,
                or_(Invite.max_uses.is_(None), Invite.uses < Invite.max_uses),
                or_(Invite.expires_at.is_(None), Invite.expires_at > now),
                Invite.revoked_at.is_(None),
            )
            .values(uses=Invite.uses + 1)
            .returning(Invite.organisation_id)
        )

    async def latest_per_organisation(self) -> dict[int, Invite]:
        """The newest link of each organisation that was not revoked, for the organisers' list."""
        invites = await self._session.scalars(
            select(Invite).where(Invite.revoked_at.is_(None)).order_by(Invite.id)
        )
        return {invite.organisation_id: invite for invite in invites}

    async def all(self) -> list[Invite]:
        """Every link, oldest first, revoked ones too (organisers see what became of them)."""
        return list(await self._session.scalars(select(Invite).order_by(Invite.id)))

    async def revoke(
        self, now: datetime, *, code: str | None = None, organisation_id: int | None = None
    ) -> int:
        """Revoke one link (`code`) or every link of an organisation; how many were still valid.

        Partners who opened a link before stay linked: only redeeming stops.
        """
        condition = (
            Invite.code == code if code is not None else Invite.organisation_id == organisation_id
        )
        revoked = await self._session.scalars(
            update(Invite)
            .where(condition, Invite.revoked_at.is_(None))
            .values(revoked_at=now)
            .returning(Invite.id)
        )
        return len(list(revoked))

    async def valid_count(self, organisation_id: int, now: datetime) -> int:
        """Links of the organisation that would still link a partner now."""
        return int(
            await self._session.scalar(
                select(func.count()).where(
                    Invite.organisation_id == organisation_id,
                    Invite.revoked_at.is_(None),
                    or_(Invite.max_uses.is_(None), Invite.uses < Invite.max_uses),
                    or_(Invite.expires_at.is_(None), Invite.expires_at > now),
                )
            )
            or 0
        )
