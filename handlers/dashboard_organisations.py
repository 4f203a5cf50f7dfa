"""The dashboard's organisations page: partner organisations, their places and invite links.

Thin endpoints over `PartnerService`, the service behind /invite, /invites, /revoke and
/edit_organisation: the same rules (quota below what partners hold, names taken, the CSV
import all or nothing), the same texts for refusals, and the CSVs go into the organiser's chat
as the commands send them.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram.error import TelegramError
from telegram.helpers import create_deep_linked_url

from bot.dashboard.web import Visit, json_body, organiser_endpoint
from bot.partners.invites import (
    MAX_IMPORT_BYTES,
    InviteProblem,
    looks_like_code,
    new_organisation,
    organisation_changes,
    parse_organisations_csv,
)
from bot.partners.service import (
    InviteLink,
    NameTaken,
    OrganisationDetails,
    OrganisationOverview,
    QuotaBelowHeld,
)
from handlers.partners import send_invites_csv

log = logging.getLogger(__name__)


def _link(visit: Visit, link: InviteLink) -> dict[str, Any]:
    return {
        "code": link.code,
        "url": create_deep_linked_url(visit.bot.username, link.code),
        "uses": link.uses,
        "max_uses": link.max_uses,
        "uses_left": link.uses_left,
        "expires": visit.when(link.expires_at),
        "revoked": visit.when(link.revoked_at),
        "valid": link.valid(visit.services.clock.now()),
    }


def _details(details: OrganisationDetails) -> dict[str, Any]:
    return {
        "id": details.id,
        "name": details.name,
        "kind": details.kind,
        "contacts": details.contacts,
        "persons_allowed": details.persons_allowed,
        "persons_held": details.persons_held,
        "partners": details.partners,
        "valid_links": details.valid_links,
    }


def _organisation(visit: Visit, organisation: OrganisationOverview) -> dict[str, Any]:
    return {
        **_details(organisation.details),
        "confirmed_persons": organisation.confirmed_persons,
        "waitlisted_persons": organisation.waitlisted_persons,
        "registrations": organisation.registrations,
        "never_opened": organisation.never_opened,
        "nobody_registered": organisation.nobody_registered,
        "links": [_link(visit, link) for link in organisation.links],
    }


def _text(body: dict[str, Any], name: str) -> str | None:
    """A form field as text: strings and whole numbers; None when absent."""
    value = body.get(name)
    if isinstance(value, bool) or value is None:
        return None
    return str(value) if isinstance(value, int | str) else None


def _problem(visit: Visit, problem: InviteProblem, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": visit.message(problem.key, **problem.params)}, status_code=status)


def _quota_refused(visit: Visit, refusal: QuotaBelowHeld) -> JSONResponse:
    return JSONResponse(
        {
            "error": visit.message(
                "organisation.quota_below_held",
                organisation=refusal.organisation,
                allowed=refusal.allowed,
                held=refusal.held,
            ),
            "allowed": refusal.allowed,
            "held": refusal.held,
        },
        status_code=409,
    )


async def organisations(request: Request, visit: Visit) -> Response:
    """GET api/organisations: every organisation with places, partners and links."""
    found = await visit.services.partners.overview()
    return JSONResponse({"organisations": [_organisation(visit, row) for row in found]})


async def not_yet_come(request: Request, visit: Visit) -> Response:
    """GET api/organisations/missing: links never opened, and nobody registered yet."""
    found = await visit.services.partners.overview()

    def listed(rows: list[OrganisationOverview]) -> list[dict[str, Any]]:
        return [
            {
                "id": row.details.id,
                "name": row.details.name,
                "contacts": row.details.contacts,
                "partners": row.details.partners,
                "links": [_link(visit, link) for link in row.links if link.valid(now)],
            }
            for row in rows
        ]

    now = visit.services.clock.now()
    return JSONResponse(
        {
            "never_opened": listed([row for row in found if row.never_opened]),
            "nobody_registered": listed([row for row in found if row.nobody_registered]),
        }
    )


async def create(request: Request, visit: Visit) -> Response:
    """POST api/organisations {name, kind, contacts, places, uses, days}: as /invite."""
    body = await json_body(request)
    name = _text(body, "name") or ""
    if not name.strip():
        return JSONResponse({"error": visit.message("dashboard.ui.name_missing")}, 400)
    row = new_organisation(
        name,
        *(_text(body, name) for name in ("kind", "contacts", "places", "uses", "days")),
    )
    if isinstance(row, InviteProblem):
        return _problem(visit, row)
    issued = await visit.services.partners.import_organisations([row], visit.session.user_id)
    if isinstance(issued, QuotaBelowHeld):
        return _quota_refused(visit, issued)
    (invite,) = issued
    log.info("Dashboard: organiser %s created an invite link", visit.session.user_id)
    return JSONResponse(
        {
            "name": invite.organisation,
            "new": invite.new_organisation,
            "code": invite.code,
            "url": create_deep_linked_url(visit.bot.username, invite.code),
        }
    )


async def organisation(request: Request, visit: Visit) -> Response:
    """GET api/organisations/{id}: the organisation and its partners' registrations."""
    partners = visit.services.partners
    organisation_id = request.path_params["id"]
    details = await partners.organisation_details(organisation_id)
    people = await partners.partners_of(organisation_id)
    if details is None or people is None:
        return JSONResponse({"error": visit.message("dashboard.ui.gone")}, status_code=404)
    texts = visit.services.texts
    return JSONResponse(
        {
            **_details(details),
            "partners": [
                {
                    "name": person.name,
                    "username": person.username,
                    "registration_id": person.registration_id,
                    "status": person.status,
                    "status_label": texts.template(visit.language, f"rsvp.status.{person.status}")
                    if person.status
                    else None,
                    "persons": person.persons,
                    "checked_in": visit.when(person.checked_in_at),
                    "checked_in_persons": person.checked_in_persons,
                }
                for person in people
            ],
        }
    )


