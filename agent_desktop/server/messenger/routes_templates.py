"""The Page's utility templates over HTTP (team leads manage them; every agent may list them):
list, Meta's library, clone or write, refresh the statuses, delete. Mounted by `routes.install`
with the rest of the bridge's surface; `templates.py` does the work.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from agent_desktop.server.deps import Who, require_lead, respond
from agent_desktop.server.errors import ApiError
from agent_desktop.server.messenger import utility
from agent_desktop.server.messenger.bridge import MessengerBridge
from agent_desktop.server.messenger.routes import _ready_bridge
from agent_desktop.server.openapi_errors import errors

router = APIRouter()


def _needs_utility(bridge: MessengerBridge) -> None:
    if not bridge.config.utility_messaging:
        raise ApiError(
            409,
            "utility_not_granted",
            "The Page has not been granted the page_utility_messaging permission; set "
            "MESSENGER_UTILITY_MESSAGING once Meta has granted it (docs/MESSENGER.md).",
        )


@router.get("/api/v1/messenger/templates", responses=errors(401, 503))
async def list_templates(who: Who, request: Request) -> JSONResponse:
    """The Page's utility templates with their approval status."""
    bridge = await _ready_bridge(request)
    return respond({"items": await bridge.templates.stored()})


@router.get(
    "/api/v1/messenger/template-library", responses=errors(400, 401, 403, 409, 422, 502, 503)
)
async def template_library(
    who: Who,
    request: Request,
    search: Annotated[str, Query(max_length=100)] = "",
    language: Annotated[str, Query(max_length=20)] = "",
) -> JSONResponse:
    """Meta's library of order-management utility templates (team leads), each with a guess of
    the order value each placeholder holds."""
    bridge = await _ready_bridge(request)
    require_lead(who, "browse Meta's template library")
    _needs_utility(bridge)
    return respond({"items": await bridge.templates.library(search.strip(), language.strip())})


class TemplateBody(BaseModel):
    """Clone a library template (`library_template_name`, `language`) or write one (`bodies`:
    {"fr": ..., "en": ...} with named order values such as {order_number})."""

    name: str = Field(min_length=1, max_length=512)
    purpose: Literal["receipt", "shipping_update"]
    library_template_name: str | None = Field(default=None, max_length=512)
    language: str | None = Field(default=None, max_length=20)
    fields: list[str] | None = Field(default=None, max_length=20)
    bodies: dict[str, str] | None = None


@router.post(
    "/api/v1/messenger/templates",
    status_code=201,
    responses=errors(400, 401, 403, 409, 422, 502, 503),
)
async def create_template(body: TemplateBody, who: Who, request: Request) -> JSONResponse:
    """Clone one of Meta's library templates to the Page, or submit a Page-owned template in
    French and/or English; Meta approves within seconds (the status arrives by webhook)."""
    bridge = await _ready_bridge(request)
    require_lead(who, "manage the Page's utility templates")
    _needs_utility(bridge)
    name = body.name.strip()
    if not utility.NAME_PATTERN.match(name):
        raise ApiError(
            422,
            "invalid_template_name",
            "A template name has lowercase letters, digits and underscores only.",
        )
    if body.library_template_name:
        if not body.language:
            raise ApiError(422, "invalid_request", "Give the library template's language.")
        made = [
            await bridge.templates.clone(
                library_name=body.library_template_name,
                name=name,
                language=body.language,
                purpose=body.purpose,
                fields=body.fields,
                who=who.id,
            )
        ]
    else:
        bodies = body.bodies or {}
        unknown = [lang for lang in bodies if lang not in utility.LANGUAGES]
        if unknown:
            raise ApiError(
                422, "invalid_language", "Templates are written in French (fr) or English (en)."
            )
        made = await bridge.templates.write(
            name=name, purpose=body.purpose, bodies=bodies, who=who.id
        )
    return respond({"items": made}, 201)


@router.post("/api/v1/messenger/templates/refresh", responses=errors(401, 403, 409, 502, 503))
async def refresh_templates(who: Who, request: Request) -> JSONResponse:
    """Read every template's approval status from Meta again."""
    bridge = await _ready_bridge(request)
    require_lead(who, "manage the Page's utility templates")
    _needs_utility(bridge)
    return respond({"items": await bridge.templates.refresh()})


@router.delete(
    "/api/v1/messenger/templates/{template_id}",
    status_code=204,
    responses=errors(401, 403, 404, 502, 503),
)
async def delete_template(template_id: str, who: Who, request: Request) -> Response:
    """Delete one language of a template, at Meta and here."""
    bridge = await _ready_bridge(request)
    require_lead(who, "manage the Page's utility templates")
    await bridge.templates.delete(template_id)
    return Response(status_code=204)
