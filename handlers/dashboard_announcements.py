"""The dashboard's announcements page: compose, preview, choose the audience, send, follow.

The text is Telegram's HTML subset; `bot.announcements.rules.payload_from_html` checks it as
the chat checks a composed message and turns it into the same payload (text and entities).
Sending goes through `AnnouncementService.send_now`: the same outbox, pacing and durability
as /broadcast, once per idempotency key from the page.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram.error import TelegramError

from bot.announcements.audiences import Audience, AudienceChoice
from bot.announcements.rules import Refusal, payload_from_html
from bot.announcements.service import BroadcastReport
from bot.announcements.views import audience_label
from bot.dashboard.web import MAX_TEXT_BODY, Visit, json_body, organiser_endpoint
from bot.programme.model import LANGUAGES
from handlers.announcements import send_undelivered_csv

log = logging.getLogger(__name__)

KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
MAX_ORGANISATIONS = 200


def _organisation_ids(value: object) -> tuple[int, ...] | None:
    """Organisation ids from the page: a list of whole numbers, or "1,2" in a query."""
    if isinstance(value, str):
        value = [part for part in value.split(",") if part]
        if not all(part.isdigit() for part in value):
            return None
        value = [int(part) for part in value]
    if not isinstance(value, list) or len(value) > MAX_ORGANISATIONS:
        return None
    if not all(isinstance(item, int) and not isinstance(item, bool) for item in value):
        return None
    return tuple(dict.fromkeys(value))


def _versions(visit: Visit, texts: object) -> dict[str, dict[str, Any]] | JSONResponse:
    """The checked payload of each language written; at least one."""
    if not isinstance(texts, dict) or not set(texts) <= set(LANGUAGES):
        return JSONResponse({"error": "bad request"}, status_code=400)
    versions = {}
    for language, source in texts.items():
        if not source:
            continue
        payload = payload_from_html(source if isinstance(source, str) else "")
        if isinstance(payload, Refusal):
            error = visit.message(payload.key, **payload.params)
            return JSONResponse({"error": error, "language": language}, status_code=400)
        versions[language] = payload
    if not versions:
        return JSONResponse({"error": visit.message("broadcast.refused_empty")}, 400)
    return versions


async def _counts(visit: Visit, organisation_ids: tuple[int, ...]) -> list[dict[str, Any]]:
    counts = await visit.services.announcements.audience_counts(
        visit.session.user_id, organisation_ids
    )
    texts = visit.services.texts
    return [
        {
            "key": audience.value,
            "label": texts.template(visit.language, f"broadcast.audience.{audience.value}"),
            "count": counts[audience],
        }
        for audience in Audience
    ]


def _report(visit: Visit, report: BroadcastReport) -> dict[str, Any]:
    counts, texts = report.counts, visit.services.texts
    return {
        "id": report.id,
        "created": visit.when(report.created_at),
        "status": report.status,
        "status_label": texts.template(visit.language, f"broadcast.status.{report.status}"),
        "audience": audience_label(texts, visit.language, report.audience, report.organisations),
        "sent": counts.sent,
        "unreachable": counts.unreachable,
        "failed": counts.failed,
        "pending": counts.pending,
        "cancelled": counts.cancelled,
        "total": counts.total,
    }


async def page_data(request: Request, visit: Visit) -> Response:
    """GET api/announcements: the organisations to narrow to, and the recent announcements."""
    announcements = visit.services.announcements
    options = await announcements.organisations(visit.session.user_id)
    return JSONResponse(
        {
            "organisations": [
                {"id": option.id, "name": option.name, "partners": option.partners}
                for option in options
            ],
            "history": [_report(visit, report) for report in await announcements.recent(20)],
        }
    )


async def audiences(request: Request, visit: Visit) -> Response:
    """GET api/announcements/audiences?organisations=1,2: each audience with its count."""
    ids = _organisation_ids(request.query_params.get("organisations", ""))
    if ids is None:
        return JSONResponse({"error": "bad request"}, status_code=400)
    return JSONResponse({"audiences": await _counts(visit, ids)})


async def preview(request: Request, visit: Visit) -> Response:
    """POST api/announcements/preview {texts: {de?, en?}}: what partners will see, or why not."""
    versions = _versions(visit, (await json_body(request, MAX_TEXT_BODY)).get("texts"))
    if isinstance(versions, JSONResponse):
        return versions
    return JSONResponse(
        {
            "versions": {
                language: {"text": payload["text"], "entities": payload["entities"]}
                for language, payload in versions.items()
            }
        }
    )


async def send(request: Request, visit: Visit) -> Response:
    """POST api/announcements {key, texts, audience, organisations}: into the outbox, once."""
    body = await json_body(request, MAX_TEXT_BODY)
    key, audience = body.get("key"), body.get("audience")
    ids = _organisation_ids(body.get("organisations", []))
    valid_key = isinstance(key, str) and KEY.match(key) is not None
    if not valid_key or audience not in set(Audience) or ids is None:
        return JSONResponse({"error": "bad request"}, status_code=400)
    versions = _versions(visit, body.get("texts"))
    if isinstance(versions, JSONResponse):
        return versions
    announcements = visit.services.announcements
    counts = await announcements.audience_counts(visit.session.user_id, ids)
    if counts[Audience(audience)] == 0:
        return JSONResponse({"error": visit.message("broadcast.empty_audience")}, 400)
    first = next(iter(versions.values()))
    content = {language: versions.get(language, first) for language in LANGUAGES}
    choice = AudienceChoice(Audience(audience), ids)
    sent = await announcements.send_now(visit.session.user_id, content, choice, key)
    if sent.queued is not None:
        visit.services.outbox.wake()
        log.info(
            "Dashboard: organiser %s sent announcement %s to %s partners",
            visit.session.user_id,
            sent.id,
            sent.queued,
        )
    report = await announcements.report(sent.id)
    assert report is not None
    return JSONResponse({**_report(visit, report), "again": sent.queued is None})


async def progress(request: Request, visit: Visit) -> Response:
    """GET api/announcements/{id}: the figures, polled by the page while it goes out."""
    report = await visit.services.announcements.report(request.path_params["id"])
    if report is None or report.status == "draft":
        return JSONResponse({"error": visit.message("dashboard.ui.gone")}, status_code=404)
    return JSONResponse(_report(visit, report))


async def cancel(request: Request, visit: Visit) -> Response:
    """POST api/announcements/{id}/cancel: nothing more goes out; what was delivered stays."""
    services, broadcast_id = visit.services, request.path_params["id"]
    stopped = await services.announcements.cancel(broadcast_id)
    report = await services.announcements.report(broadcast_id)
    if report is None:
        return JSONResponse({"error": visit.message("dashboard.ui.gone")}, status_code=404)
    if stopped:
        log.info("Dashboard: %s stopped announcement %s", visit.session.user_id, report.id)
        await services.announcement_progress.show(visit.bot, broadcast_id)  # a chat's message
    return JSONResponse({**_report(visit, report), "stopped": stopped})


async def undelivered(request: Request, visit: Visit) -> Response:
    """POST api/announcements/{id}/undelivered: who was not reached, as CSV into the chat."""
    services, broadcast_id = visit.services, request.path_params["id"]
    if await services.announcements.report(broadcast_id) is None:
        return JSONResponse({"error": visit.message("dashboard.ui.gone")}, status_code=404)
    try:
        await send_undelivered_csv(
            visit.bot, services, visit.session.user_id, visit.language, broadcast_id
        )
    except TelegramError as error:
        log.info("Dashboard undelivered CSV not delivered: %s", type(error).__name__)
        return JSONResponse({"sent": False}, status_code=502)
    return JSONResponse({"sent": True})


ROUTES = [
    Route("/api/announcements", organiser_endpoint(page_data), methods=["GET"]),
    Route("/api/announcements", organiser_endpoint(send), methods=["POST"]),
    Route("/api/announcements/audiences", organiser_endpoint(audiences), methods=["GET"]),
    Route("/api/announcements/preview", organiser_endpoint(preview), methods=["POST"]),
    Route("/api/announcements/{id:int}", organiser_endpoint(progress), methods=["GET"]),
    Route("/api/announcements/{id:int}/cancel", organiser_endpoint(cancel), methods=["POST"]),
    Route(
        "/api/announcements/{id:int}/undelivered",
        organiser_endpoint(undelivered),
        methods=["POST"],
    ),
]
