"""The self-test's TLS check: an httpx request verifies a loopback server against the bundled
certifi authorities plus a throw-away test CA, and refuses a server signed by an unknown one.
The test PKI serves the cluster tests too (tests/helpers/cluster.py)."""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from agent_desktop.selftest.report import CheckFailed


@dataclass(frozen=True)
class TestPki:
    """A throw-away certificate authority and a server certificate for 127.0.0.1 it signed."""

    ca_pem: bytes
    cert_pem: bytes
    key_pem: bytes


def make_test_pki() -> TestPki:
    """Generate a CA and a loopback server certificate (EC P-256, valid for one hour)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Agent Desktop self-test CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return TestPki(
        ca_pem=ca_cert.public_bytes(serialization.Encoding.PEM),
        cert_pem=cert.public_bytes(serialization.Encoding.PEM),
        key_pem=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )


class _HelloHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'{"hello": "tls"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return


@contextlib.contextmanager
def loopback_tls_server(pki: TestPki, workdir: Path) -> Iterator[str]:
    """An HTTPS server on 127.0.0.1 presenting the test certificate; yields its base URL."""
    cert_file = workdir / "server-cert.pem"
    key_file = workdir / "server-key.pem"
    cert_file.write_bytes(pki.cert_pem)
    key_file.write_bytes(pki.key_pem)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _HelloHandler)
    httpd.daemon_threads = True
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, name="selftest-tls", daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def check_tls(workdir: Path) -> str:
    """An httpx request verifies a loopback server against certifi's bundle plus a test CA."""
    import certifi
    import httpx

    bundle = Path(certifi.where())
    if not bundle.is_file():
        raise CheckFailed(f"certifi's CA bundle is missing ({bundle}).")
    certifi_pem = bundle.read_bytes()
    only_certifi = ssl.create_default_context(cafile=str(bundle))
    authorities = only_certifi.cert_store_stats()["x509_ca"]
    if authorities < 50:
        raise CheckFailed(f"certifi's CA bundle holds only {authorities} authorities.")

    pki = make_test_pki()
    combined = workdir / "ca-bundle.pem"
    combined.write_bytes(certifi_pem.rstrip(b"\n") + b"\n" + pki.ca_pem)
    trusting = ssl.create_default_context(cafile=str(combined))
    with loopback_tls_server(pki, workdir) as url:
        with httpx.Client(verify=trusting, trust_env=False, timeout=15) as client:
            response = client.get(f"{url}/hello")
        if response.status_code != 200 or response.json() != {"hello": "tls"}:
            raise CheckFailed(f"The loopback TLS server answered {response.status_code}.")
        # Verification must really verify: certifi alone does not know the test CA.
        try:
            with httpx.Client(verify=only_certifi, trust_env=False, timeout=15) as client:
                client.get(f"{url}/hello")
        except httpx.ConnectError as exc:
            if "CERTIFICATE_VERIFY_FAILED" not in str(exc) and "certificate" not in str(exc):
                raise CheckFailed(f"The untrusted server failed for another reason: {exc}") from exc
        else:
            raise CheckFailed("A server signed by an unknown CA was accepted: TLS does not verify.")
    return (
        f"certifi bundle {bundle.name} ({authorities} authorities) + test CA verified "
        f"{url} with {ssl.OPENSSL_VERSION}; an unknown CA was refused"
    )
