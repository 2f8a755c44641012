"""Where a secret lives: an environment variable or a file, read only when it is needed.

Secrets never sit in config.toml itself; a section names `password_env` or
`password_file` and gets a `Secret` that resolves it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError


@dataclass(frozen=True)
class Secret:
    """A password from `env` or `file`; `key` names it in errors ("[mailbox] password")."""

    key: str
    env: str | None = None
    file: str | None = None

    @property
    def configured(self) -> bool:
        return bool(self.env or self.file)

    def value(self) -> str:
        if self.env:
            found = os.environ.get(self.env)
            if found is None:
                raise ConfigError(f"{self.key}_env: environment variable {self.env} is not set")
            return found
        if self.file:
            try:
                return Path(self.file).read_text(encoding="utf-8").rstrip("\r\n")
            except OSError as exc:
                raise ConfigError(f"{self.key}_file: cannot read {self.file}: {exc.strerror}") from None
        return ""
