"""The Page's utility message templates, kept in `messenger_templates` and at Meta: browse Meta's
library of order templates, clone one to the Page, write a Page-owned one in French and English,
refresh their status from Meta, delete one, and apply message_template_status_update webhooks.

Each change emits a `messenger.template` event ({"id", "template": ... | None}) so every team
lead's client shows the approval status live.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agent_desktop.server import services
from agent_desktop.server.context import ServerContext
from agent_desktop.server.convert import json_columns
from agent_desktop.server.errors import ApiError
from agent_desktop.server.messenger import utility
from agent_desktop.server.messenger.graph import GraphClient, GraphError
from agent_desktop.server.messenger.payloads import InTemplateStatus
from agent_desktop.server.messenger.tables import TemplateRow
from agent_desktop.server.models import new_id, utcnow

log = logging.getLogger("agent_desktop.server.messenger")

EVENT = "messenger.template"
USABLE = "APPROVED"
TEMPLATE_FIELDS = (
    *("id", "meta_id", "name", "language", "purpose", "source", "library_name", "body"),
    *("fields", "status", "reason", "updated_at"),
)


def template_to_api(row: TemplateRow) -> dict[str, Any]:
    values = json_columns(row, TEMPLATE_FIELDS)
    values["fields"] = list(row.fields or [])
    return values


def library_to_api(item: dict[str, Any]) -> dict[str, Any]:
    """One template of Meta's library as the client sees it, with a guess of each placeholder."""
    body = str(item.get("body") or "")
    samples = [str(s) for s in item.get("body_params") or []]
    kinds = [str(k) for k in item.get("body_param_types") or []]
    buttons = [b for b in item.get("buttons") or [] if isinstance(b, dict)]
    return {
        "name": str(item.get("name") or ""),
        "language": str(item.get("language") or ""),
        "topic": item.get("topic"),
        "usecase": item.get("usecase"),
        "header": item.get("header"),
        "body": body,
        "body_params": samples,
        "buttons": [{"type": b.get("type"), "text": b.get("text")} for b in buttons],
        "fields": utility.guess_fields(body, samples, kinds),
    }


def emit_template(session: AsyncSession, row: TemplateRow | None, template_id: str) -> None:
    services.emit(
        session,
        EVENT,
        {"id": template_id, "template": template_to_api(row) if row is not None else None},
    )


def _graph_error(exc: GraphError) -> ApiError:
    return ApiError(502, "meta_refused", str(exc))


