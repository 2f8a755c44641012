"""config.toml -> `Config`: read the file, type-check each key against its section, let each section check itself.

Every problem is reported as one `ConfigError` line that names the key, e.g.
`config.toml: [mailbox] port: expected an integer, got "993x"`.
"""

from __future__ import annotations

import os
import tomllib
import types
import typing
from dataclasses import MISSING, fields, is_dataclass
from pathlib import Path

from ..domain import SERVICES
from ..errors import ConfigError
from .sections import SECTIONS, SERVICE_KEYS, Config, ServiceConfig

ENV_CONFIG = "MAILINTAKE_CONFIG"


def config_path(cli_path: str | None) -> Path:
    """--config PATH, else $MAILINTAKE_CONFIG, else ./config.toml."""
    return Path(cli_path or os.environ.get(ENV_CONFIG) or "config.toml")


def load(path: Path) -> Config:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found (use --config PATH or ${ENV_CONFIG})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return from_dict(data, source=str(path))


def from_dict(data: dict, source: str = "config.toml") -> Config:
    unknown = sorted(set(data) - set(SECTIONS) - {"services"})
    if unknown:
        raise ConfigError(f"{source}: unknown section [{unknown[0]}]")
    sections = {}
    for name, cls in SECTIONS.items():
        if name in data:
            if not isinstance(data[name], dict):
                raise ConfigError(f"{source}: [{name}] must be a table")
            sections[name] = _section(cls, data[name], f"{source}: [{name}]")
    services = _services(data.get("services", {}), source)
    config = Config(source=source, mailbox=sections.pop("mailbox", None), services=services, **sections)
    config.check()
    return config


def _services(data, source: str) -> dict[str, ServiceConfig]:
    """[services.NAME] name/contact per language, e.g. contact = { nl = "...", fr = "...", en = "..." }."""
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: [services] must be a table")
    result = {}
    for service, values in data.items():
        where = f"{source}: [services.{service}]"
        if service not in SERVICES:
            raise ConfigError(f"{where} unknown service (one of {', '.join(SERVICES)})")
        if not isinstance(values, dict):
            raise ConfigError(f"{where} must be a table")
        for key, value in values.items():
            if key not in SERVICE_KEYS:
                raise ConfigError(f"{where} unknown key {key!r}")
            if not isinstance(value, (str, dict)):
                raise ConfigError(f"{where} {key}: expected a string or a table of strings per language")
        result[service] = ServiceConfig(**values)
    return result


def _section(cls: type, values: dict, where: str):
    known = {f.name: f for f in fields(cls)}
    hints = typing.get_type_hints(cls)
    kwargs = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"{where} unknown key {key!r}")
        kwargs[key] = _coerce(value, hints[key], f"{where} {key}")
    for key, spec in known.items():
        if key not in kwargs and spec.default is MISSING and spec.default_factory is MISSING:
            raise ConfigError(f"{where} {key}: required key is missing")
    return cls(**kwargs)


def _coerce(value, hint, where: str):
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [h for h in typing.get_args(hint) if h is not type(None)]
        tables = [h for h in options if is_dataclass(h)]
        if tables and isinstance(value, dict):
            return _coerce(value, tables[0], where)
        return _coerce(value, next((h for h in options if not is_dataclass(h)), options[0]), where)
    if is_dataclass(hint):  # a nested table: "config.toml: [mailbox] oauth2" -> "config.toml: [mailbox.oauth2]"
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a table, got {value!r}")
        section, _, key = where.rpartition("] ")
        return _section(hint, value, f"{section}.{key}]")
    if origin is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: expected a list of strings, got {value!r}")
        return tuple(value)
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: expected true or false, got {value!r}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: expected an integer, got {value!r}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{where}: expected a number, got {value!r}")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected a string, got {value!r}")
        return value
    if hint is dict or origin is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a table, got {value!r}")
        return value
    raise ConfigError(f"{where}: unsupported value {value!r}")
