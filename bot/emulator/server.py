"""The emulator's HTTP side: the Bot API endpoint, file downloads and webhook delivery.

Why: the bot must speak real HTTP to a Bot API - the very requests python-telegram-bot
sends in production, JSON or multipart - so this server decodes them as Telegram does, runs
the method from the method table and answers with Telegram's JSON envelope; with a webhook
set it POSTs the updates to the bot instead, with the secret token, retrying until a 2xx.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import logging
import socket
import time
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout, web

from bot.emulator.faults import Faults
from bot.emulator.model import ApiCall, ApiError, ApiMethod, FilePart, JSONDict, bad_request
from bot.emulator.state import EmulatorState

_log = logging.getLogger(__name__)

WEBHOOK_RETRY_SECONDS = 0.2

#: Parameters that are strings in the Bot API. PTB sends strings raw and everything else
#: JSON-encoded, so only these must *not* go through ``json.loads`` ("123" stays "123").
_STRING_PARAMS = frozenset(
    {
        "action",
        "address",
        "animation",
        "audio",
        "business_connection_id",
        "callback_query_id",
        "caption",
        "currency",
        "custom_title",
        "description",
        "document",
        "emoji",
        "explanation",
        "explanation_parse_mode",
        "file_id",
        "first_name",
        "foursquare_id",
        "foursquare_type",
        "google_place_id",
        "google_place_type",
        "inline_message_id",
        "ip_address",
        "language_code",
        "last_name",
        "message_effect_id",
        "name",
        "parse_mode",
        "payload",
        "phone_number",
        "photo",
        "provider_token",
        "query",
        "question",
        "question_parse_mode",
        "secret_token",
        "short_description",
        "start_parameter",
        "sticker",
        "switch_pm_parameter",
        "switch_pm_text",
        "text",
        "thumbnail",
        "title",
        "url",
        "vcard",
        "video",
        "video_note",
        "voice",
    }
)


def _decode_param(key: str, value: str) -> Any:
    if key in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


class ApiServer:
    """The Bot API on ``host``: one route for the methods, one for file downloads."""

    def __init__(
        self,
        state: EmulatorState,
        methods: dict[str, ApiMethod],
        faults: Faults,
        *,
        host: str,
        port: int,
    ) -> None:
        self.host = host
        self._state = state
        self._faults = faults
        self._requested_port = port
        self._port: int | None = None
        self._runner: web.AppRunner | None = None
        self._methods: dict[str, tuple[str, ApiMethod]] = {
            name.lower(): (name, impl) for name, impl in methods.items()
        }

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("TelegramEmulator is not started")
        return self._port

    async def start(self) -> None:
        """Bind the port and serve in the running loop."""
        if self._runner is not None:
            return
        self._state.closing = False
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self._requested_port))
            self._port = sock.getsockname()[1]
            await web.SockSite(runner, sock).start()
        except BaseException:
            sock.close()
            await runner.cleanup()
            raise
        self._runner = runner

    async def stop(self) -> None:
        """Release pending long polls, finish listener tasks and close the server."""
        state = self._state
        state.closing = True
        state.wake_pollers()
        if state.webhook_task is not None:
            state.webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await state.webhook_task
        if state.listener_tasks:
            _, pending = await asyncio.wait(set(state.listener_tasks), timeout=1.0)
            for task in pending:
                task.cancel()
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def _handle_api(self, request: web.Request) -> web.Response:
        state = self._state
        token = request.match_info["token"]
        requested = request.match_info["method"]
        try:
            params = await self._read_params(request)
        except Exception as exc:  # malformed body
            _log.debug("Unparseable request body", exc_info=True)
            return self._error_response(bad_request(f"can't parse request body: {exc}"))
        known = self._methods.get(requested.lower())
        method = known[0] if known else requested
        call = ApiCall(method=method, params=params, time=time.time(), token=token)
        state.calls.append(call)
        state.stats.calls += 1
        state.stats.by_method[method] += 1
        try:
            if known is None:
                _log.warning("Bot API method %r is not implemented by the emulator", requested)
                raise ApiError(404, "Not Found")
            if state.latency and method != "getUpdates":
                await asyncio.sleep(state.latency)
            self._faults.raise_if_due(method, params)
            result = known[1](params)
            if inspect.isawaitable(result):
                result = await result
        except ApiError as error:
            call.status = error.error_code
            return self._error_response(error)
        except (TypeError, ValueError) as exc:  # a parameter of the wrong type
            _log.warning("Rejected %s with bad parameters", method, exc_info=True)
            call.status = 400
            return self._error_response(bad_request(f"invalid parameters for {method}: {exc}"))
        except Exception as exc:  # an emulator bug: say so instead of a bare 500
            _log.exception("Emulator failed on %s", method)
            call.status = 500
            return self._error_response(ApiError(500, f"Internal Server Error: {exc!r}"))
        return web.json_response({"ok": True, "result": result})

    def _error_response(self, error: ApiError) -> web.Response:
        stats = self._state.stats
        if error.error_code == 400:
            stats.rejected_400 += 1
        elif error.error_code == 403:
            stats.rejected_403 += 1
        elif error.error_code == 429:
            stats.rejected_429 += 1
        return web.json_response(error.to_json(), status=error.error_code)

    async def _read_params(self, request: web.Request) -> JSONDict:
        params: JSONDict = {k: _decode_param(k, v) for k, v in request.query.items()}
        if not request.can_read_body:
            return params
        if request.content_type == "application/json":
            body = await request.json()
            for key, value in (body or {}).items():
                if isinstance(value, str):
                    params[key] = _decode_param(key, value)
                elif key in _STRING_PARAMS and value is not None and not isinstance(value, str):
                    params[key] = str(value)
                else:
                    params[key] = value
            return params
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                params[key] = FilePart(value.filename, value.file.read(), value.content_type)
            else:
                params[key] = _decode_param(key, value)
        return params

    async def _handle_file(self, request: web.Request) -> web.Response:
        file = self._state.files_by_path.get(request.match_info["path"])
        if file is None or file.content is None:
            raise web.HTTPNotFound()
        return web.Response(
            body=file.content, content_type=file.mime_type or "application/octet-stream"
        )


async def deliver_to_webhook(state: EmulatorState) -> None:
    """POST the queued updates one by one, in order, with the secret token header, as
    Telegram does; an update leaves the queue only when the bot answered 2xx."""
    async with ClientSession(timeout=ClientTimeout(total=30)) as session:
        while state.webhook is not None and not state.closing:
            if not state.update_queue:
                await state.updates_arrived.wait()
                continue
            webhook, update = state.webhook, state.update_queue[0]
            headers = {}
            if webhook.get("secret_token"):
                headers["X-Telegram-Bot-Api-Secret-Token"] = str(webhook["secret_token"])
            status: int | None = None
            try:
                async with session.post(webhook["url"], json=update, headers=headers) as reply:
                    status = reply.status
            except (ClientError, OSError, TimeoutError) as exc:
                _log.debug("Webhook delivery failed: %r", exc)
            state.webhook_deliveries.append((int(update["update_id"]), status))
            if status is not None and 200 <= status < 300:
                if state.update_queue and state.update_queue[0] is update:
                    state.update_queue.popleft()
            else:  # Telegram retries later; so do we, a little sooner
                await asyncio.sleep(WEBHOOK_RETRY_SECONDS)