class TemplateService:
    def __init__(self, ctx: ServerContext, graph: GraphClient, page_id: Any) -> None:
        self.ctx = ctx
        self.graph = graph
        self._page_id = page_id  # async () -> str

    async def approved(self, session: AsyncSession) -> list[TemplateRow]:
        rows = await session.execute(
            select(TemplateRow)
            .where(TemplateRow.status == USABLE, TemplateRow.purpose != "")
            .order_by(TemplateRow.created_at)
        )
        return list(rows.scalars())

    async def approved_purposes(self, session: AsyncSession) -> set[str]:
        return {row.purpose for row in await self.approved(session)}

    async def choose(self, session: AsyncSession, purpose: str, locale: str) -> TemplateRow | None:
        """The approved template of `purpose` for a customer of `locale`, or None."""
        rows = [r for r in await self.approved(session) if r.purpose == purpose]
        picked = utility.pick([{"language": r.language, "row": r} for r in rows], locale)
        return picked["row"] if picked is not None else None

    async def is_approved(self, session: AsyncSession, name: str, language: str) -> bool:
        row = (
            await session.execute(
                select(TemplateRow).where(
                    TemplateRow.name == name, TemplateRow.language == language
                )
            )
        ).scalar_one_or_none()
        return row is not None and row.status == USABLE

    async def stored(self) -> list[dict[str, Any]]:
        async with self.ctx.sessionmaker() as session:
            rows = await session.execute(
                select(TemplateRow)
                .where(TemplateRow.purpose != "")
                .order_by(TemplateRow.name, TemplateRow.language)
            )
            return [template_to_api(r) for r in rows.scalars()]

    async def library(self, search: str, language: str) -> list[dict[str, Any]]:
        try:
            items = await self.graph.template_library(search=search, language=language)
        except GraphError as exc:
            raise _graph_error(exc) from None
        return [library_to_api(i) for i in items]

    async def _unique(self, session: AsyncSession, name: str, language: str) -> None:
        taken = (
            await session.execute(
                select(TemplateRow.id).where(
                    TemplateRow.name == name, TemplateRow.language == language
                )
            )
        ).scalar_one_or_none()
        if taken is not None:
            raise ApiError(
                409,
                "template_exists",
                f"The Page already has a template named {name} in this language.",
            )

    async def _store(
        self,
        *,
        name: str,
        language: str,
        purpose: str,
        source: str,
        library_name: str | None,
        body: str,
        fields: Sequence[str],
        payload: dict[str, Any],
        who: str,
    ) -> dict[str, Any]:
        try:
            page_id = await self._page_id()
            answer = await self.graph.create_template(page_id, payload)
        except GraphError as exc:
            raise _graph_error(exc) from None
        status = str(answer.get("status") or "PENDING").upper()
        async with self.ctx.write() as session:
            meta_id = str(answer.get("id") or "") or None
            row = None
            if meta_id is not None:
                # The approval webhook may have come first (Meta approves within seconds).
                row = (
                    await session.execute(select(TemplateRow).where(TemplateRow.meta_id == meta_id))
                ).scalar_one_or_none()
            if row is None:
                row = TemplateRow(id=new_id("mt"), meta_id=meta_id, created_at=utcnow())
                row.status = status
                session.add(row)
            row.name, row.language, row.purpose, row.source = name, language, purpose, source
            row.library_name, row.body, row.fields = library_name, body, list(fields)
            row.created_by, row.updated_at = who, utcnow()
            await session.flush()
            emit_template(session, row, row.id)
            return template_to_api(row)

    async def clone(
        self,
        *,
        library_name: str,
        name: str,
        language: str,
        purpose: str,
        fields: Sequence[str] | None,
        who: str,
    ) -> dict[str, Any]:
        """Clone a template of Meta's library to the Page (approved at once or within seconds)."""
        try:
            found = await self.graph.template_library(search=library_name, language=language)
        except GraphError as exc:
            raise _graph_error(exc) from None
        item = next(
            (i for i in found if i.get("name") == library_name and i.get("language") == language),
            None,
        )
        if item is None:
            raise ApiError(
                422,
                "unknown_library_template",
                f"Meta's library has no template {library_name} in this language.",
            )
        described = library_to_api(item)
        body = described["body"]
        chosen = list(fields) if fields else described["fields"]
        if len(chosen) != utility.placeholders(body):
            raise ApiError(
                422,
                "fields_mismatch",
                f"The template has {utility.placeholders(body)} placeholders; give one order "
                "value for each.",
            )
        unknown = [f for f in chosen if f not in utility.FIELDS]
        if unknown:
            raise ApiError(422, "unknown_field", f"{unknown[0]} is not an order value.")
        async with self.ctx.sessionmaker() as session:
            await self._unique(session, name, language)
        return await self._store(
            name=name,
            language=language,
            purpose=purpose,
            source="library",
            library_name=library_name,
            body=body,
            fields=chosen,
            payload=utility.clone_payload(name, language, library_name),
            who=who,
        )

    async def write(
        self, *, name: str, purpose: str, bodies: dict[str, str], who: str
    ) -> list[dict[str, Any]]:
        """A Page-owned template, one per language given (fr, en), submitted for approval."""
        prepared: list[tuple[str, utility.Numbered]] = []
        for lang, text in bodies.items():
            if not text.strip():
                continue
            try:
                numbered = utility.numbered(text)
            except utility.TemplateProblem as exc:
                raise ApiError(422, "invalid_template", f"{lang.upper()}: {exc}") from None
            missing = [f for f in utility.REQUIRED_FIELDS[purpose] if f not in numbered.fields]
            if missing:
                raise ApiError(
                    422,
                    "invalid_template",
                    f"{lang.upper()}: a utility message must name the order: include "
                    + ", ".join("{" + m + "}" for m in missing)
                    + ".",
                )
            prepared.append((utility.LANGUAGES[lang], numbered))
        if not prepared:
            raise ApiError(422, "invalid_template", "Write the template in French or English.")
        async with self.ctx.sessionmaker() as session:
            for language, _ in prepared:
                await self._unique(session, name, language)
        created = []
        for language, numbered in prepared:
            created.append(
                await self._store(
                    name=name,
                    language=language,
                    purpose=purpose,
                    source="page",
                    library_name=None,
                    body=numbered.text,
                    fields=numbered.fields,
                    payload=utility.create_payload(name, language, numbered),
                    who=who,
                )
            )
        return created

    async def delete(self, template_id: str) -> None:
        async with self.ctx.sessionmaker() as session:
            row = await session.get(TemplateRow, template_id)
        if row is None:
            raise ApiError(404, "not_found", "There is no such template.")
        if row.meta_id:
            try:
                await self.graph.delete_template(await self._page_id(), row.name, row.meta_id)
            except GraphError as exc:
                if exc.code != 100:  # already gone at Meta
                    raise _graph_error(exc) from None
        async with self.ctx.write() as session:
            stored = await session.get(TemplateRow, template_id)
            if stored is not None:
                await session.delete(stored)
                emit_template(session, None, template_id)

    async def refresh(self) -> list[dict[str, Any]]:
        """Read every template's status from Meta (after a missed webhook, or on request)."""
        try:
            remote = await self.graph.page_templates(await self._page_id())
        except GraphError as exc:
            raise _graph_error(exc) from None
        by_id = {str(t.get("id")): t for t in remote if t.get("id") is not None}
        by_name = {(str(t.get("name")), str(t.get("language"))): t for t in remote}
        async with self.ctx.write() as session:
            rows = list((await session.execute(select(TemplateRow))).scalars())
            for row in rows:
                found = by_id.get(row.meta_id or "") or by_name.get((row.name, row.language))
                status = str(found.get("status") or "").upper() if found else "DELETED"
                reason = found.get("rejected_reason") if found else None
                reason = None if reason in (None, "", "NONE") else str(reason)
                if found and found.get("id") is not None:
                    row.meta_id = str(found["id"])
                if status and (status != row.status or reason != row.reason):
                    row.status, row.reason, row.updated_at = status, reason, utcnow()
                    emit_template(session, row, row.id)
        return await self.stored()

    async def apply_status(self, session: AsyncSession, status: InTemplateStatus) -> None:
        """A message_template_status_update webhook (inside the inbox's write transaction)."""
        meta_id, name, language = status.meta_id, status.name, status.language
        row = None
        if meta_id:
            row = (
                await session.execute(select(TemplateRow).where(TemplateRow.meta_id == meta_id))
            ).scalar_one_or_none()
        if row is None and name:
            row = (
                await session.execute(
                    select(TemplateRow).where(
                        TemplateRow.name == name, TemplateRow.language == language
                    )
                )
            ).scalar_one_or_none()
        if row is None:
            if not meta_id:
                return
            # Created a moment ago and not stored yet (the webhook beat Meta's answer): keep the
            # status under Meta's id; storing the template fills in the rest.
            row = TemplateRow(
                id=new_id("mt"),
                meta_id=meta_id,
                name=name or meta_id,
                language=language,
                purpose="",
                source="page",
                body="",
                fields=[],
                created_at=utcnow(),
            )
            session.add(row)
        if meta_id and not row.meta_id:
            row.meta_id = meta_id
        row.status = status.event
        row.reason = status.reason
        row.updated_at = utcnow()
        await session.flush()
        if row.purpose:
            emit_template(session, row, row.id)
