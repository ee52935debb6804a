"""A real SMTP server on the loopback address (aiosmtpd), optionally with STARTTLS and a login."""

import datetime
import ipaddress
import socket
import ssl
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

HOST = "127.0.0.1"


def free_port():
    """Return a TCP port on the loopback address that nothing listens on just now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def write_self_signed_certificate(directory):
    """Write a certificate for ``localhost`` and 127.0.0.1 and its key; return (certificate path, key path)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(HOST))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    certificate_path = directory / "smtp-certificate.pem"
    key_path = directory / "smtp-key.pem"
    certificate_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return certificate_path, key_path


class RecordingHandler:
    """Keeps every e-mail the server accepts, parsed, with its envelope recipients."""

    def __init__(self):
        self.messages = []
        self.recipients = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


class PasswordCheck:
    def __init__(self, username, password):
        self.username = username
        self.password = password

    def __call__(self, server, session, envelope, mechanism, auth_data):
        accepted = auth_data.login == self.username.encode() and auth_data.password == self.password.encode()
        # handled=False: aiosmtpd then sends the success or failure reply itself.
        return AuthResult(success=accepted, handled=False)


class SMTPServer(Controller):
    """An aiosmtpd controller that can offer STARTTLS and require a login after it."""

    def __init__(self, handler, port, tls_context=None, credentials=None):
        self.tls_context = tls_context
        self.credentials = credentials
        super().__init__(handler, hostname=HOST, port=port)

    def factory(self):
        options = {"hostname": "localhost"}
        if self.tls_context is not None:
            options.update(tls_context=self.tls_context, require_starttls=True)
        if self.credentials is not None:
            options.update(authenticator=PasswordCheck(*self.credentials), auth_required=True)
        return SMTP(self.handler, **options)


def start_server(certificate=None, credentials=None):
    """Start a server on a free port and return (server, handler); stop it with ``server.stop()``."""
    tls_context = None
    if certificate is not None:
        tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_context.load_cert_chain(*certificate)
    handler = RecordingHandler()
    server = SMTPServer(handler, free_port(), tls_context=tls_context, credentials=credentials)
    server.start()
    return server, handler
