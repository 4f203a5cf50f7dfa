"""The dashboard's questions inbox and learned FAQ entries.

An answer written here reaches the partner through `bot.questions.relay.answer_question`, the
same path as a reply in the organisers' group, and the group sees it under the relayed
question. A question someone answered a moment ago gives 409 with that answer; the page asks
and sends again with `addition`. Saving as FAQ and editing entries call `FaqService`, as the
chat's "Save as FAQ" and /faq do.
"""

from __future__ import annotations

import logging
from typing import Any, cast

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.announcements.rules import Refusal, payload_from_html
from bot.core.telegram_html import HtmlProblem, parse_telegram_html
from bot.core.texts import Html
from bot.dashboard.web import MAX_TEXT_BODY, Visit, json_body, organiser_endpoint
from bot.programme.model import LANGUAGES, Language
from bot.questions.faq import clean_wording, similar_topic
from bot.questions.faq_service import Draft
from bot.questions.faq_views import other_language, topic_title
from bot.questions.relay import Delivery, answer_from_dashboard
from bot.questions.service import RelayedQuestion

log = logging.getLogger(__name__)

MAX_WORDING = 300  # characters of a wording partners ask in


def formatted(source: str | None) -> dict[str, Any] | None:
    """Telegram HTML as text and entities, which the page renders (never as HTML)."""
    if source is None:
        return None
    try:
        parsed = parse_telegram_html(source)
    except HtmlProblem:
        return {"text": source, "entities": []}
    return {"text": parsed.text, "entities": parsed.entities}


def checked_html(visit: Visit, source: object) -> Html | JSONResponse:
    """Organisers' formatted text, checked as an announcement's text is."""
    payload = payload_from_html(source if isinstance(source, str) else "")
    if isinstance(payload, Refusal):
        return JSONResponse({"error": visit.message(payload.key, **payload.params)}, 400)
    return Html(cast(str, source))


def _question(visit: Visit, question: RelayedQuestion) -> dict[str, Any]:
    return {
        "id": question.id,
        "question": question.question,
        "asked": visit.when(question.asked_at),
        "partner": question.partner_name,
        "organisation": question.organisation,
        "language": question.language,
        "state": question.state.value,
        "state_label": visit.message(f"dashboard.ui.state_{question.state.value}"),
        "answered_by": question.answered_by_name,
        "answered": visit.when(question.answered_at),
        "answer": formatted(question.answer_html),
    }


async def inbox(request: Request, visit: Visit) -> Response:
    """GET api/questions: every relayed question, newest first, with its state."""
    questions = await visit.services.questions.inbox()
    return JSONResponse({"questions": [_question(visit, question) for question in questions]})


async def answer(request: Request, visit: Visit) -> Response:
    """POST api/questions/{id}/answer {answer, addition}: to the partner, as from the group."""
    body = await json_body(request, MAX_TEXT_BODY)
    text = checked_html(visit, body.get("answer"))
    if isinstance(text, JSONResponse):
        return text
    addition = body.get("addition") is True
    result = await answer_from_dashboard(
        visit.bot,
        visit.services,
        request.path_params["id"],
        visit.session.user_id,
        visit.session.first_name,
        text,
        addition=addition,
    )
    if result is None:
        return JSONResponse({"error": visit.message("dashboard.ui.gone")}, status_code=404)
    if result.delivery is Delivery.ANSWERED_BEFORE:
        earlier = result.earlier
        assert earlier is not None
        return JSONResponse(
            {
                "error": visit.message("dashboard.ui.answered_before", name=result.partner_name),
                "earlier": {
                    "by": earlier.by_name,
                    "at": visit.when(earlier.at),
                    "answer": formatted(earlier.answer_html),
                },
            },
            status_code=409,
        )
    log.info(
        "Dashboard: organiser %s answered question %s: %s",
        visit.session.user_id,
        result.relay_id,
        result.delivery.name,
    )
    key = (
        "relay.addition_sent"
        if addition and result.delivery is Delivery.DELIVERED
        else result.delivery.value
    )
    return JSONResponse(
        {
            "delivery": result.delivery.name.lower(),
            "message": visit.message(key, name=result.partner_name),
            "savable": result.savable,
        },
        status_code=502 if result.delivery is Delivery.FAILED else 200,
    )


