"""The city services the office deals with: their mail addresses from `[services.NAME] address`.

Mediation requests and forwards go to these addresses, and mail from them that
names a case joins that case as the service's answer.
"""

from __future__ import annotations

from .config import Config


def service_address(config: Config, service: str | None) -> str | None:
    """The configured mail address of a service, or None when it has none."""
    value = config.services.get(service or "", {}).get("address")
    return value.strip() if isinstance(value, str) and "@" in value else None


def service_for_address(config: Config, address: str | None) -> str | None:
    """The service whose configured address this is (case-insensitive), or None."""
    wanted = (address or "").strip().lower()
    if not wanted:
        return None
    for service in config.services:
        if (service_address(config, service) or "").lower() == wanted:
            return service
    return None
