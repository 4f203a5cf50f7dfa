"""The dashboard's API: thin endpoint functions, one per thing the page asks or does.

They sit in handlers/ because they are what the chat handlers are for the other face of the
bot: each reads the request, calls the feature's service (the same ones the commands call) and
renders the answer, here as JSON in the organiser's language. Sign-in and the organiser check
happen before any of them runs (`bot.dashboard.web.organiser_endpoint`). This module holds the
overview, registrations and door; the organisations, questions and announcements pages have
their own modules, whose routes `ROUTES` gathers.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram.error import TelegramError

from bot.checkin.service import CheckinOutcome
from bot.checkin.tickets import Ticket
from bot.dashboard.service import PAGE_SIZE, RegistrationRow
from bot.dashboard.web import Visit, json_body, organiser_endpoint
from bot.registration.rules import Dietary, Status
from bot.registration.views import dietary_label
from handlers import dashboard_announcements, dashboard_inbox, dashboard_organisations
from handlers.registration.reports import send_export
from storage.registration import LISTING_ORDERS, Listing

log = logging.getLogger(__name__)

MAX_QUERY = 100  # characters of a search


async def overview(request: Request, visit: Visit) -> Response:
    """GET api/overview: the figures of /stats, the door's counter, the outbox."""
    figures = await visit.services.dashboard.overview()
    summary = figures.summary
    return JSONResponse(
        {
            "capacity": summary.capacity,
            "confirmed_persons": summary.persons(Status.CONFIRMED),
            "seats_left": summary.seats_left,
            "counts": {
                "confirmed": summary.parties(Status.CONFIRMED),
                "waitlisted": summary.parties(Status.WAITLISTED),
                "declined": summary.parties(Status.DECLINED),
                "not_answered": summary.not_answered,
            },
            "history": [[at.isoformat(), persons] for at, persons in summary.history],
            "checked_in": {
                "parties": figures.checked_in_parties,
                "persons": figures.checked_in_persons,
            },
            "feedback": {"count": figures.feedback_count, "average": figures.feedback_average},
            "next_reminder": visit.when(figures.next_reminder),
            "pending_outbox": figures.pending_outbox,
        }
    )


async def live(request: Request, visit: Visit) -> Response:
    """GET api/live: checked in so far, polled by the open page every few seconds."""
    parties, persons = await visit.services.checkin.figures()
    return JSONResponse({"parties": parties, "persons": persons})


def _row(visit: Visit, row: RegistrationRow) -> dict[str, Any]:
    texts, language = visit.services.texts, visit.language
    return {
        "id": row.id,
        "name": row.name,
        "organisation": row.organisation,
        "persons": row.persons,
        "status": row.status,
        "status_label": texts.template(language, f"rsvp.status.{row.status}"),
        "registered": visit.when(row.registered_at),
        "checked_in": visit.when(row.checked_in_at),
    }


