"""Customers and their orders, quick-reply templates, response metrics, team settings, and the
customer-message simulation used by demos and tests (SPEC §3).
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import Field
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.core.intents import TEMPLATE_INTENTS
from agent_desktop.core.messenger_rules import retired_tag_sentence, retired_tags
from agent_desktop.core.metrics import MetricThread, Period, compute_metrics
from agent_desktop.core.money import MoneyError, check_currency
from agent_desktop.core.templates import unknown_variables
from agent_desktop.core.types import (
    MAX_TEXT_LENGTH,
    AgentFigures,
    AwayPeriod,
    MetricsReport,
    TeamSettings,
    TemplateScope,
)
from agent_desktop.server import services
from agent_desktop.server.convert import (
    customer_to_api,
    dump,
    order_to_api,
    template_to_api,
)
from agent_desktop.server.deps import (
    Body,
    Principal,
    Who,
    get_ctx,
    require_lead,
    respond,
)
from agent_desktop.server.errors import ApiError, get_or_404, not_found
from agent_desktop.server.limits import UtcDateTime, parse_utc
from agent_desktop.server.models import (
    AgentRow,
    CustomerRow,
    OrderRow,
    TemplateRow,
    ThreadRow,
    new_id,
    utcnow,
)
from agent_desktop.server.openapi_errors import errors

router = APIRouter(prefix="/api/v1")

# Openings need the 24 hours before the window; one more day of margin costs little.
METRICS_LOOKBACK = timedelta(days=2)
MAX_METRICS_SPAN = timedelta(days=366)


# --- customers ----------------------------------------------------------------------------------


@router.get("/customers/{customer_id}", responses=errors(400, 401, 404))
async def get_customer(customer_id: str, who: Who, request: Request) -> JSONResponse:
    ctx = get_ctx(request)
    async with ctx.sessionmaker() as session:
        row = await get_or_404(session, CustomerRow, customer_id, "customer")
        result = await customer_to_api(session, row)
    return respond(result)


@router.get("/customers/{customer_id}/orders", responses=errors(400, 401, 404))
async def get_orders(customer_id: str, who: Who, request: Request) -> JSONResponse:
    """The full purchase history, newest first."""
    ctx = get_ctx(request)
    async with ctx.sessionmaker() as session:
        await get_or_404(session, CustomerRow, customer_id, "customer")
        rows = (
            await session.execute(
                select(OrderRow)
                .where(OrderRow.customer_id == customer_id)
                .order_by(OrderRow.placed_at.desc(), OrderRow.id.desc())
            )
        ).scalars()
        items = [dump(order_to_api(r)) for r in rows]
    return respond({"items": items})


# --- templates ----------------------------------------------------------------------------------


class TemplateBody(Body):
    shortcut: str = Field(min_length=1, max_length=50)
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=MAX_TEXT_LENGTH)
    language: str = Field(default="en", min_length=2, max_length=20)
    scope: TemplateScope = "personal"
    intent: str | None = Field(default=None, max_length=40)


class TemplatePatch(Body):
    """Fields left out stay as they are; `"intent": null` clears the intent."""

    shortcut: str | None = Field(default=None, min_length=1, max_length=50)
    title: str | None = Field(default=None, min_length=1, max_length=200)
    body: str | None = Field(default=None, min_length=1, max_length=MAX_TEXT_LENGTH)
    language: str | None = Field(default=None, min_length=2, max_length=20)
    scope: TemplateScope | None = None
    intent: str | None = Field(default=None, max_length=40)


def _visible(row: TemplateRow, who: Principal) -> bool:
    return row.scope == "team" or row.owner_id == who.id


def _check_body(body: str) -> str:
    unknown = unknown_variables(body)
    if unknown:
        raise ApiError(
            422,
            "unknown_variable",
            "{{%s}} is not a variable a template can use." % unknown[0],  # noqa: UP031
        )
    return body


def _check_intent(intent: str | None, scope: str) -> str | None:
    if intent is None or not intent.strip():
        return None
    value = intent.strip()
    if value not in TEMPLATE_INTENTS:
        raise ApiError(
            422,
            "invalid_intent",
            "A template can be suggested for one of: " + ", ".join(TEMPLATE_INTENTS) + ".",
        )
    if scope != "team":
        raise ApiError(
            422, "intent_needs_team", "Only a team template can be suggested for a question."
        )
    return value


def _check_shortcut(shortcut: str) -> str:
    value = shortcut.strip().lstrip("/")
    if not value or any(ch.isspace() for ch in value):
        raise ApiError(422, "invalid_shortcut", "A shortcut is one word without spaces.")
    return value


@router.get("/templates", responses=errors(401))
async def list_templates(who: Who, request: Request) -> JSONResponse:
    """The team's templates and the agent's own personal ones (others' stay private)."""
    ctx = get_ctx(request)
    async with ctx.sessionmaker() as session:
        rows = (
            await session.execute(
                select(TemplateRow)
                .where(or_(TemplateRow.scope == "team", TemplateRow.owner_id == who.id))
                .order_by(TemplateRow.shortcut, TemplateRow.id)
            )
        ).scalars()
        items = [dump(template_to_api(r)) for r in rows]
    return respond({"items": items})


@router.post("/templates", status_code=201, responses=errors(400, 401, 403, 422))
async def create_template(body: TemplateBody, who: Who, request: Request) -> JSONResponse:
    ctx = get_ctx(request)
    if body.scope == "team":
        require_lead(who, "create team templates")
    shortcut = _check_shortcut(body.shortcut)
    text = _check_body(body.body)
    intent = _check_intent(body.intent, body.scope)
    async with ctx.write() as session:
        row = TemplateRow(
            id=new_id("tp"),
            shortcut=shortcut,
            title=body.title,
            body=text,
            language=body.language,
            scope=body.scope,
            owner_id=who.id,
            created_at=utcnow(),
            intent=intent,
        )
        await services.save_template(ctx, session, row=row)
        result = template_to_api(row)
    return respond(result, 201)


async def _editable_template(
    session: AsyncSession, template_id: str, who: Principal
) -> TemplateRow:
    row = await session.get(TemplateRow, template_id)
    if row is None or not _visible(row, who):
        raise not_found("template")
    if row.scope == "team":
        require_lead(who, "edit team templates")
    return row


@router.put("/templates/{template_id}", responses=errors(400, 401, 403, 404, 422))
async def update_template(
    template_id: str, body: TemplatePatch, who: Who, request: Request
) -> JSONResponse:
    ctx = get_ctx(request)
    if body.scope == "team":
        require_lead(who, "share templates with the team")
    async with ctx.write() as session:
        row = await _editable_template(session, template_id, who)
        if body.shortcut is not None:
            row.shortcut = _check_shortcut(body.shortcut)
        if body.title is not None:
            row.title = body.title
        if body.body is not None:
            row.body = _check_body(body.body)
        if body.language is not None:
            row.language = body.language
        if body.scope is not None and body.scope != row.scope:
            row.scope = body.scope
            if body.scope == "personal":
                row.owner_id = who.id
                row.intent = None  # only team templates are suggested
        if "intent" in body.model_fields_set:
            row.intent = _check_intent(body.intent, row.scope)
        await services.save_template(ctx, session, row=row)
        result = template_to_api(row)
    return respond(result)


@router.delete("/templates/{template_id}", responses=errors(400, 401, 403, 404))
async def delete_template(template_id: str, who: Who, request: Request) -> JSONResponse:
    ctx = get_ctx(request)
    async with ctx.write() as session:
        row = await _editable_template(session, template_id, who)
        await services.delete_template(ctx, session, row=row)
    return respond({"id": template_id, "deleted": True})


# --- metrics ------------------------------------------------------------------------------------


@router.get("/metrics", responses=errors(400, 401, 403, 404, 422))
async def metrics(
    who: Who,
    request: Request,
    since: UtcDateTime | None = None,
    until: UtcDateTime | None = None,
    agent_id: str | None = None,
) -> JSONResponse:
    """SPEC §2's figures over [since, until] (default: the team's window up to now), for the team
    and per agent. An agent sees the team and itself; a lead sees everyone."""
    ctx = get_ctx(request)
    if agent_id is not None and agent_id != who.id and not who.is_lead:
        raise ApiError(403, "forbidden", "Only a team lead may see another agent's figures.")
    async with ctx.sessionmaker() as session:
        settings = await services.get_settings(session)
        end = until if until is not None else utcnow()
        start = since if since is not None else end - timedelta(days=settings.window_days)
        if start >= end:
            raise ApiError(422, "invalid_range", "'since' must be before 'until'.")
        if end - start > MAX_METRICS_SPAN:
            raise ApiError(422, "invalid_range", "The period may cover at most 366 days.")
        agent_ids = list((await session.execute(select(AgentRow.id))).scalars())
        if agent_id is not None and agent_id not in agent_ids:
            raise not_found("agent")
        by_thread, spam = await services.period_messages(session, start - METRICS_LOOKBACK, end)
    result = compute_metrics(
        [
            MetricThread(id=t, messages=[m for _, m in ms], spam=t in spam)
            for t, ms in by_thread.items()
        ],
        now=end,
        target_seconds=settings.target_seconds,
        window_days=(end - start).total_seconds() / 86_400,
        away=[Period(start=p.start, end=p.end) for p in settings.away],
    )
    if agent_id is not None:
        visible = [agent_id]
    elif who.is_lead:
        visible = agent_ids
    else:
        visible = [who.id]
    agents = {a: result.per_agent.get(a, AgentFigures()) for a in sorted(visible)}
    report = MetricsReport(
        since=start,
        until=end,
        target_seconds=settings.target_seconds,
        team=result.team,
        agents=agents,
    )
    return respond(report)


# --- settings -----------------------------------------------------------------------------------


@router.get("/settings", responses=errors(401))
async def get_settings(who: Who, request: Request) -> JSONResponse:
    ctx = get_ctx(request)
    async with ctx.sessionmaker() as session:
        result = await services.get_settings(session)
    return respond(result)


@router.put("/settings", responses=errors(400, 401, 403, 422))
async def put_settings(body: TeamSettings, who: Who, request: Request) -> JSONResponse:
    ctx = get_ctx(request)
    require_lead(who, "change the team settings")
    if not 1 <= body.target_seconds <= 86_400:
        raise ApiError(422, "invalid_target", "The response target must be 1 s to 24 h.")
    if not 1 <= body.window_days <= 90:
        raise ApiError(422, "invalid_window", "The window must be 1 to 90 days.")
    away: list[AwayPeriod] = []
    for period in body.away:
        try:
            start, end = parse_utc(period.start), parse_utc(period.end)
        except ValueError as exc:
            raise ApiError(422, "invalid_away", f"An away period is invalid: {exc}.") from None
        if end <= start:
            raise ApiError(422, "invalid_away", "An away period must end after it starts.")
        away.append(AwayPeriod(start=start, end=end))
    tags = [t.strip().upper() for t in body.allowed_tags if t.strip()]
    if any(not t.replace("_", "").isalnum() for t in tags):
        raise ApiError(422, "invalid_tag", "A message tag is a word such as HUMAN_AGENT.")
    retired = retired_tags(utcnow())
    for tag in tags:
        if tag in retired:
            raise ApiError(422, "retired_tag", retired_tag_sentence(tag, retired[tag]))
    limits: dict[str, int] = {}
    for code, amount in body.refund_limits.items():
        try:
            currency = check_currency(code)
        except MoneyError as exc:
            raise ApiError(422, "invalid_refund_limit", str(exc)) from None
        if amount < 0:
            raise ApiError(422, "invalid_refund_limit", "A refund limit cannot be negative.")
        limits[currency] = amount
    instructions: dict[str, str] = {}
    for language, text in body.return_instructions.items():
        code = language.strip().lower()
        if not (2 <= len(code) <= 5 and code.replace("_", "").replace("-", "").isalpha()):
            raise ApiError(
                422, "invalid_language", "Return instructions are per language, such as en or fr."
            )
        if len(text) > MAX_TEXT_LENGTH:
            raise ApiError(
                422,
                "instructions_too_long",
                f"Return instructions may have at most {MAX_TEXT_LENGTH} characters.",
            )
        if text.strip():
            instructions[code] = text.strip()
    settings = TeamSettings(
        target_seconds=body.target_seconds,
        window_days=body.window_days,
        away=sorted(away, key=lambda p: p.start),
        allowed_tags=list(dict.fromkeys(tags)),
        refund_limits=limits,
        return_instructions=instructions,
    )
    async with ctx.write() as session:
        result = await services.save_settings(ctx, session, settings=settings)
    return respond(result)


# --- simulation (demo, test seed, --allow-simulation only) --------------------------------------


class SimulatedMessage(Body):
    thread_id: str | None = Field(default=None, max_length=100)
    customer_name: str | None = Field(default=None, min_length=1, max_length=200)
    text: str = Field(max_length=MAX_TEXT_LENGTH)
    channel: str = Field(default="messenger", min_length=1, max_length=20)
    created_at: UtcDateTime | None = None


@router.post("/simulate/customer-message", status_code=201, responses=errors(400, 404, 422))
async def simulate_customer_message(body: SimulatedMessage, request: Request) -> JSONResponse:
    """A customer writes: into `thread_id`, or into a new thread with a new customer named
    `customer_name`. Returns {"message", "thread"} (201).

    A demo and test facility without a token: it exists only on a server started with --demo,
    --seed-test or --allow-simulation, which listens on loopback only (runner.serve)."""
    ctx = get_ctx(request)
    if not ctx.config.simulation_enabled:
        raise ApiError(404, "not_found", "There is nothing at this address.")
    if not body.text.strip():
        raise ApiError(422, "empty_text", "The message is empty.")
    if (body.thread_id is None) == (body.customer_name is None):
        raise ApiError(422, "invalid_request", "Give either thread_id or customer_name.")
    at = body.created_at
    # Into a known thread: a write of that thread alone (server/context.py, ServerContext.write).
    async with ctx.write(thread=body.thread_id) as session:
        if body.thread_id is not None:
            thread = await get_or_404(session, ThreadRow, body.thread_id, "thread")
            customer = await session.get(CustomerRow, thread.customer_id)
            assert customer is not None
        else:
            assert body.customer_name is not None
            customer, thread = await services.create_customer_thread(
                ctx,
                session,
                name=body.customer_name.strip(),
                channel=body.channel,
                created_at=at,
            )
        await services.post_signed(
            ctx, session, thread=thread, author=customer, text=body.text, created_at=at
        )
        # The answer is the message.created event's payload ({"message", "thread"}): building it
        # again here would cost queries inside the transaction, before the event is published.
        result = dict(session.info["events"][-1].data)
    return respond(result, 201)