async def _draft(request: Request, visit: Visit) -> Draft | JSONResponse:
    draft = await visit.services.faq.draft(request.path_params["id"])
    if draft is None:
        return JSONResponse({"error": visit.message("faq.not_savable")}, status_code=409)
    return draft


def _similar(visit: Visit, wording: str) -> dict[str, str] | None:
    content = visit.services.content
    topic = similar_topic(content.answerer, content.programme, content.learned, wording)
    if topic is None:
        return None
    title = topic_title(topic, content.programme, content.learned, visit.language)
    return {"topic": topic, "title": title}


async def faq_draft(request: Request, visit: Visit) -> Response:
    """GET api/questions/{id}/faq: the wording and answer to save, and a close entry."""
    draft = await _draft(request, visit)
    if isinstance(draft, JSONResponse):
        return draft
    wording = clean_wording(draft.question)
    return JSONResponse(
        {
            "wording": wording,
            "answer": formatted(draft.answer_html),
            "language": draft.language,
            "other_language": other_language(draft.language),
            "similar": _similar(visit, wording),
        }
    )


async def faq_save(request: Request, visit: Visit) -> Response:
    """POST api/questions/{id}/faq {wording, to?, other_answer?}: a new entry, with the other
    language's answer if given, or (`to`: the close topic offered) a wording added to it."""
    draft = await _draft(request, visit)
    if isinstance(draft, JSONResponse):
        return draft
    body, faq, by = (
        await json_body(request, MAX_TEXT_BODY),
        visit.services.faq,
        visit.session.user_id,
    )
    wording = clean_wording(str(body.get("wording") or ""))[:MAX_WORDING]
    if not wording:
        return JSONResponse({"error": visit.message("dashboard.ui.wording_missing")}, 400)
    target = body.get("to")
    if isinstance(target, str) and target:
        # The close entry offered for the partner's words, or for the organiser's correction.
        offered = [_similar(visit, text) for text in (clean_wording(draft.question), wording)]
        similar = next((s for s in offered if s is not None and s["topic"] == target), None)
        if similar is None:
            return JSONResponse({"error": visit.message("dashboard.ui.stale")}, status_code=409)
        linked = draft.relay_id if wording == clean_wording(draft.question) else None
        if not await faq.add_wording(target, wording, draft.language, by=by, relay_id=linked):
            return JSONResponse({"error": visit.message("faq.gone")}, status_code=404)
        return JSONResponse({"added_to": similar["title"]})
    other = body.get("other_answer")
    other_html = checked_html(visit, other) if other else None
    if isinstance(other_html, JSONResponse):
        return other_html
    entry_id = await faq.save(draft, wording, by=by)
    if entry_id is None:
        return JSONResponse({"error": visit.message("faq.not_savable")}, status_code=409)
    if other_html is not None:
        await faq.set_answer(entry_id, other_language(draft.language), other_html, by=by)
    log.info("Dashboard: organiser %s saved FAQ entry %s", by, entry_id)
    return JSONResponse({"id": entry_id})


async def faq_entries(request: Request, visit: Visit) -> Response:
    """GET api/faq: the learned entries with uses, "did not help", answers and wordings."""
    faq = visit.services.faq
    reports = await faq.reports()
    wordings = await faq.wordings_by_entry()
    current = visit.services.event.event_key
    return JSONResponse(
        {
            "entries": [
                {
                    "id": report.entry.id,
                    "title": report.entry.title,
                    "current": report.entry.event_key == current,
                    "language": report.entry.language,
                    "answers": {language: report.entry.answer(language) for language in LANGUAGES},
                    "previews": {
                        language: formatted(report.entry.answer(language)) for language in LANGUAGES
                    },
                    "wordings": [
                        {"id": w.id, "text": w.text, "language": w.language}
                        for w in wordings.get(report.entry.id, [])
                    ],
                    "used": report.used,
                    "unhelpful": report.unhelpful,
                    "created": visit.when(report.created_at),
                    "changed": visit.when(report.changed_at),
                }
                for report in reports
            ]
        }
    )