def _listing(request: Request) -> Listing | None:
    params = request.query_params
    status = params.get("status") or None
    order = params.get("sort") or "name"
    try:
        page = max(1, int(params.get("page") or 1))
    except ValueError:
        return None
    if (status is not None and status not in set(Status)) or order not in LISTING_ORDERS:
        return None
    return Listing(
        status=status,
        organisation=params.get("organisation") or None,
        order=order,
        offset=(page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )


async def registrations(request: Request, visit: Visit) -> Response:
    """GET api/registrations?status=&q=&organisation=&sort=&page=: one page of the table."""
    listing = _listing(request)
    if listing is None:
        return JSONResponse({"error": "bad request"}, status_code=400)
    query = request.query_params.get("q", "")[:MAX_QUERY]
    found = await visit.services.dashboard.registrations(listing, query)
    return JSONResponse(
        {
            "rows": [_row(visit, row) for row in found.rows],
            "total": found.total,
            "page_size": PAGE_SIZE,
            "counts": found.counts,
            "organisations": found.organisations,
        }
    )


async def registration(request: Request, visit: Visit) -> Response:
    """GET api/registrations/{id}: everything about one registration."""
    row = await visit.services.dashboard.registration(request.path_params["id"])
    if row is None:
        return JSONResponse({"error": "not found"}, status_code=404)
    texts, language = visit.services.texts, visit.language
    dietary = Dietary(row.dietary) if row.dietary else None
    return JSONResponse(
        {
            **_row(visit, row),
            "dietary": dietary_label(texts, language, dietary, row.dietary_note),
            "accessibility": row.accessibility,
            "language": row.language,
            "consent": visit.when(row.consent_at),
            "changed": visit.when(row.changed_at),
            "ticket": row.has_ticket,
            "checked_in_persons": row.checked_in_persons,
            "checked_in_by": row.checked_in_by,
        }
    )


async def export(request: Request, visit: Visit) -> Response:
    """POST api/export: the CSV of /export, into the organiser's chat with the bot."""
    try:
        await send_export(visit.bot, visit.services, visit.session.user_id, visit.language)
    except TelegramError as error:
        log.info("Dashboard export not delivered: %s", type(error).__name__)
        return JSONResponse({"sent": False}, status_code=502)
    return JSONResponse({"sent": True})


def _card(visit: Visit, ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.registration_id,
        "token": ticket.token,
        "name": ticket.name,
        "organisation": ticket.organisation,
        "persons": ticket.persons,
        "checked_in": visit.when(ticket.checked_in_at),
        "checked_in_persons": ticket.checked_in_persons,
        "checked_in_by": ticket.checked_in_by,
    }


async def door_search(request: Request, visit: Visit) -> Response:
    """GET api/door?q=: the confirmed registrations /checkin would find."""
    query = request.query_params.get("q", "")[:MAX_QUERY]
    found = await visit.services.checkin.find(query)
    return JSONResponse(
        {
            "matches": [
                {
                    "id": match.registration_id,
                    "name": match.name,
                    "organisation": match.organisation,
                    "persons": match.persons,
                }
                for match in found.matches
            ]
        }
    )


async def door_card(request: Request, visit: Visit) -> Response:
    """GET api/door/{id}: the card of a confirmed registration."""
    ticket = await visit.services.checkin.ticket(request.path_params["id"])
    if ticket is None:
        return JSONResponse({"error": "not found"}, status_code=404)
    return JSONResponse(_card(visit, ticket))


async def _door_action(request: Request, visit: Visit, *, undo: bool) -> Response:
    body = await json_body(request)
    token, persons = body.get("token"), body.get("persons", 0)
    if not isinstance(token, str) or not isinstance(persons, int) or isinstance(persons, bool):
        return JSONResponse({"error": "bad request"}, status_code=400)
    registration_id, checkin = request.path_params["id"], visit.services.checkin
    if undo:
        result = await checkin.undo(registration_id, token)
    elif persons >= 1:
        result = await checkin.check_in(registration_id, token, persons, visit.session.user_id)
    else:
        return JSONResponse({"error": "bad request"}, status_code=400)
    if result.outcome in (CheckinOutcome.CHECKED_IN, CheckinOutcome.UNDONE):
        log.info(
            "Registration %s %s by %s on the dashboard",
            registration_id,
            result.outcome.value,
            visit.session.user_id,
        )
    card = _card(visit, result.ticket) if result.ticket is not None else None
    return JSONResponse({"outcome": result.outcome.value, "card": card})


async def check_in(request: Request, visit: Visit) -> Response:
    """POST api/door/{id}/checkin {token, persons}: the rule of the QR card's buttons."""
    return await _door_action(request, visit, undo=False)


async def undo_check_in(request: Request, visit: Visit) -> Response:
    """POST api/door/{id}/undo {token}: take a check-in back."""
    return await _door_action(request, visit, undo=True)


ROUTES = [
    Route("/api/overview", organiser_endpoint(overview), methods=["GET"]),
    Route("/api/live", organiser_endpoint(live), methods=["GET"]),
    Route("/api/registrations", organiser_endpoint(registrations), methods=["GET"]),
    Route("/api/registrations/{id:int}", organiser_endpoint(registration), methods=["GET"]),
    Route("/api/export", organiser_endpoint(export), methods=["POST"]),
    Route("/api/door", organiser_endpoint(door_search), methods=["GET"]),
    Route("/api/door/{id:int}", organiser_endpoint(door_card), methods=["GET"]),
    Route("/api/door/{id:int}/checkin", organiser_endpoint(check_in), methods=["POST"]),
    Route("/api/door/{id:int}/undo", organiser_endpoint(undo_check_in), methods=["POST"]),
    *dashboard_organisations.ROUTES,
    *dashboard_inbox.ROUTES,
    *dashboard_announcements.ROUTES,
]
