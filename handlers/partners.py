"""Partner access: invite links (/invite, /invites with CSV import), redeeming them with /start.

Organisers create links; a partner who opens one is linked to that organisation, and with
`ACCESS=invite` only linked partners may register.
"""

from __future__ import annotations

from telegram import Bot, InputFile, Update
from telegram.helpers import create_deep_linked_url

from bot.core.context import BotContext
from bot.core.services import Services
from bot.core.texts import Html
from bot.core.timefmt import format_datetime, format_duration
from bot.partners.invites import (
    InviteProblem,
    parse_invite_request,
    parse_organisation_edit,
    parse_organisations_csv,
)
from bot.partners.service import (
    IssuedInvite,
    NameTaken,
    OrganisationDetails,
    QuotaBelowHeld,
    Redemption,
)
from bot.programme.model import Language
from bot.registration.export import format_export_time, table_csv
from handlers.guards import organisers_only
from handlers.reply import say

MAX_CSV_BYTES = 1_000_000


def _link(context: BotContext, code: str) -> str:
    return create_deep_linked_url(context.bot.username, code)


async def redeem(update: Update, context: BotContext, code: str) -> None:
    """`/start <code>`: link the partner to the organisation of the invite."""
    user = update.effective_user
    assert user is not None
    result = await context.services.partners.redeem(user.id, code)
    if result.outcome in (Redemption.LINKED, Redemption.ALREADY):
        await say(
            update,
            context,
            f"invite.{result.outcome.value}",
            name=user.first_name,
            organisation=result.organisation,
        )
    elif result.outcome is Redemption.BLOCKED:
        assert result.wait is not None
        await say(
            update, context, "invite.blocked", wait=format_duration(result.wait, context.language)
        )
    else:
        await say(update, context, f"invite.{result.outcome.value}")


@organisers_only
async def invite(update: Update, context: BotContext) -> None:
    row = parse_invite_request(list(context.args or []))
    if isinstance(row, InviteProblem):
        await say(update, context, row.key, **row.params)
        return
    user = update.effective_user
    assert user is not None
    issued = await context.services.partners.invite(row, user.id)
    await say(update, context, "invite.created", **_details(context, issued))


def _details(context: BotContext, issued: IssuedInvite) -> dict[str, object]:
    language = context.language
    limits = []
    if issued.max_uses is not None:
        limits.append(context.text("invite.limit_uses", uses=issued.max_uses))
    if issued.expires_at is not None:
        limits.append(
            context.text("invite.limit_until", until=format_datetime(issued.expires_at, language))
        )
    return {
        "organisation": issued.organisation,
        "link": _link(context, issued.code),
        "limits": Html(", ".join(limits)) if limits else context.text("invite.unlimited"),
        "status": context.text("invite.new" if issued.new_organisation else "invite.known"),
    }


@organisers_only
async def list_invites(update: Update, context: BotContext) -> None:
    """The newest link of every organisation as CSV, and how to import more."""
    issued = await context.services.partners.invites()
    if not issued:
        await say(update, context, "invites.none")
        return
    await _send_csv(update, context, issued, "invites.list_caption")


@organisers_only
async def import_invites(update: Update, context: BotContext) -> None:
    """A CSV document sent with the caption /invites: organisations in, links out."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and message.document is not None and user is not None
    document = message.document
    if document.file_size is not None and document.file_size > MAX_CSV_BYTES:
        await say(update, context, "invites.too_large", maximum="1 MB")
        return
    data = bytes(await (await document.get_file()).download_as_bytearray())
    rows = parse_organisations_csv(data)
    if not isinstance(rows, list):
        await say(update, context, rows.key, **rows.params)
        return
    issued = await context.services.partners.import_organisations(rows, user.id)
    if isinstance(issued, QuotaBelowHeld):
        await _say_quota_below_held(update, context, issued)
        return
    await _send_csv(update, context, issued, "invites.imported_caption")


async def _say_quota_below_held(
    update: Update, context: BotContext, refusal: QuotaBelowHeld
) -> None:
    await say(
        update,
        context,
        "organisation.quota_below_held",
        organisation=refusal.organisation,
        allowed=refusal.allowed,
        held=refusal.held,
    )


@organisers_only
async def revoke(update: Update, context: BotContext) -> None:
    """`/revoke <link, code or organisation>`: the link (or all of them) stops linking partners."""
    target = " ".join(context.args or []).strip()
    if not target:
        await say(update, context, "revoke.usage")
        return
    revoked = await context.services.partners.revoke(target)
    if revoked is None:
        await say(update, context, "revoke.unknown", target=target)
    elif revoked.count == 0:
        await say(update, context, "revoke.none_valid", organisation=revoked.organisation)
    else:
        await say(
            update, context, "revoke.done", organisation=revoked.organisation, count=revoked.count
        )


@organisers_only
async def edit_organisation(update: Update, context: BotContext) -> None:
    """`/edit_organisation <name>; name=…; kind=…; contacts=…; places=N`, or just the name to
    see the organisation."""
    message = update.effective_message
    assert message is not None and message.text is not None
    parsed = parse_organisation_edit(message.text.partition(" ")[2])
    if isinstance(parsed, InviteProblem):
        await say(update, context, parsed.key, **parsed.params)
        return
    name, changes = parsed
    partners = context.services.partners
    found = await partners.find_organisation(name)
    if found is None:
        await say(update, context, "organisation.unknown", name=name)
        return
    result = await partners.edit_organisation(found.id, changes) if changes else found
    if isinstance(result, QuotaBelowHeld):
        await _say_quota_below_held(update, context, result)
    elif isinstance(result, NameTaken):
        await say(update, context, "organisation.name_taken", name=result.name)
    elif result is not None:
        params = _organisation_params(context, result)
        if changes:
            details = context.text("organisation.details", **params)
            await say(update, context, "organisation.changed", details=details)
        else:
            await say(update, context, "organisation.details", **params)


def _organisation_params(context: BotContext, details: OrganisationDetails) -> dict[str, object]:
    dash = context.text("organisation.not_set")
    return {
        "name": details.name,
        "kind": details.kind or dash,
        "contacts": details.contacts or dash,
        "allowed": details.persons_allowed
        if details.persons_allowed is not None
        else context.text("organisation.no_quota"),
        "held": details.persons_held,
        "partners": details.partners,
        "links": details.valid_links,
    }


async def _send_csv(
    update: Update, context: BotContext, issued: list[IssuedInvite], caption_key: str
) -> None:
    chat = update.effective_chat
    assert chat is not None
    await send_invites_csv(
        context.bot, context.services, chat.id, context.language, issued, caption_key
    )


async def send_invites_csv(
    bot: Bot,
    services: Services,
    chat_id: int,
    language: Language,
    issued: list[IssuedInvite],
    caption_key: str,
) -> None:
    """The links as CSV into this chat: for /invites, the import, and the dashboard."""
    texts = services.texts
    headers = texts.template(language, "invites.csv_header").split("|")
    rows = [
        (
            invite.organisation,
            invite.kind,
            create_deep_linked_url(bot.username, invite.code),
            str(invite.max_uses) if invite.max_uses is not None else "",
            str(invite.uses),
            format_export_time(invite.expires_at) if invite.expires_at else "",
        )
        for invite in issued
    ]
    await bot.send_document(
        chat_id,
        InputFile(table_csv(headers, rows, language), filename="invites.csv"),
        caption=texts.get(
            language,
            caption_key,
            count=len(issued),
            new=sum(invite.new_organisation for invite in issued),
        ),
    )
