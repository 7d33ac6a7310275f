"""The first requests of a start, sent from a thread while the window is still being built.

Importing the client's stack and Qt and building the window take a few hundred milliseconds, and
the backend needs about as long to sign in and answer the first loads (the agent, the team,
templates, settings, the first page of threads). `EarlyRequests` sends those requests from a
thread as soon as the address and the credentials are known, so both happen at once. The
connector (`AgentApiBackend(early=...)`) takes each answer, once, instead of asking again, and
reads it with the same code as any other answer (errors, server clock). An answer that failed
in transit, was sent with another token, or that nobody asks for is simply not used.

Only the standard library is imported here, and `http.client` when the threads start. The threads
themselves import nothing, not even a module already imported (see `start`): the main thread is
importing httpx, pydantic and Qt meanwhile, two threads importing the same large packages would
only slow each other down, and an import statement run at the wrong moment leaves PySide6's
import hook installed.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from agent_desktop.backends.hosts import is_loopback_host
from agent_desktop.backends.tls import ca_locations, tls_context
from agent_desktop.core.pages import THREAD_PAGE

log = logging.getLogger(__name__)

API = "/api/v1"
LOGIN_PATH = f"{API}/auth/login"
USER_AGENT = "AgentDesktop/0.1"
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy")


@dataclass(frozen=True)
class EarlyAnswer:
    """One answer as it came over the wire, with the local times around the exchange."""

    status: int
    headers: list[tuple[str, str]]
    content: bytes
    sent_at: float
    received_at: float
    token: str  # the bearer token the request carried ("" for none)


@dataclass(frozen=True)
class EarlyRequest:
    """A GET sent early: its path and query parameters, as the connector will ask for them."""

    path: str
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, path: str, params: Mapping[str, Any] | None = None) -> EarlyRequest:
        return cls(path, params_key(params or {}))

    def target(self) -> str:
        return self.path + ("?" + urlencode(self.params) if self.params else "")


def first_loads() -> list[EarlyRequest]:
    """The GETs a store makes when it loads (`ClientStore.reload`), the page of threads first."""
    return [
        EarlyRequest.of(f"{API}/threads", {"assignee": "any", "limit": THREAD_PAGE}),
        EarlyRequest.of(f"{API}/me"),
        EarlyRequest.of(f"{API}/agents"),
        EarlyRequest.of(f"{API}/templates"),
        EarlyRequest.of(f"{API}/settings"),
    ]


def params_key(params: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """Query parameters in a comparable form (None values are not sent, as with the connector)."""
    return tuple(sorted((str(k), str(v)) for k, v in params.items() if v is not None))


def may_send_early(url: str, *, insecure: bool = False) -> bool:
    """Whether requests to `url` can go out early exactly as the connector would send them:
    https, or plain http to this computer (or with `insecure`, as the connector allows), and
    no proxy in the way (the thread does not speak to proxies)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    if parts.scheme == "http" and not (insecure or is_loopback_host(parts.hostname)):
        return False
    return not proxied(url)


def proxied(url: str, environ: Mapping[str, str] | None = None) -> bool:
    """True when a proxy variable would route `url` through a proxy (the connector trusts the
    environment for any host but loopback); early requests then are not sent at all."""
    env = os.environ if environ is None else environ
    if is_loopback_host(urlsplit(url).hostname or ""):
        return False
    names = {k.lower() for k, v in env.items() if v}
    return any(name in names for name in PROXY_VARIABLES)


