"""The signed-in session behind the main window: the backend connector, the keyring credentials and
the store; sign-in (dialog or stored token), sign-out, and the screens for an unreachable backend
or a revoked token.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Signal

from agent_desktop.backends.agent_api import AgentApiBackend
from agent_desktop.backends.base import AuthError, BackendError, NetworkError, TeamAccounts
from agent_desktop.backends.hosts import is_loopback_host
from agent_desktop.store.client_store import ClientStore
from agent_desktop.store.credentials import Credentials, sign_out
from agent_desktop.store.sentences import error_sentence
from agent_desktop.store.tasks import BackgroundTasks
from agent_desktop.ui import plain_text, theme
from agent_desktop.ui.accounts import AccountsUi
from agent_desktop.ui.dialogs import SignInDialog
from agent_desktop.ui.settings_file import account_email, settings

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel

    from agent_desktop.backends.early import EarlyRequests
    from agent_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)


class Session(QObject):
    """Signals: started() once a store is attached to the window; failed(str) on a fatal error.

    `early` holds the sign-in and first loads the start sent from a thread (`backends.early`):
    the session's first connector takes their answers instead of asking again.
    """

    started = Signal()
    failed = Signal(str)

    def __init__(
        self,
        window: MainWindow,
        *,
        url: str = "",
        insecure: bool = False,
        early: EarlyRequests | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.window = window
        self.early = early
        self.url = url
        self.insecure = insecure
        self.email = ""
        self.backend: AgentApiBackend | None = None
        self.store: ClientStore | None = None
        self.credentials: Credentials | None = None
        self.dialog: SignInDialog | None = None
        self.insecure_notice: QLabel | None = None
        self.tasks = BackgroundTasks(window.show_error)
        self.accounts = AccountsUi(window)
        window.signOutRequested.connect(self.on_window_signOutRequested)
        window.retryRequested.connect(self.on_window_retryRequested)
        window.signInRequested.connect(self.on_window_signInRequested)

    # --- starting
    def last_email(self, url: str) -> str:
        return account_email(url)

    def _take_early(self) -> EarlyRequests | None:
        """The early requests, for the first connector only."""
        early, self.early = self.early, None
        return early

    async def start(self, *, email: str | None = None, password: str | None = None) -> bool:
        """Sign in with `email`/`password` when given, else with a stored token, else ask."""
        if email and password:
            return await self.sign_in(self.url, email, password, remember=True)
        email = email or self.last_email(self.url)
        if self.url and email:
            creds = Credentials(self.url)
            early = self.early
            if early is not None and early.email == email and early.token:
                token: str | None = early.token  # read from the keyring once, by the start
            else:
                token = creds.load(email)
            if token:
                return await self._open(self.url, email, token, creds)
        self.ask_sign_in()
        return False

    async def sign_in(
        self, url: str, email: str, password: str, remember: bool, code: str | None = None
    ) -> bool:
        """Sign in with the password, or (with `code`) set the password with a one-time
        invitation code, which signs in too."""
        try:
            backend = AgentApiBackend(url, insecure=self.insecure, early=self._take_early())
        except BackendError as exc:
            self._sign_in_error(error_sentence(exc))
            return False
        try:
            if code is not None:
                if not isinstance(backend, TeamAccounts):  # pragma: no cover - it always is
                    raise BackendError(self.tr("This backend does not take invitation codes."))
                result = await backend.use_invitation(email, code, password)
            else:
                result = await backend.login(email, password)
        except BackendError as exc:
            await backend.aclose()
            self._sign_in_error(error_sentence(exc))
            return False
        # One settings object, one write of the file (each QSettings writes it when it goes,
        # with two fsyncs: on the GUI thread before the first page).
        remembered = settings()
        remembered.setValue(f"accounts/{backend.base_url}/email", email)
        remembered.setValue("accounts/last_url", backend.base_url)
        del remembered
        creds = Credentials(backend.base_url)
        opened = await self._open(backend.base_url, email, result.token, creds, backend)
        if opened:
            # Once the threads are on screen: opening the keyring can take a moment (or ask).
            store = self.store
            self.window.after_first_page(
                lambda: self._keep_token(store, creds, email, result.token, remember)
            )
        return opened

    def _keep_token(
        self, store: ClientStore | None, creds: Credentials, email: str, token: str, keep: bool
    ) -> None:
        """Save (or forget) the token of the session that `store` belongs to, if it still runs."""
        if store is None or self.store is not store:
            return
        if keep:
            creds.save(email, token)
        else:
            creds.delete(email)

    async def _open(
        self,
        url: str,
        email: str,
        token: str,
        creds: Credentials,
        backend: AgentApiBackend | None = None,
    ) -> bool:
        await self._close_store()
        if backend is None:
            try:
                backend = AgentApiBackend(
                    url, token=token, insecure=self.insecure, early=self._take_early()
                )
            except BackendError as exc:
                self._sign_in_error(error_sentence(exc))
                return False
        backend.set_token(token)
        # The connector of the session this one replaces goes with it (its HTTP connections,
        # its event stream); its token is left alone: it may be another account's.
        previous, self.backend = self.backend, backend
        if previous is not None and previous is not backend:
            await previous.aclose()
        self.url, self.email, self.credentials = url, email, creds
        self._show_transport_notice(url)
        store = ClientStore(backend, agent_key=email)
        self.store = store
        store.signedOut.connect(self.on_store_signedOut)
        try:
            await store.start(defer=True)
        except AuthError as exc:
            creds.delete(email)
            await self._close_store()
            self.ask_sign_in(error_sentence(exc))
            return False
        if not store.loaded:
            self.window.attach_store(store)
            self.window.show_unreachable(self.tr("Agent Desktop keeps trying in the background."))
            self.tasks.start(self._wait_loaded(store), "wait-loaded")
            return True
        self.window.attach_store(store)
        self.accounts.attach_store(store)
        self.window.after_first_page(store.start_background)
        # The list takes the keyboard with the most urgent thread highlighted (ui/flow.py).
        self.window.after_first_page(self.window.flow.focus_most_urgent)
        if self.dialog is not None:
            self.dialog.accept()
            self.dialog = None
        self.started.emit()
        return True

    async def _wait_loaded(self, store: ClientStore) -> None:
        while self.store is store and not store.loaded:  # noqa: ASYNC110 - store state, no event
            await asyncio.sleep(0.5)
        if self.store is store:
            self.window.attach_store(store)
            self.window.after_first_page(self.window.flow.focus_most_urgent)
            self.accounts.attach_store(store)
            self.started.emit()

    def _show_transport_notice(self, url: str) -> None:
        """Plain http:// to another computer (allowed by --insecure) is never silent: a permanent
        notice in the status bar says so for as long as the session lasts."""
        host = urlsplit(url).hostname or ""
        plain = urlsplit(url).scheme == "http" and not is_loopback_host(host)
        if plain and self.insecure_notice is None:
            label = plain_text.label(parent=self.window)
            label.setObjectName("insecureNotice")
            label.setStyleSheet(f"color: {theme.FAILED.name()}; font-weight: bold;")
            self.window.statusBar().addPermanentWidget(label)
            self.insecure_notice = label
        if self.insecure_notice is not None:
            self.insecure_notice.setText(
                self.tr("⚠ Not encrypted: messages to %1 travel readable on the network").replace(
                    "%1", host
                )
            )
            self.insecure_notice.setToolTip(
                self.tr("Plain http:// was allowed with --insecure. Use https:// instead.")
            )
            self.insecure_notice.setVisible(plain)

    # --- sign-in dialog
    def ask_sign_in(self, error: str = "") -> None:
        url = self.url or str(settings().value("accounts/last_url", ""))
        if self.dialog is None:
            notice = Credentials(url or "about:blank").notice
            self.dialog = SignInDialog(
                self.window,
                url=url,
                email=self.email or self.last_email(url),
                keyring_notice=notice,
            )
            self.dialog.submitted.connect(self.on_dialog_submitted)
            self.dialog.invitationSubmitted.connect(self.on_dialog_invitationSubmitted)
            self.dialog.rejected.connect(self.on_dialog_rejected)
        if error:
            self.dialog.show_error(error)
        self.window.show()
        self.dialog.open()

    def _sign_in_error(self, text: str) -> None:
        if self.dialog is None:
            self.ask_sign_in(text)
        else:
            self.dialog.show_error(text)

    def on_dialog_submitted(self, url: str, email: str, password: str, remember: bool) -> None:
        self.tasks.start(self.sign_in(url, email, password, remember), "sign-in")

    def on_dialog_invitationSubmitted(
        self, url: str, email: str, code: str, password: str, remember: bool
    ) -> None:
        self.tasks.start(self.sign_in(url, email, password, remember, code=code), "invitation")

    def on_dialog_rejected(self) -> None:
        self.dialog = None
        if self.store is None:
            self.window.show_signed_out(self.tr("You are not signed in."))

    # --- failures and sign-out
    def on_store_signedOut(self, reason: str) -> None:
        """The server ended the session (expired, deactivated, reset, password changed
        elsewhere): say why and go back to sign-in. Drafts and the outbox stay on disk; they are
        the store's, kept per account, and go out once the same account signs in again."""
        if self.credentials is not None and self.email:
            self.credentials.delete(self.email)
        code = self.store.signed_out_code if self.store is not None else ""
        self.window.show_signed_out(reason)
        self.ask_sign_in(reason)
        if code == "password_reset" and self.dialog is not None:
            self.dialog.use_code()

    def on_window_signInRequested(self) -> None:
        self.ask_sign_in()

    def on_window_retryRequested(self) -> None:
        self.tasks.start(self._retry(), "retry")

    async def _retry(self) -> None:
        if self.backend is None:
            self.ask_sign_in()
            return
        try:
            await self.backend.me()
        except NetworkError as exc:
            self.window.show_unreachable(error_sentence(exc))
            return
        except AuthError as exc:
            self.window.show_signed_out(error_sentence(exc))
            return
        if self.store is not None:
            await self.store.reload()
            self.window.attach_store(self.store)

    def on_window_signOutRequested(self) -> None:
        self.tasks.start(self.sign_out(), "sign-out")

    async def sign_out(self) -> None:
        backend, creds, email = self.backend, self.credentials, self.email
        await self._close_store()
        if backend is not None and creds is not None:
            await sign_out(backend, creds, email)
            await backend.aclose()
        self.backend = None
        if self.insecure_notice is not None:
            self.insecure_notice.hide()
        self.window.show_signed_out(self.tr("You signed out."))

    async def _close_store(self) -> None:
        store = self.store
        self.store = None
        if store is not None:
            self.accounts.detach_store()
            self.window.detach_store()
            await store.close()
            store.deleteLater()

    async def aclose(self) -> None:
        await self.accounts.aclose()
        await self.tasks.cancel_all()
        await self._close_store()
        if self.backend is not None:
            await self.backend.aclose()
            self.backend = None
