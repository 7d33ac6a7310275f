"""A loopback stand-in for Meta's Graph API, built from Meta's documented shapes: the Send API (text,
templates, MESSAGE_TAG, UTILITY), the user profile endpoint, an attachment CDN, the Page node
(GET /me), Conversation Routing's thread owner, and the utility templates of "Send a utility
message": Meta's library (GET /message_template_library), a Page's templates (POST, GET, DELETE
/{page-id}/message_templates) with their approval pushed by a signed message_template_status_update
webhook to the server, as Meta does.

It answers Meta's errors as Meta does: error 100 for a message tag retired on 27 April 2026, 10 /
1893063 while the Page is restricted (`restrict()`), 613 above 300 Send API calls a second, 100 for
a utility message whose template is unknown, not approved, or given the wrong number of values.
It records every request and every send's time; a recipient can be scripted to fail (`fail_next`).
`hold()` keeps Send API requests waiting until `release()`: one whose caller disconnects meanwhile
(its instance was killed) is dropped unrecorded, as a request that never reached Meta.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from agent_desktop.loopback import free_port
from agent_desktop.server.messenger.signature import sign

VERSION = "v25.0"
RETIRED = {"CONFIRMED_EVENT_UPDATE", "ACCOUNT_UPDATE", "POST_PURCHASE_UPDATE"}
TEXT_PER_SECOND = 300

# A 1x1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100055fe5d80000000049454e44ae426082"
)

# Meta's library of utility templates (the shape of GET /message_template_library items).
LIBRARY: list[dict[str, Any]] = [
    {
        "name": "order_confirmation_2",
        "language": "en_US",
        "category": "UTILITY",
        "topic": "ORDER_MANAGEMENT",
        "usecase": "ORDER_CONFIRMATION",
        "industry": ["E_COMMERCE"],
        "body": "Hi {{1}}, thank you for your order {{2}}. We will let you know when it ships.",
        "body_params": ["Jim", "#12345"],
        "body_param_types": ["TEXT", "TEXT"],
        "id": "7138055039625601",
    },
    {
        "name": "shipment_confirmation_2",
        "language": "en_US",
        "category": "UTILITY",
        "topic": "ORDER_MANAGEMENT",
        "usecase": "SHIPMENT_CONFIRMATION",
        "industry": ["E_COMMERCE"],
        "body": (
            "Good news: your order {{1}} has shipped with {{2}}. Track it at {{3}}; it should "
            "arrive on {{4}}. Thank you for shopping with us."
        ),
        "body_params": ["#12345", "UPS", "https://www.example.com/track/1Z999", "March 3, 2026"],
        "body_param_types": ["TEXT", "TEXT", "TEXT", "DATE"],
        "buttons": [],
        "id": "7138055039625602",
    },
    {
        "name": "shipment_confirmation_2",
        "language": "fr",
        "category": "UTILITY",
        "topic": "ORDER_MANAGEMENT",
        "usecase": "SHIPMENT_CONFIRMATION",
        "industry": ["E_COMMERCE"],
        "body": (
            "Bonne nouvelle : votre commande {{1}} a été expédiée avec {{2}}. Suivi : {{3}} ; "
            "livraison prévue le {{4}}. Merci de votre achat."
        ),
        "body_params": ["#12345", "Colissimo", "https://www.example.com/suivi/6A1", "3 mars 2026"],
        "body_param_types": ["TEXT", "TEXT", "TEXT", "DATE"],
        "id": "7138055039625603",
    },
    {
        "name": "delivery_failed_2",
        "language": "en_US",
        "category": "UTILITY",
        "topic": "ORDER_MANAGEMENT",
        "usecase": "DELIVERY_FAILED",
        "industry": ["E_COMMERCE"],
        "body": "We were unable to deliver order {{1}} today. Please contact us to reschedule.",
        "body_params": ["#12345"],
        "body_param_types": ["TEXT"],
        "id": "7138055039625604",
    },
]

_PLACEHOLDER = re.compile(r"\{\{\s*(\d+)\s*\}\}")


def meta_error(code: int, subcode: int | None, message: str) -> dict[str, Any]:
    error: dict[str, Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "AbCdEfGh123",
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}


@dataclass
class Scripted:
    status: int
    body: dict[str, Any]


@dataclass
class FakeGraph:
    """Runs in a background thread; `base_url` is what MESSENGER_GRAPH_URL should be.

    `webhook_url` and `app_secret` (set once the server runs) are where template status changes
    are pushed; `approve` decides what a Page-owned template becomes ("APPROVED", "REJECTED" or
    None to leave it PENDING), `approval_delay` after its creation."""

    port: int = field(default_factory=free_port)
    requests: list[dict[str, Any]] = field(default_factory=list)
    failures: dict[str, list[Scripted]] = field(default_factory=dict)
    profiles: dict[str, dict[str, str]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=lambda: {"photo.png": PNG})
    owners: dict[str, str] = field(default_factory=dict)  # psid -> thread owner app id
    templates: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> template
    page_id: str = "1000001"
    webhook_url: str | None = None
    app_secret: str = ""
    approve: str | None = "APPROVED"
    approval_delay: float = 0.05
    restricted: bool = False
    send_times: list[float] = field(default_factory=list)
    rate_refusals: int = 0
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _recent: deque[float] = field(default_factory=deque)
    _released: threading.Event = field(default_factory=threading.Event)
    _held: int = 0

    def __post_init__(self) -> None:
        self._released.set()

    def hold(self) -> None:
        """Keep Send API requests waiting (until `release`)."""
        self._released.clear()

    def release(self) -> None:
        self._released.set()

    def held_count(self) -> int:
        """Send API requests waiting now."""
        with self._lock:
            return self._held

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.origin}/{VERSION}"

    def fail_next(self, psid: str, status: int, code: int, subcode: int | None, msg: str) -> None:
        with self._lock:
            self.failures.setdefault(psid, []).append(
                Scripted(status, meta_error(code, subcode, msg))
            )

    def restrict(self, on: bool = True) -> None:
        """While on, every send answers 10/1893063 (the Page is temporarily restricted)."""
        with self._lock:
            self.restricted = on

    def sends(self, psid: str | None = None) -> list[dict[str, Any]]:
        """Every Send API call (to `psid`), refused ones included."""
        with self._lock:
            return [
                r["json"]
                for r in self.requests
                if r["path"].endswith("/me/messages")
                and (psid is None or r["json"].get("recipient", {}).get("id") == psid)
            ]

    def accepted(self, psid: str | None = None) -> list[dict[str, Any]]:
        """The Send API calls Meta accepted."""
        with self._lock:
            return [
                r["json"]
                for r in self.requests
                if r["path"].endswith("/me/messages")
                and r.get("answered", 200) < 300
                and (psid is None or r["json"].get("recipient", {}).get("id") == psid)
            ]

    def calls(self, method: str, suffix: str) -> list[dict[str, Any]]:
        with self._lock:
            return [
                r for r in self.requests if r["method"] == method and r["path"].endswith(suffix)
            ]

    def wait_sends(self, psid: str, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.sends(psid)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"expected {count} sends to {psid}, got {self.sends(psid)}")

    def busiest_second(self) -> int:
        """The most Send API calls answered within any one second."""
        with self._lock:
            times = sorted(self.send_times)
        best = 0
        start = 0
        for end, at in enumerate(times):
            while times[start] <= at - 1.0:
                start += 1
            best = max(best, end - start + 1)
        return best

    # --- templates ----------------------------------------------------------------------------

    def _push_status(self, template: dict[str, Any], event: str, reason: str = "NONE") -> None:
        """Meta's message_template_status_update webhook for a Page (object "page")."""
        if not self.webhook_url:
            return
        body = {
            "object": "page",
            "entry": [
                {
                    "id": self.page_id,
                    "time": int(time.time()),
                    "changes": [
                        {
                            "field": "message_template_status_update",
                            "value": {
                                "event": event,
                                "message_template_id": int(template["id"]),
                                "message_template_name": template["name"],
                                "message_template_language": template["language"],
                                "reason": reason,
                            },
                        }
                    ],
                }
            ],
        }
        raw = json.dumps(body).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Hub-Signature-256": sign(raw, self.app_secret),
        }
        with contextlib.suppress(httpx.HTTPError):
            httpx.post(self.webhook_url, content=raw, headers=headers, timeout=10)

    def review(self, template_id: str, event: str, reason: str = "NONE") -> None:
        """Meta reviews a template now: its status changes and the webhook goes out."""
        with self._lock:
            template = self.templates[template_id]
            template["status"] = event
            if event == "REJECTED":
                template["rejected_reason"] = reason
            snapshot = dict(template)
        self._push_status(snapshot, event, reason)

    def _later(self, template_id: str) -> None:
        if self.approve is None:
            return
        event = self.approve
        reason = "INCORRECT_CATEGORY" if event == "REJECTED" else "NONE"
        timer = threading.Timer(self.approval_delay, self.review, (template_id, event, reason))
        timer.daemon = True
        timer.start()

    def _create_template(self, page_id: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        name = str(body.get("name") or "")
        language = str(body.get("language") or "")
        if page_id != self.page_id:
            return 400, meta_error(100, 33, "Object does not exist or cannot be loaded.")
        if not re.fullmatch(r"[a-z0-9_]{1,512}", name) or not language:
            return 400, meta_error(100, None, "(#100) Invalid parameter")
        if body.get("category") != "UTILITY":
            return 400, meta_error(100, None, "(#100) Only UTILITY templates are supported.")
        with self._lock:
            if any(
                t["name"] == name and t["language"] == language for t in self.templates.values()
            ):
                return 400, meta_error(
                    100, 2388024, "Message template already exists with this name and language"
                )
        library_name = body.get("library_template_name")
        if library_name:
            found = next(
                (t for t in LIBRARY if t["name"] == library_name and t["language"] == language),
                None,
            )
            if found is None:
                return 400, meta_error(100, None, "(#100) Invalid library template name.")
            text = found["body"]
            status = "APPROVED"  # Meta wrote it: approved at once
        else:
            components = body.get("components") or []
            bodies = [c for c in components if isinstance(c, dict) and c.get("type") == "BODY"]
            if len(bodies) != 1 or not str(bodies[0].get("text") or "").strip():
                return 400, meta_error(100, None, "(#100) A template needs one BODY component.")
            text = str(bodies[0]["text"])
            count = len(set(_PLACEHOLDER.findall(text)))
            examples = (bodies[0].get("example") or {}).get("body_text") or [[]]
            if count and len(examples[0]) != count:
                return 400, meta_error(
                    100, 2388043, "Message template variables are missing sample values."
                )
            status = "PENDING"
        template_id = str(9_000_000_000 + next(self._ids))
        template = {
            "id": template_id,
            "name": name,
            "language": language,
            "status": status,
            "category": "UTILITY",
            "components": [{"type": "BODY", "text": text}],
        }
        if library_name:
            template["library_template_name"] = library_name
        with self._lock:
            self.templates[template_id] = template
        if status == "PENDING":
            self._later(template_id)
        return 200, {"id": template_id, "status": status, "category": "UTILITY"}

    def _check_utility(self, message: dict[str, Any]) -> dict[str, Any] | None:
        template = message.get("template")
        if not isinstance(template, dict):
            return meta_error(100, None, "(#100) A utility message needs a template.")
        name = template.get("name")
        language = (template.get("language") or {}).get("code")
        with self._lock:
            found = next(
                (
                    t
                    for t in self.templates.values()
                    if t["name"] == name and t["language"] == language
                ),
                None,
            )
        if found is None or found["status"] != "APPROVED":
            return meta_error(100, 2018399, "(#100) Template not found or not approved.")
        text = found["components"][0]["text"]
        wanted = len(set(_PLACEHOLDER.findall(text)))
        given = [
            p
            for c in template.get("components") or []
            if c.get("type") == "body"
            for p in c.get("parameters") or []
        ]
        if len(given) != wanted or any(not str(p.get("text") or "").strip() for p in given):
            return meta_error(100, 2018400, "(#100) Number of parameters does not match.")
        return None

    # --- the app ------------------------------------------------------------------------------

    def _record(self, request: Request, body: dict[str, Any]) -> dict[str, Any]:
        entry = {
            "method": request.method,
            "path": request.url.path,
            "query": dict(request.query_params),
            "json": body,
            "at": time.monotonic(),
        }
        with self._lock:
            self.requests.append(entry)
        return entry

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post(f"/{VERSION}/me/messages")
        async def send(request: Request) -> Response:
            body = await request.json()
            if not self._released.is_set():
                with self._lock:
                    self._held += 1
                try:
                    while not self._released.is_set():
                        if await request.is_disconnected():
                            return Response(status_code=499)  # the caller died: never reached
                        await asyncio.sleep(0.02)
                finally:
                    with self._lock:
                        self._held -= 1
            psid = str(body.get("recipient", {}).get("id", ""))
            entry = self._record(request, body)
            now = time.monotonic()
            with self._lock:
                queued = self.failures.get(psid)
                scripted = queued.pop(0) if queued else None
                while self._recent and self._recent[0] <= now - 1.0:
                    self._recent.popleft()
                too_fast = len(self._recent) >= TEXT_PER_SECOND
                self._recent.append(now)
                restricted = self.restricted
                number = next(self._ids)
            if not request.query_params.get("access_token"):
                scripted = Scripted(400, meta_error(190, None, "Invalid OAuth access token."))
            elif too_fast:
                with self._lock:
                    self.rate_refusals += 1
                scripted = Scripted(
                    400, meta_error(613, None, "Calls to this api have exceeded the rate limit.")
                )
            elif restricted:
                scripted = Scripted(
                    400,
                    meta_error(
                        10, 1893063, "(#10) This Page is temporarily restricted from sending."
                    ),
                )
            elif scripted is None:
                tag = body.get("tag")
                kind = body.get("messaging_type")
                if tag in RETIRED:
                    scripted = Scripted(
                        400, meta_error(100, None, f"(#100) Tag {tag} is no longer supported.")
                    )
                elif kind == "MESSAGE_TAG" and tag != "HUMAN_AGENT":
                    scripted = Scripted(400, meta_error(100, 2018065, "(#100) Invalid tag."))
                elif kind != "MESSAGE_TAG" and tag is not None:
                    scripted = Scripted(
                        400, meta_error(100, None, "(#100) Tag without MESSAGE_TAG.")
                    )
                elif kind == "UTILITY":
                    refused = self._check_utility(body.get("message") or {})
                    if refused is not None:
                        scripted = Scripted(400, refused)
                elif kind not in ("RESPONSE", "MESSAGE_TAG", "UPDATE"):
                    scripted = Scripted(
                        400, meta_error(100, None, "(#100) Invalid messaging_type.")
                    )
            if scripted is not None:
                entry["answered"] = scripted.status
                return JSONResponse(scripted.body, status_code=scripted.status)
            with self._lock:
                self.send_times.append(now)
            return JSONResponse({"recipient_id": psid, "message_id": f"m_fake_{number}"})

        @app.get("/cdn/{name}")
        async def cdn(name: str) -> Response:
            data = self.files.get(name)
            if data is None:
                return Response(status_code=404)
            mime = "image/png" if name.endswith(".png") else "application/octet-stream"
            return Response(data, media_type=mime)

        @app.get(f"/{VERSION}/me")
        async def me(request: Request) -> JSONResponse:
            self._record(request, {})
            return JSONResponse({"id": self.page_id, "name": "Atelier Lumière"})

        @app.get(f"/{VERSION}/message_template_library")
        async def library(request: Request) -> JSONResponse:
            self._record(request, {})
            q = request.query_params
            search = q.get("search", "").lower()
            items = [
                t
                for t in LIBRARY
                if (not search or search in t["name"] or search in t["body"].lower())
                and (not q.get("language") or t["language"] == q["language"])
                and (not q.get("topic") or t["topic"] == q["topic"])
            ]
            return JSONResponse(
                {"data": items, "paging": {"cursors": {"before": "MA==", "after": "MQ=="}}}
            )

        @app.post(f"/{VERSION}/{{page_id}}/message_templates")
        async def create(page_id: str, request: Request) -> JSONResponse:
            body = await request.json()
            self._record(request, body)
            status, answer = self._create_template(page_id, body)
            return JSONResponse(answer, status_code=status)

        @app.get(f"/{VERSION}/{{page_id}}/message_templates")
        async def page_templates(page_id: str, request: Request) -> JSONResponse:
            self._record(request, {})
            with self._lock:
                items = [dict(t) for t in self.templates.values()]
            return JSONResponse({"data": items, "paging": {"cursors": {"before": "", "after": ""}}})

        @app.delete(f"/{VERSION}/{{page_id}}/message_templates")
        async def delete(page_id: str, request: Request) -> JSONResponse:
            self._record(request, {})
            wanted = request.query_params.get("hsm_id")
            with self._lock:
                found = self.templates.pop(str(wanted), None)
            if found is None:
                return JSONResponse(meta_error(100, None, "(#100) Template not found."), 400)
            return JSONResponse({"success": True})

        @app.get(f"/{VERSION}/{{page_id}}/thread_owner")
        async def thread_owner(page_id: str, request: Request) -> JSONResponse:
            self._record(request, {})
            owner = self.owners.get(request.query_params.get("recipient", ""))
            if owner is None:
                return JSONResponse({"data": []})
            return JSONResponse({"data": [{"thread_owner": {"app_id": owner}}]})

        @app.get(f"/{VERSION}/{{psid}}")
        async def profile(psid: str, request: Request) -> JSONResponse:
            self._record(request, {})
            known = self.profiles.get(psid)
            if known is None:
                return JSONResponse(
                    meta_error(100, 33, "Object does not exist or cannot be loaded."), 400
                )
            return JSONResponse({"id": psid, **known})

        return app


class FakeGraphServer:
    """Starts a FakeGraph under uvicorn in a daemon thread; stop() shuts it down."""

    def __init__(self) -> None:
        self.graph = FakeGraph()
        config = uvicorn.Config(
            self.graph.app(),
            host="127.0.0.1",
            port=self.graph.port,
            log_level="warning",
            lifespan="off",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def start(self) -> FakeGraph:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the fake Graph API did not start")
            time.sleep(0.01)
        return self.graph

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
