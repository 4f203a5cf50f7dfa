"""The dashboard's web side: the page, its files, security headers, and who may call the API.

Every page and file is served from here (no CDN, no build step). The page itself holds no data:
it reads Telegram's launch data from its URL fragment, signs in (`POST api/signin`) and sends
the short-lived token it gets in the `Authorization` header. Every API call passes
`organiser_endpoint`, which asks again whether the user is an organiser, so a removed organiser
is refused at the next click. A refusal says only "open the dashboard from the bot again".
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from telegram import Bot

from bot.core.telegram_html import plain_text
from bot.core.timefmt import format_datetime
from bot.dashboard.service import DashboardService, SignedOut
from bot.dashboard.sessions import Session
from bot.dashboard.signin import language_hint
from bot.programme.model import LANGUAGES, Language

if TYPE_CHECKING:
    from bot.core.services import Services

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
TELEGRAM_WEB_CLIENTS = "https://web.telegram.org"
MAX_BODY = 16_384  # bytes of a JSON request; launch data and actions are far smaller
# Formatted texts (announcements, answers) in both languages: up to 4096 characters each with
# their tags, in UTF-8 (an emoji takes 4 bytes).
MAX_TEXT_BODY = 96_000
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
        f"frame-ancestors 'self' {TELEGRAM_WEB_CLIENTS}"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

_templates = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
)


@dataclass(frozen=True)
class Visit:
    """What an API endpoint gets: the signed-in organiser, their language, the bot's pieces."""

    session: Session
    language: Language
    services: Services
    bot: Bot

    def when(self, moment: datetime | None) -> str | None:
        """A moment as the organiser reads it (Europe/Berlin, their language)."""
        return format_datetime(moment, self.language) if moment is not None else None

    def message(self, key: str, /, **params: object) -> str:
        """A text of the chat's catalogue without its formatting, for the page to show."""
        return plain_text(self.services.texts.get(self.language, key, **params))

    def error(self, key: str, /, status: int = 400, **params: object) -> JSONResponse:
        """A refusal the page shows as it is: a text of the catalogue saying what to do."""
        return JSONResponse({"error": self.message(key, **params)}, status_code=status)


Endpoint = Callable[[Request, Visit], Awaitable[Response]]


class SecurityHeaders:
    """The same headers on every answer, pages, files and refusals alike; no-store on all but
    the static files, since every API answer holds personal data."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = "/static/" in scope["path"]

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                extra = dict(SECURITY_HEADERS)
                extra["Cache-Control"] = "no-cache" if static else "no-store"
                headers += [(k.lower().encode(), v.encode()) for k, v in extra.items()]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def client_address(request: Request, trusted_proxies: frozenset[str]) -> str:
    """Who is asking: X-Forwarded-For only when the request comes from a trusted proxy, and
    then the last address in it that is not one of those proxies."""
    peer = request.client.host if request.client else "unknown"
    if peer not in trusted_proxies:
        return peer
    forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",")]
    for address in reversed([part for part in forwarded if part]):
        if address not in trusted_proxies:
            return address
    return peer


def refusal(services: Services, status: int, language: str | None) -> JSONResponse:
    """The one answer to anything refused: open the dashboard from the bot again. In the user's
    language when it is known, else in both."""
    texts = services.texts
    languages: tuple[Language, ...] = tuple(
        code for code in LANGUAGES if language and language.lower().startswith(code)
    ) or tuple(LANGUAGES)
    message = " / ".join(texts.plain(code, "dashboard.reopen") for code in languages)
    return JSONResponse({"error": message}, status_code=status)


async def _throttled(request: Request, services: Services) -> tuple[str, Response | None]:
    address = client_address(request, services.settings.dashboard.trusted_proxies)
    wait = services.dashboard.failures.blocked_for(address, services.clock.now())
    if wait is None:
        return address, None
    response = refusal(services, 429, None)
    response.headers["Retry-After"] = str(max(1, int(wait.total_seconds())))
    return address, response


async def limited_body(request: Request, limit: int) -> bytes | None:
    """The request's body, or None once it passes `limit` bytes: read as it arrives and no
    further, since Content-Length may be missing or lie."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


async def json_body(request: Request, limit: int = MAX_BODY) -> dict[str, Any]:
    """The request's JSON object, or {} for anything else: endpoints check their fields."""
    body = await limited_body(request, limit)
    if body is None:
        return {}
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


async def sign_in(request: Request) -> Response:
    """POST api/signin {init_data}: a session token for an organiser, a refusal for anyone else."""
    services: Services = request.app.state.services
    address, throttled = await _throttled(request, services)
    if throttled is not None:
        return throttled
    init_data = (await json_body(request)).get("init_data")
    dashboard: DashboardService = services.dashboard
    try:
        session = await dashboard.sign_in(init_data if isinstance(init_data, str) else "")
    except SignedOut as error:
        dashboard.failures.record(address, services.clock.now())
        log.info("Dashboard sign-in refused: %s", error)
        hint = language_hint(init_data) if isinstance(init_data, str) else None
        return refusal(services, 403 if error.user is not None else 401, hint)
    language = await dashboard.language_of(session)
    log.info("Dashboard sign-in by %s", session.user_id)
    return JSONResponse(_session_json(session, language))


def _session_json(session: Session, language: Language) -> dict[str, Any]:
    return {
        "token": session.token,
        "expires_at": session.expires_at.isoformat(),
        "language": language,
        "name": session.first_name,
    }


def organiser_endpoint(endpoint: Endpoint) -> Callable[[Request], Awaitable[Response]]:
    """The API's door: a valid token of a user who is an organiser now, or 401/403."""

    @functools.wraps(endpoint)
    async def guarded(request: Request) -> Response:
        services: Services = request.app.state.services
        address, throttled = await _throttled(request, services)
        if throttled is not None:
            return throttled
        token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        dashboard: DashboardService = services.dashboard
        admission = await dashboard.admit(token)
        if admission is None:
            dashboard.failures.record(address, services.clock.now())
            return refusal(services, 401, None)
        session, language = admission.session, admission.language
        if not admission.organiser:
            log.info("Dashboard request of %s refused: no longer an organiser", session.user_id)
            return refusal(services, 403, language)
        visit = Visit(session, language, services, request.app.state.bot)
        return await endpoint(request, visit)

    return guarded


async def renew(request: Request, visit: Visit) -> Response:
    """POST api/session: a fresh token for the open page, until 12 hours after the sign-in."""
    dashboard = visit.services.dashboard
    session = dashboard.sessions.renew(visit.session, visit.services.clock.now())
    if session is None:
        return refusal(visit.services, 401, visit.language)
    return JSONResponse(_session_json(session, visit.language))


async def page(request: Request) -> Response:
    """The page: no data in it, only the texts of both languages for the page's script."""
    services: Services = request.app.state.services
    texts = {
        code: {
            key.removeprefix("dashboard."): services.texts.template(code, key)
            for key in sorted(services.texts.keys(code))
            if key.startswith("dashboard.")
        }
        for code in LANGUAGES
    }
    html = _templates.get_template("page.html").render(
        texts=texts, default_language=services.settings.event.default_language
    )
    return HTMLResponse(html)


def dashboard_mount(path: str, api: list[Route]) -> Mount:
    """The page, its files, sign-in and the API under the dashboard's path."""
    routes = [
        Route("/", page, methods=["GET"]),
        Route("/api/signin", sign_in, methods=["POST"]),
        Route("/api/session", organiser_endpoint(renew), methods=["POST"]),
        *api,
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    return Mount(path.rstrip("/"), routes=routes, middleware=[Middleware(SecurityHeaders)])
