"""The bot's own web server: uvicorn in the bot's event loop, serving Starlette routes.

It carries Telegram's webhook (when WEBHOOK_URL is set) and the organisers' dashboard on one
port. uvicorn's signal handling is switched off: the bot decides when to stop, and stops the
server after the last update, as python-telegram-bot's own server would.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from collections.abc import Generator
from typing import Any

import uvicorn
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp
from telegram import Update
from telegram.ext import Application

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebServerError(Exception):
    """The server could not start, e.g. the port is taken; one line for the operator."""


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        # The bot's own stop (SIGTERM, SIGINT) stops this server; uvicorn must not re-raise them.
        yield


class WebServer:
    def __init__(self, app: ASGIApp, host: str, port: int) -> None:
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            lifespan="off",
            log_level="warning",
            access_log=False,  # addresses and paths of personal pages stay out of the log
            proxy_headers=False,  # X-Forwarded-For is read only from configured proxies
            server_header=False,
        )
        self._server = _Server(config)
        self._task: asyncio.Task[None] | None = None
        self.address = f"{host}:{port}"

    async def start(self) -> None:
        self._task = asyncio.create_task(self._server.serve(), name="web-server")
        while not self._server.started:
            if self._task.done():
                # uvicorn exits (SystemExit) when it cannot bind; say which address.
                with contextlib.suppress(BaseException):
                    self._task.result()
                raise WebServerError(f"could not listen on {self.address}")
            await asyncio.sleep(0.01)  # uvicorn has no event for "listening"
        log.info("Web server listening on port %s", self.port)

    @property
    def port(self) -> int:
        """The port listened on, also when 0 asked for any free one."""
        return int(self._server.servers[0].sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self._task is None:
            return
        self._server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None


def webhook_route(
    path: str, application: Application[Any, Any, Any, Any, Any, Any], secret: str
) -> Route:
    """Telegram's POSTs: without the secret a 403, else the update goes to the application."""

    async def receive(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return Response(status_code=403)
        try:
            data = await request.json()
            update = Update.de_json(data, application.bot)
        except (ValueError, TypeError, KeyError):
            return Response(status_code=400)
        await application.update_queue.put(update)
        return Response()

    return Route("/" + path.strip("/"), receive, methods=["POST"])
