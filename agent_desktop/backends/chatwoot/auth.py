"""Who is signed in to Chatwoot: the password sign-in (with its second factor), sign-out, the
profile (with the `pubsub_token` the live stream needs and the user's accounts), the choice of
account, and the agent's presence.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from agent_desktop.backends.base import (
    AuthError,
    BackendError,
    NotFoundError,
    ProtocolError,
    ValidationError,
)
from agent_desktop.backends.chatwoot.client import (
    AccountRequired,
    ChatwootClient,
    json_of,
    parse,
)
from agent_desktop.backends.chatwoot.mapping import PRESENCE_TO_CW, presence_from, role_from
from agent_desktop.backends.chatwoot.models import CwAccountRef, CwMfaChallenge, CwProfile
from agent_desktop.core.types import Agent, LoginResult, Presence

if TYPE_CHECKING:
    from agent_desktop.backends.chatwoot.backend import ChatwootBackend


class MfaRequired(AuthError):
    """Sign-in needs a second factor: call `login_mfa(mfa_token, otp_code=...)` next."""

    code = "mfa_required"

    def __init__(self, mfa_token: str) -> None:
        super().__init__(
            "Enter the code from your authenticator app to finish signing in.",
            status=206,
            code="mfa_required",
        )
        self.mfa_token = mfa_token
        self.backend: ChatwootBackend | None = None  # set by connect(): finish with login_mfa


class ChatwootAuth:
    """The signed-in user. `on_account_change()` runs when another account is selected (the
    connector drops what it knew of the previous one)."""

    def __init__(self, client: ChatwootClient, on_account_change: Callable[[], None]) -> None:
        self._client = client
        self._on_account_change = on_account_change
        self.profile_cache: CwProfile | None = None
        self._devise: dict[str, str] = {}

    @property
    def user_id(self) -> int | None:
        return self.profile_cache.id if self.profile_cache else None

    def set_token(self, token: str | None) -> None:
        if token != self._client.token:
            self.profile_cache = None
            self._devise = {}
        self._client.token = token

    def forget_profile(self) -> None:
        """Read the profile again next time (its pubsub token may have been rotated)."""
        self.profile_cache = None

    # -- signing in and out -------------------------------------------------------------------

    async def login(self, email: str, password: str) -> LoginResult:
        """`POST /auth/sign_in`; raises `MfaRequired` when the user has two-factor sign-in."""
        return await self._sign_in({"email": email, "password": password})

    async def login_mfa(
        self, mfa_token: str, *, otp_code: str | None = None, backup_code: str | None = None
    ) -> LoginResult:
        """Second step of an MFA sign-in: the code from the app, or a backup code."""
        body: dict[str, str] = {"mfa_token": mfa_token}
        if otp_code:
            body["otp_code"] = otp_code
        elif backup_code:
            body["backup_code"] = backup_code
        else:
            raise ValidationError("Enter the code from your authenticator app.")
        return await self._sign_in(body)

    async def _sign_in(self, body: dict[str, str]) -> LoginResult:
        try:
            response = await self._client.request(
                "POST", "/auth/sign_in", json_body=body, ok=(200, 201, 206)
            )
        except AuthError:
            if "mfa_token" in body:
                raise AuthError("That code is not valid; try again.") from None
            raise AuthError("Wrong email or password.") from None
        payload = json_of(response)
        if response.status_code == 206 or (
            isinstance(payload, dict) and payload.get("mfa_required")
        ):
            challenge = parse(CwMfaChallenge, payload, what="sign-in challenge")
            raise MfaRequired(challenge.mfa_token)
        data = payload.get("data") if isinstance(payload, dict) else None
        profile = parse(CwProfile, data, what="sign-in answer")
        if not profile.access_token:
            raise ProtocolError("Chatwoot's sign-in answer has no access token.")
        self._client.token = profile.access_token
        self._devise = {
            k: response.headers[k]
            for k in ("access-token", "client", "uid")
            if k in response.headers
        }
        self._set_profile(profile)
        return LoginResult(token=profile.access_token, agent=self.agent_from_profile(profile))

    async def logout(self) -> None:
        """Ends the password session if there is one. The access token itself stays valid in
        Chatwoot (it is permanent; rotate it in Chatwoot's profile settings)."""
        if self._devise:
            with contextlib.suppress(BackendError):
                await self._client.request(
                    "DELETE", "/auth/sign_out", headers=self._devise, ok=(200, 204, 404)
                )
        self._client.token = None
        self.profile_cache = None
        self._devise = {}

    # -- the profile and the accounts ---------------------------------------------------------

    def _set_profile(self, profile: CwProfile) -> None:
        self.profile_cache = profile
        ids = [a.id for a in profile.accounts]
        if self._client.account_id is None and len(ids) == 1:
            self._client.account_id = ids[0]

    async def profile(self, *, refresh: bool = False) -> CwProfile:
        """`GET /api/v1/profile` (cached): the user, its `pubsub_token` and its accounts."""
        if self.profile_cache is None or refresh:
            body = await self._client.get("/api/v1/profile")
            self._set_profile(parse(CwProfile, body, what="profile"))
        assert self.profile_cache is not None
        return self.profile_cache

    async def accounts(self) -> list[CwAccountRef]:
        """The Chatwoot accounts the user belongs to (choose one with `select_account`)."""
        return list((await self.profile()).accounts)

    def select_account(self, account_id: int) -> None:
        """Work in `account_id` from now on (the caches of the previous account are dropped)."""
        profile = self.profile_cache
        members = {a.id for a in profile.accounts} if profile else set()
        if members and account_id not in members:
            raise NotFoundError("You are not a member of this Chatwoot account.")
        if account_id != self._client.account_id:
            self._on_account_change()
        self._client.account_id = account_id

    @property
    def needs_account_choice(self) -> bool:
        profile = self.profile_cache
        return self._client.account_id is None and bool(profile and len(profile.accounts) > 1)

    def _account_ref(self) -> CwAccountRef | None:
        if self.profile_cache is None:
            return None
        for account in self.profile_cache.accounts:
            if account.id == self._client.account_id:
                return account
        return None

    def agent_from_profile(self, profile: CwProfile) -> Agent:
        account = self._account_ref()
        role = account.role if account and account.role else profile.role
        status = None
        if account is not None:
            status = account.availability_status or account.availability
        return Agent(
            id=str(profile.id),
            name=profile.available_name or profile.display_name or profile.name,
            email=profile.email,
            role=role_from(role),
            presence=presence_from(status or profile.availability_status),
        )

    async def me(self) -> Agent:
        return self.agent_from_profile(await self.profile(refresh=True))

    async def set_presence(self, presence: Presence) -> Agent:
        account_id = self._client.account_id
        if account_id is None:
            raise AccountRequired("Choose which Chatwoot account to work in.")
        body = {"profile": {"account_id": account_id, "availability": PRESENCE_TO_CW[presence]}}
        answer = await self._client.post("/api/v1/profile/availability", body)
        try:
            self._set_profile(parse(CwProfile, answer, what="profile"))
        except ProtocolError:
            await self.profile(refresh=True)
        assert self.profile_cache is not None
        agent = self.agent_from_profile(self.profile_cache)
        if agent.presence != presence:
            agent = agent.model_copy(update={"presence": presence})
        return agent