def _entry_gone(visit: Visit) -> JSONResponse:
    return JSONResponse({"error": visit.message("faq.gone")}, status_code=404)


async def faq_edit(request: Request, visit: Visit) -> Response:
    """POST api/faq/{id} {answers: {de?, en?}}: change the answers given."""
    body = await json_body(request, MAX_TEXT_BODY)
    answers = body.get("answers")
    if not isinstance(answers, dict) or not set(answers) <= set(LANGUAGES) or not answers:
        return JSONResponse({"error": "bad request"}, status_code=400)
    checked: dict[Language, Html] = {}
    for language, source in answers.items():
        text = checked_html(visit, source)
        if isinstance(text, JSONResponse):
            return text
        checked[cast(Language, language)] = text
    for language, text in checked.items():
        entry_id, by = request.path_params["id"], visit.session.user_id
        if not await visit.services.faq.set_answer(entry_id, language, text, by=by):
            return _entry_gone(visit)
    return JSONResponse({"saved": sorted(checked)})


async def faq_add_wording(request: Request, visit: Visit) -> Response:
    """POST api/faq/{id}/wordings {text, language}: partners asking so find the entry."""
    body = await json_body(request)
    text = clean_wording(str(body.get("text") or ""))[:MAX_WORDING]
    language = body.get("language")
    if not text or language not in LANGUAGES:
        return JSONResponse({"error": visit.message("dashboard.ui.wording_missing")}, 400)
    topic = f"learned:{request.path_params['id']}"
    added = await visit.services.faq.add_wording(
        topic, text, cast(Language, language), by=visit.session.user_id
    )
    return JSONResponse({"added": text}) if added else _entry_gone(visit)


async def faq_remove_wording(request: Request, visit: Visit) -> Response:
    """POST api/faq/{id}/wordings/{wording}/delete."""
    params = request.path_params
    if not await visit.services.faq.remove_wording(params["id"], params["wording"]):
        return _entry_gone(visit)
    return JSONResponse({"removed": True})


async def faq_delete(request: Request, visit: Visit) -> Response:
    """POST api/faq/{id}/delete: the entry answers no one from now on."""
    if not await visit.services.faq.delete(request.path_params["id"]):
        return _entry_gone(visit)
    log.info("Dashboard: organiser %s deleted a FAQ entry", visit.session.user_id)
    return JSONResponse({"deleted": True})


ROUTES = [
    Route("/api/questions", organiser_endpoint(inbox), methods=["GET"]),
    Route("/api/questions/{id:int}/answer", organiser_endpoint(answer), methods=["POST"]),
    Route("/api/questions/{id:int}/faq", organiser_endpoint(faq_draft), methods=["GET"]),
    Route("/api/questions/{id:int}/faq", organiser_endpoint(faq_save), methods=["POST"]),
    Route("/api/faq", organiser_endpoint(faq_entries), methods=["GET"]),
    Route("/api/faq/{id:int}", organiser_endpoint(faq_edit), methods=["POST"]),
    Route("/api/faq/{id:int}/wordings", organiser_endpoint(faq_add_wording), methods=["POST"]),
    Route(
        "/api/faq/{id:int}/wordings/{wording:int}/delete",
        organiser_endpoint(faq_remove_wording),
        methods=["POST"],
    ),
    Route("/api/faq/{id:int}/delete", organiser_endpoint(faq_delete), methods=["POST"]),
]
