"""Where `candid serve` listens, and what it says about it."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

from ..engine.i18n import _, number_text
from .games import IDLE_MINUTES, MAX_PLAYERS

LOOPBACK_NAMES = frozenset({"localhost", "ip6-localhost", "ip6-loopback", "localhost.localdomain"})


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """`host` as an IP address, also in the short IPv4 forms the resolver accepts (`127.1`)."""
    text = host.strip("[]")
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(text)) if text and text[0].isdigit() else None
    except OSError:
        return None


def is_loopback_name(host: str) -> bool:
    """Whether a host name or address (no lookup) means this machine: `localhost.`, `127.1`, `::1`..."""
    name = host.lower().rstrip(".")
    if name in LOOPBACK_NAMES:
        return True
    address = _address(name)
    return address is not None and address.is_loopback


def is_loopback(host: str) -> bool:
    """Whether binding to `host` keeps the server on this machine only: a loopback name or address,
    or a name whose every address is loopback."""
    if is_loopback_name(host):
        return True
    if _address(host) is not None:
        return False
    try:
        found = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return False
    addresses = {_address(str(info[4][0]).split("%")[0]) for info in found}
    return bool(addresses) and all(a is not None and a.is_loopback for a in addresses)


def is_unspecified(host: str) -> bool:
    address = _address(host)
    return address is not None and address.is_unspecified


def url_for(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def banner(title: str, host: str, port: int, home: Path, max_players: int = MAX_PLAYERS, idle_minutes: float = IDLE_MINUTES) -> list[str]:
    """What `candid serve` says at start: where to go, who can reach it, where saves go, the limits."""
    lines = [_("Serving {title} at {url}").format(title=title, url=url_for(host, port))]
    if is_loopback(host):
        lines.append(_("Loopback only: just this machine can play. To let others on your network play, use --host 0.0.0.0."))
    else:
        lines.append(
            _(
                "Warning: listening on {host}, not loopback: anyone who can reach this machine on port {port} can play "
                "(there is no password). Use this only on a network you trust."
            ).format(host=host, port=port)
        )
        if is_unspecified(host):
            lines.append(_("Others open {url} or this machine's address.").format(url=f"http://{socket.gethostname()}:{port}/"))
    lines.append(_("Each browser gets its own game and save folder under {folder}.").format(folder=home))
    minutes = f"{idle_minutes:g}" if idle_minutes != int(idle_minutes) else number_text(int(idle_minutes))
    limits = _("Up to {players} games at once; a game idle for {minutes} minutes is closed (it is autosaved).")
    lines.append(limits.format(players=number_text(max_players), minutes=minutes))
    lines.append(_("Press Ctrl+C to stop."))
    return lines


def check_address(host: str, port: int) -> None:
    """Bind and release the address, so a busy port or unknown host is reported before the banner. Raises OSError."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, kind, proto) as probe:
        # As aiohttp will: a port left in TIME_WAIT by a previous run is free to use.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(address)


__all__ = ["banner", "check_address", "is_loopback", "is_loopback_name", "is_unspecified", "url_for"]
