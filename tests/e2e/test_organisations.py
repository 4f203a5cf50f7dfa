"""Organisers revoke invite links and edit organisations; a new name shows everywhere."""

from __future__ import annotations

import csv
import io

import pytest

from bot.emulator import TelegramEmulator, User
from bot.registration.service import RsvpAnswers
from tests.e2e.test_invite_links import LINK, invite_code
from tests.harness import RunningBot, StartBot

ORGANISER_ID = 4242


@pytest.fixture
async def bot(start_bot: StartBot) -> RunningBot:
    return await start_bot(admin_ids=frozenset({ORGANISER_ID}), access="invite")


@pytest.fixture
def olga(emulator: TelegramEmulator) -> User:
    return emulator.user(id=ORGANISER_ID, first_name="Olga", language_code="de")


async def test_a_revoked_link_is_refused_like_an_expired_one_and_linked_partners_stay(
    bot: RunningBot, emulator: TelegramEmulator, olga: User
) -> None:
    code = await invite_code(emulator, olga, "/einladen Stadtwerke Leipzig")
    paula, fritz = emulator.user(first_name="Paula"), emulator.user(first_name="Fritz")
    assert "Willkommen, Paula" in (await emulator.ask(paula, f"/start {code}")).plain_text

    link = LINK.search((await emulator.ask(olga, "/einladen Stadtwerke Leipzig")).plain_text)
    assert link is not None
    done = await emulator.ask(olga, f"/widerrufen {link[0]}")
    assert "1 Einladungslink(s) von Stadtwerke Leipzig widerrufen" in done.plain_text
    assert "abgelaufen" in (await emulator.ask(fritz, f"/start {link[1]}")).plain_text

    # The older link still works until the organisation's links are revoked by its name.
    done = await emulator.ask(olga, "/widerrufen stadtwerke leipzig")
    assert "1 Einladungslink(s)" in done.plain_text
    assert "abgelaufen" in (await emulator.ask(fritz, f"/start {code}")).plain_text
    again = await emulator.ask(olga, "/widerrufen Stadtwerke Leipzig")
    assert "keinen Einladungslink, der noch nicht widerrufen ist" in again.plain_text

    assert await bot.services.partners.organisation_of(fritz.id) is None
    linked = await bot.services.partners.organisation_of(paula.id)
    assert linked is not None and linked.name == "Stadtwerke Leipzig"
    assert "vorbehalten" not in (await emulator.ask(paula, "/anmelden")).plain_text
    listing = await emulator.ask(olga, "/einladungen")
    assert "noch keine Einladungslinks" in listing.plain_text  # no valid link is listed


async def test_revoking_in_english_and_unknown_targets(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    oliver = emulator.user(id=ORGANISER_ID, first_name="Oliver", language_code="en")
    code = await invite_code(emulator, oliver, "/invite Fraunhofer IZI")
    assert "To revoke an invite link" in (await emulator.ask(oliver, "/revoke")).plain_text
    unknown = await emulator.ask(oliver, "/revoke Nobody <b>Inc</b>")
    assert 'neither an invite link nor an organisation "Nobody <b>Inc</b>"' in unknown.plain_text
    done = await emulator.ask(oliver, f"/revoke {code}")
    assert "Revoked 1 invite link(s) of Fraunhofer IZI" in done.plain_text
    jane = emulator.user(first_name="Jane", language_code="en")
    assert "This invite link has expired" in (await emulator.ask(jane, f"/start {code}")).plain_text


async def test_renaming_an_organisation_shows_everywhere_and_places_cannot_drop_below_held(
    bot: RunningBot, emulator: TelegramEmulator, olga: User
) -> None:
    code = await invite_code(emulator, olga, "/einladen Stadtwerke Leipzig")
    carl = emulator.user(first_name="Carl")
    await emulator.ask(carl, f"/start {code}")
    invited = await bot.services.partners.organisation_of(carl.id)
    assert invited is not None
    await bot.services.registrations.submit(
        carl.id, RsvpAnswers(attending=True, name="Carl", organisation=invited.name, persons=3)
    )

    shown = await emulator.ask(olga, "/organisation_aendern stadtwerke leipzig")
    assert "Plätze: ohne eigene Begrenzung (davon belegt: 3)" in shown.plain_text
    assert "Verbundene Partner: 1 · gültige Einladungslinks: 1" in shown.plain_text

    refused = await emulator.ask(olga, "/organisation_aendern Stadtwerke Leipzig; plätze=2")
    assert "schon 3 Personen angemeldet" in refused.plain_text
    assert "2 Plätze wären zu wenig" in refused.plain_text

    changed = await emulator.ask(
        olga,
        "/organisation_aendern Stadtwerke Leipzig; name=Leipziger Stadtwerke GmbH; plätze=3;"
        " art=Versorger; kontakt=Frau Kühn, 0341 123",
    )
    assert "Gespeichert.\nLeipziger Stadtwerke GmbH" in changed.plain_text
    assert "Kontakt: Frau Kühn, 0341 123" in changed.plain_text
    assert "Plätze: 3 (davon belegt: 3)" in changed.plain_text

    export = await emulator.ask(olga, "/export")
    assert export.document is not None
    content = export.document.content.decode("utf-8-sig")
    (row,) = list(csv.DictReader(io.StringIO(content), delimiter=";"))
    assert row["Organisation"] == "Leipziger Stadtwerke GmbH"
    mine = await emulator.ask(carl, "/meine_anmeldung")
    assert "Leipziger Stadtwerke GmbH" in mine.plain_text

    # The CSV import is refused whole for the same reason, naming the numbers.
    mark = emulator.mark()
    spreadsheet = "Name;Personen\nUni Leipzig;4\nLeipziger Stadtwerke GmbH;1\n"
    emulator.send_document(
        olga, "partner.csv", spreadsheet.encode(), mime_type="text/csv", caption="/einladungen"
    )
    refusal = await emulator.wait_for(olga, since=mark)
    assert "Leipziger Stadtwerke GmbH sind schon 3 Personen" in refusal.plain_text
    assert "1 Plätze wären zu wenig" in refusal.plain_text
    assert await bot.services.partners.find_organisation("Uni Leipzig") is None


async def test_editing_in_english_explains_mistakes(
    bot: RunningBot, emulator: TelegramEmulator
) -> None:
    oliver = emulator.user(id=ORGANISER_ID, first_name="Oliver", language_code="en")
    await invite_code(emulator, oliver, "/invite Fraunhofer IZI")
    await invite_code(emulator, oliver, "/invite Ökolöwe")
    usage = await emulator.ask(oliver, "/edit_organisation")
    assert "To change an organisation" in usage.plain_text
    bad = await emulator.ask(oliver, "/edit_organisation Fraunhofer IZI; colour=green")
    assert 'I don\'t understand "colour=green"' in bad.plain_text
    places = await emulator.ask(oliver, "/edit_organisation Fraunhofer IZI; places=many")
    assert "from 0 to 1000" in places.plain_text
    taken = await emulator.ask(oliver, "/edit_organisation Fraunhofer IZI; name=ökolöwe")
    assert 'There already is an organisation "ökolöwe"' in taken.plain_text
    unknown = await emulator.ask(oliver, "/edit_organisation Nobody")
    assert 'I don\'t know an organisation "Nobody"' in unknown.plain_text
    changed = await emulator.ask(oliver, "/edit_organisation Fraunhofer IZI; places=5; kind=")
    assert "Saved.\nFraunhofer IZI" in changed.plain_text
    assert "Places: 5 (taken: 0)" in changed.plain_text
    assert "Kind: –" in changed.plain_text
