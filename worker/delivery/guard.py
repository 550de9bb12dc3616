"""Where a webhook may go: public addresses only, unless the allowlist says otherwise.

check_destination() parses the URL, resolves its host (socket.getaddrinfo) and refuses it when any
address it resolves to is private, loopback, link-local, multicast, reserved, unspecified, not
globally routable, or a cloud metadata endpoint (also wrapped in an IPv4-mapped or 6to4 IPv6
address) — checked after resolution, so a public-looking name pointing at 127.0.0.1 is refused
too. The allowlist names hosts ("hooks.internal",
"*.corp.example") or addresses ("10.1.2.3", "10.1.0.0/16", "::1"). The caller connects to the
returned address, never resolves again.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from models.errors import DeliveryError, InvalidInput

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
METADATA_ADDRESSES = frozenset(
    {
        ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack
        ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
        ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
    }
)


@dataclass(frozen=True)
class Destination:
    scheme: str
    host: str  # as written in the URL (lowercase), for Host, TLS and messages
    port: int
    path: str  # path and query, as sent in the request line
    ips: tuple[str, ...]  # the checked addresses, in resolver order: connect to these only

    @property
    def ip(self) -> str:
        return self.ips[0]

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


@dataclass(frozen=True)
class ParsedUrl:
    scheme: str
    host: str
    port: int
    path: str


def parse_webhook_url(url: str) -> ParsedUrl:
    """Scheme http(s), a host, no credentials; InvalidInput names what is wrong."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise InvalidInput(f"'{url}' is not a valid webhook URL ({exc}).") from None
    if parts.scheme not in ("http", "https"):
        raise InvalidInput(f"'{url}' is not a webhook URL (https://...).")
    if not parts.hostname:
        raise InvalidInput(f"'{url}' has no host name.")
    if parts.username or parts.password:
        raise InvalidInput(
            "A webhook URL may not contain a user name or password; "
            "put the token in the path or query instead."
        )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return ParsedUrl(
        parts.scheme, parts.hostname.lower(), port or (443 if parts.scheme == "https" else 80), path
    )


def forbidden_reason(ip: IPAddress) -> str | None:
    """Why this address may not receive webhooks, or None when it is public."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if isinstance(ip, ipaddress.IPv6Address) and ip.sixtofour is not None:
        # 2002:7f00:1:: is 6to4 for 127.0.0.1: a host with a 6to4 tunnel sends it there
        inner = forbidden_reason(ip.sixtofour)
        if inner is not None:
            return f"a 6to4 address wrapping {inner}"
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    for flag, reason in (
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_private, "a private address"),
        (ip.is_reserved, "a reserved address"),
        (not ip.is_global, "not a public address"),
    ):
        if flag:
            return reason
    return None


def _host_allowed(host: str, allowlist: Iterable[str]) -> bool:
    for entry in allowlist:
        entry = entry.strip().lower()
        if entry.startswith("*.") and host.endswith(entry[1:]):
            return True
        if entry == host:
            return True
    return False


def _ip_allowed(ip: IPAddress, allowlist: Iterable[str]) -> bool:
    for entry in allowlist:
        try:
            network = ipaddress.ip_network(entry.strip().strip("[]"), strict=False)
        except ValueError:
            continue  # a host name
        if ip.version == network.version and ip in network:
            return True
    return False


def literal_ip(host: str) -> IPAddress | None:
    """The address a host written as a number stands for: the standard forms, and the legacy
    IPv4 forms resolvers still accept (2130706433, 0x7f.0.0.1, 0177.0.0.1, 127.1)."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return _legacy_ipv4(host)


def _legacy_ipv4(host: str) -> ipaddress.IPv4Address | None:
    # inet_aton(3): one to four parts, each decimal, 0x-hex or 0-octal; the last part fills
    # the remaining bytes ("127.1" is 127.0.0.1, "2130706433" is 127.0.0.1)
    parts = host.split(".")
    if parts and parts[-1] == "" and len(parts) > 1:
        parts.pop()  # a trailing dot, as in a fully qualified name
    if not 1 <= len(parts) <= 4:
        return None
    numbers: list[int] = []
    for part in parts:
        try:
            if part[:2] in ("0x", "0X"):
                numbers.append(int(part[2:], 16))
            elif len(part) > 1 and part.startswith("0"):
                numbers.append(int(part, 8))
            else:
                numbers.append(int(part, 10) if part.isdigit() else -1)
        except ValueError:
            return None
    *head, last = numbers
    if any(not 0 <= n <= 255 for n in head) or not 0 <= last < 256 ** (4 - len(head)):
        return None
    value = last
    for index, number in enumerate(head):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def check_destination(
    url: str,
    allowlist: Iterable[str] = (),
    resolver: Callable[..., list] = socket.getaddrinfo,
) -> Destination:
    """The address to connect to for `url`; DeliveryError (not retryable) when refused,
    retryable when the name does not resolve (DNS may be back on the next attempt)."""
    allowlist = tuple(allowlist)
    try:
        parsed = parse_webhook_url(url)
    except InvalidInput as exc:
        raise DeliveryError(exc.message, retryable=False) from None
    literal = literal_ip(parsed.host)
    if literal is not None:
        addresses: list[IPAddress] = [literal]
    else:
        try:
            infos = resolver(parsed.host, parsed.port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError, OSError) as exc:
            raise DeliveryError(
                f"webhook host {parsed.host} could not be resolved ({type(exc).__name__})",
                retryable=True,
            ) from exc
        # the scope of a link-local v6 address ("fe80::1%eth0") is not part of the address
        addresses = list(
            dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos)
        )
        if not addresses:
            raise DeliveryError(f"webhook host {parsed.host} has no address", retryable=True)
    if not _host_allowed(parsed.host, allowlist):
        for ip in addresses:
            reason = forbidden_reason(ip)
            if reason is not None and not _ip_allowed(ip, allowlist):
                what = f"is {reason}" if literal else f"resolves to {ip}, {reason}"
                raise DeliveryError(
                    f"webhook destination refused: {parsed.host} {what} "
                    "(an administrator can allow it with SKILLTICK_WEBHOOK_ALLOWLIST)",
                    retryable=False,
                )
    return Destination(
        parsed.scheme, parsed.host, parsed.port, parsed.path, tuple(str(ip) for ip in addresses)
    )


def check_webhook_url(url: str, allowlist: Iterable[str] = ()) -> None:
    """At creation: the URL's shape, and a literal address or "localhost" that would be refused
    (names are resolved again at each send, where the full check happens)."""
    parsed = parse_webhook_url(url)
    allowlist = tuple(allowlist)
    if _host_allowed(parsed.host, allowlist):
        return
    ip = literal_ip(parsed.host)
    if ip is None and (parsed.host == "localhost" or parsed.host.endswith(".localhost")):
        ip = ipaddress.ip_address("127.0.0.1")
    if ip is not None and not _ip_allowed(ip, allowlist):
        reason = forbidden_reason(ip)
        if reason is not None:
            shown = parsed.host if parsed.host.strip("[]") == str(ip) else f"{parsed.host} ({ip})"
            raise InvalidInput(f"Webhooks cannot go to {shown}: it is {reason}.")