class EarlyRequests:
    """Sends the sign-in (with `email` and `password`) or uses `token`, then the GETs in
    `requests`, from background threads; `take` hands out each answer once.

    The GETs go out on two connections: the first request in `requests` (the largest, the page
    of threads) on one, the others on the second.
    """

    def __init__(
        self,
        base_url: str,
        requests: list[EarlyRequest],
        *,
        email: str = "",
        password: str = "",
        token: str = "",
        timeout: float = 15.0,
    ) -> None:
        parts = urlsplit(base_url.strip())
        self.base_url = base_url.strip().rstrip("/")
        self.email = email
        self._https = parts.scheme == "https"
        self._host = parts.hostname or ""
        self._port = parts.port
        self._timeout = timeout
        self._password = password
        self._token = token
        self._requests = list(requests)
        self._lock = threading.Lock()
        # What the threads settle and what is left to take. The GETs' futures leave
        # `_get_answers` as their thread takes them to settle: the start keeps this object for
        # the whole session, and with them it kept the first page of threads' body (~170 KB).
        self._login_answer: Future[EarlyAnswer] = Future()
        self._get_answers = {r: Future[EarlyAnswer]() for r in requests}
        self._login: Future[EarlyAnswer] | None = self._login_answer if password else None
        self._gets = dict(self._get_answers)
        self._threads: list[threading.Thread] = []
        self._http: Any = None  # http.client, imported by `start`
        self._ca: tuple[str, str] | None = None  # the CA locations for https, found by `start`

    # -- for the connector ----------------------------------------------------------------

    def take_login(self, email: str, password: str) -> Future[EarlyAnswer] | None:
        """The early sign-in's answer, if it was made with these credentials (once)."""
        with self._lock:
            future = self._login
            if future is None or (email, password) != (self.email, self._password):
                return None
            self._login = None
            return future

    def take(self, path: str, params: Mapping[str, Any] | None) -> Future[EarlyAnswer] | None:
        """The answer of an early GET of `path` with `params`, if one was sent (once)."""
        with self._lock:
            return self._gets.pop(EarlyRequest.of(path, params), None)

    @property
    def token(self) -> str:
        """The stored token the requests were sent with ("" when they sign in first)."""
        return self._token

    @property
    def exhausted(self) -> bool:
        with self._lock:
            return self._login is None and not self._gets

    # -- the threads ----------------------------------------------------------------------

    def start(self) -> None:
        """Start the threads; everything they would import is imported here first, by the
        calling thread, and the threads run no import statement at all.

        The caller goes on to import PySide6, whose `__feature__` import hook briefly replaces
        `builtins.__import__` and puts itself back when a call to it returns: a thread that ran
        an import statement at that moment, even of a module already imported, would leave the
        hook installed for good (`fast_start.import_qt` takes it out), and with it PySide6 reads
        the source of every module imported afterwards. Hence the module kept in `_http` rather
        than imported where used, the IDNA codec looked up here (socket encodes a host name
        with it, and the codec registry imports its module on the first lookup) and certifi's
        bundle found here (its first `where()` imports importlib's resource readers).
        """
        codecs.lookup("idna")
        import http.client

        self._http = http.client
        if self._https:
            self._ca = ca_locations()
        self._spawn(self._run, "early-requests")

    def _spawn(self, target: Callable[..., None], name: str, *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the threads (tests)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in list(self._threads):
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            thread.join(left)

    def _run(self) -> None:
        try:
            token = self._token or self._sign_in()
        except Exception as exc:  # reported to whoever takes the answers; they ask again
            self._fail_all(exc)
            return
        if not token:
            self._fail_all(RuntimeError("no token"))
            return
        first, rest = self._requests[:1], self._requests[1:]
        if rest:
            self._spawn(self._get_all, "early-requests-2", rest, token)
        self._get_all(first, token)

    def _sign_in(self) -> str:
        body = json.dumps({"email": self.email, "password": self._password}).encode()
        try:
            answer = self._exchange([("POST", LOGIN_PATH, body, "")])[0]
        except Exception as exc:
            _settle(self._login_answer, exc)
            raise
        _settle(self._login_answer, answer)
        if answer.status != 201 and answer.status != 200:
            return ""
        try:
            token = json.loads(answer.content)["token"]
        except (ValueError, KeyError, TypeError):
            return ""
        return token if isinstance(token, str) else ""

    def _get_all(self, requests: list[EarlyRequest], token: str) -> None:
        with self._lock:
            futures = [self._get_answers.pop(r) for r in requests]
        try:
            answers = self._exchange([("GET", r.target(), None, token) for r in requests])
        except Exception as exc:
            for future in futures:
                _settle(future, exc)
            return
        for future, answer in zip(futures, answers, strict=True):
            _settle(future, answer)

    def _fail_all(self, exc: BaseException) -> None:
        for future in [self._login_answer, *self._get_answers.values()]:
            _settle(future, exc)

    def _connection(self) -> Any:
        if not self._https:
            return self._http.HTTPConnection(self._host, self._port, timeout=self._timeout)
        return self._http.HTTPSConnection(
            self._host, self._port, timeout=self._timeout, context=tls_context(self._ca)
        )

    def _exchange(self, calls: list[tuple[str, str, bytes | None, str]]) -> list[EarlyAnswer]:
        """The calls one after the other on one keep-alive connection."""
        conn = self._connection()
        answers = []
        try:
            for method, target, body, token in calls:
                headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
                if body is not None:
                    headers["Content-Type"] = "application/json"
                if token:
                    headers["Authorization"] = f"Bearer {token}"
                sent_at = time.time()
                conn.request(method, target, body=body, headers=headers)
                response = conn.getresponse()
                content = response.read()
                # http.client takes a connection closed inside the headers for their end, and
                # then reads what follows as a whole body: only an answer that says how long it
                # is, and is that long, is known to be whole (the server always says).
                length = response.getheader("Content-Length")
                if length is None or not length.isdigit() or int(length) != len(content):
                    raise ConnectionError(f"incomplete answer to {method} {target}")
                answers.append(
                    EarlyAnswer(
                        response.status,
                        response.getheaders(),
                        content,
                        sent_at,
                        time.time(),
                        token,
                    )
                )
        finally:
            conn.close()
        return answers


def _settle(future: Future[EarlyAnswer], outcome: EarlyAnswer | BaseException) -> None:
    """Give `future` its answer or error, unless it is settled already (cancelled by a caller
    that stopped waiting, or failed by `_fail_all`)."""
    with contextlib.suppress(InvalidStateError):
        if isinstance(outcome, BaseException):
            future.set_exception(outcome)
        else:
            future.set_result(outcome)
