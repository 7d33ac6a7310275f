"""The certificate authorities the client trusts for https:// and wss://: certifi's bundle, or
the file or folder named by SSL_CERT_FILE / SSL_CERT_DIR (a company's own CA). One TLS context for
the early requests, the HTTP client and the event stream, so all three trust exactly the same.

Not the operating system's store: Python's ssl module does not read the macOS keychain, and a
frozen app's OpenSSL looks for a Linux distribution's bundle at a path that differs between
distributions; certifi ships inside the app and behaves the same everywhere (it is what httpx
trusts by default too). Standard library and certifi only: the early requests use it.
"""

from __future__ import annotations

import os
import ssl
import threading

_lock = threading.Lock()
_contexts: dict[tuple[str, str], ssl.SSLContext] = {}


def ca_locations() -> tuple[str, str]:
    """The (file, folder) of certificate authorities to trust: SSL_CERT_FILE or SSL_CERT_DIR when
    set, certifi's bundle otherwise (`certifi.where()` imports importlib's resource readers on
    its first call, so a thread that must not import asks for the locations beforehand)."""
    cafile = os.environ.get("SSL_CERT_FILE", "")
    capath = "" if cafile else os.environ.get("SSL_CERT_DIR", "")
    if not cafile and not capath:
        import certifi

        cafile = certifi.where()
    return cafile, capath


def tls_context(locations: tuple[str, str] | None = None) -> ssl.SSLContext:
    """A verifying client context (hostname checked, CERT_REQUIRED) on the client's CAs
    (`locations`, or `ca_locations()`); made once per bundle (loading one takes ~0.2 s)."""
    key = locations or ca_locations()
    cafile, capath = key
    with _lock:
        context = _contexts.get(key)
        if context is None:
            if cafile:
                context = ssl.create_default_context(cafile=cafile)
            else:
                context = ssl.create_default_context(capath=capath)
            _contexts[key] = context
        return context
