"""All repositories over one session: the only way from a service to SQL."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.announcements import AnnouncementRepository, AudienceRepository
from storage.checkin import TicketRepository
from storage.faq import FaqRepository
from storage.feedback import FeedbackRepository
from storage.organisers import OrganiserRepository
from storage.outbox import OutboxRepository
from storage.partners import InviteRepository, OrganisationRepository
from storage.privacy import PersonalDataRepository
from storage.questions import RelayRepository
from storage.registration import RegistrationRepository
from storage.status import StatusRepository
from storage.users import UserRepository


class Repositories:
    """All repositories over one session, so a user action is one transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.users = UserRepository(session)
        self.questions = RelayRepository(session)
        self.registrations = RegistrationRepository(session)
        self.outbox = OutboxRepository(session)
        self.announcements = AnnouncementRepository(session)
        self.audiences = AudienceRepository(session)
        self.organisations = OrganisationRepository(session)
        self.invites = InviteRepository(session)
        self.organisers = OrganiserRepository(session)
        self.personal_data = PersonalDataRepository(session)
        self.status = StatusRepository(session)
        self.checkin, self.feedback = TicketRepository(session), FeedbackRepository(session)
        self.faq = FaqRepository(session)
