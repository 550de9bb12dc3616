"""The socket `skilltick serve` listens on, bound before the service is built: its port (0
picks a free one) is then known, so the links the service makes (invitations, webhook URLs,
Slack's OAuth redirect) name the address it really answers at when no public URL is set."""

from __future__ import annotations

import socket

from models.errors import InvalidInput
from models.settings import Settings


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port; a port in use or an address this machine does not
    have is one clear line."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise InvalidInput(
            f"Cannot listen on {host}:{port} ({exc.strerror or exc}): choose another --port "
            "or --host."
        ) from None
    sock.set_inheritable(True)
    return sock


def base_url(host: str, sock: socket.socket) -> str:
    """The address a browser on this machine reaches the socket at."""
    port = sock.getsockname()[1]
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def with_public_url(settings: Settings, base: str) -> Settings:
    """The settings with `base` as the public URL, unless SKILLTICK_PUBLIC_URL sets one."""
    if "public_url" in settings.triggers.model_fields_set:
        return settings
    triggers = settings.triggers.model_copy(update={"public_url": base})
    return settings.model_copy(update={"triggers": triggers})