async def edit(request: Request, visit: Visit) -> Response:
    """POST api/organisations/{id} {name?, kind?, contacts?, places?}: as /edit_organisation;
    a field left out stays, an empty one is cleared (0 places: no limit of its own)."""
    body = await json_body(request)
    fields = {name: _text(body, name) for name in ("name", "kind", "contacts", "places")}
    if fields["places"] == "":  # no limit of its own, as places=0 in the chat
        fields["places"] = "0"
    changes = organisation_changes(**fields)
    if isinstance(changes, InviteProblem):
        return _problem(visit, changes)
    if not changes:
        return JSONResponse({"error": visit.message("dashboard.ui.nothing_changed")}, 400)
    result = await visit.services.partners.edit_organisation(request.path_params["id"], changes)
    if result is None:
        return JSONResponse({"error": visit.message("dashboard.ui.gone")}, status_code=404)
    if isinstance(result, QuotaBelowHeld):
        return _quota_refused(visit, result)
    if isinstance(result, NameTaken):
        error = visit.message("organisation.name_taken", name=result.name)
        return JSONResponse({"error": error}, status_code=409)
    log.info("Dashboard: organiser %s edited organisation %s", visit.session.user_id, result.id)
    return JSONResponse(_details(result))


async def revoke(request: Request, visit: Visit) -> Response:
    """POST api/invites/revoke {code}: the link stops linking partners; linked ones stay."""
    code = (await json_body(request)).get("code")
    if not isinstance(code, str) or not looks_like_code(code):
        return JSONResponse({"error": "bad request"}, status_code=400)
    revoked = await visit.services.partners.revoke(code)
    if revoked is None:
        return JSONResponse({"error": visit.message("dashboard.ui.gone")}, status_code=404)
    log.info("Dashboard: organiser %s revoked a link", visit.session.user_id)
    return JSONResponse({"organisation": revoked.organisation, "revoked": revoked.count})


async def import_csv(request: Request, visit: Visit) -> Response:
    """POST api/organisations/import (multipart, field `file`): the CSV of /invites, all or
    nothing; the new links go into the organiser's chat as CSV."""
    if int(request.headers.get("content-length") or 0) > MAX_IMPORT_BYTES + 64_000:
        return JSONResponse({"error": visit.message("invites.too_large", maximum="1 MB")}, 413)
    async with request.form(max_files=1, max_fields=4, max_part_size=MAX_IMPORT_BYTES) as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            return JSONResponse({"error": "bad request"}, status_code=400)
        data = await upload.read(MAX_IMPORT_BYTES + 1)
    rows = parse_organisations_csv(data)
    if not isinstance(rows, list):
        return JSONResponse({"error": visit.message(rows.key, **rows.params)}, status_code=400)
    issued = await visit.services.partners.import_organisations(rows, visit.session.user_id)
    if isinstance(issued, QuotaBelowHeld):
        return _quota_refused(visit, issued)
    sent = await _send_csv(visit, issued, "invites.imported_caption")
    return JSONResponse(
        {
            "imported": len(issued),
            "new": sum(invite.new_organisation for invite in issued),
            "sent": sent,
        }
    )


async def links_csv(request: Request, visit: Visit) -> Response:
    """POST api/invites/csv: every organisation's newest link as CSV, into the chat (/invites)."""
    issued = await visit.services.partners.invites()
    if not issued:
        return JSONResponse({"error": visit.message("dashboard.ui.no_links")}, status_code=404)
    sent = await _send_csv(visit, issued, "invites.list_caption")
    return JSONResponse({"sent": sent}, status_code=200 if sent else 502)


async def _send_csv(visit: Visit, issued: list[Any], caption_key: str) -> bool:
    try:
        await send_invites_csv(
            visit.bot, visit.services, visit.session.user_id, visit.language, issued, caption_key
        )
    except TelegramError as error:
        log.info("Dashboard links CSV not delivered: %s", type(error).__name__)
        return False
    return True


ROUTES = [
    Route("/api/organisations", organiser_endpoint(organisations), methods=["GET"]),
    Route("/api/organisations", organiser_endpoint(create), methods=["POST"]),
    Route("/api/organisations/missing", organiser_endpoint(not_yet_come), methods=["GET"]),
    Route("/api/organisations/import", organiser_endpoint(import_csv), methods=["POST"]),
    Route("/api/organisations/{id:int}", organiser_endpoint(organisation), methods=["GET"]),
    Route("/api/organisations/{id:int}", organiser_endpoint(edit), methods=["POST"]),
    Route("/api/invites/revoke", organiser_endpoint(revoke), methods=["POST"]),
    Route("/api/invites/csv", organiser_endpoint(links_csv), methods=["POST"]),
]
