"""Old mail on disk: an mbox file or a Maildir folder, read with the standard library's `mailbox`."""

from __future__ import annotations

import mailbox as stdlib_mailbox
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import MailintakeError


@dataclass(frozen=True)
class Source:
    path: Path
    kind: str  # "mbox" | "maildir"

    def __len__(self) -> int:
        return len(self._open())

    def messages(self) -> Iterator[bytes]:
        box = self._open()
        for key in box.iterkeys():
            yield box.get_bytes(key)

    def _open(self):
        if self.kind == "maildir":
            return stdlib_mailbox.Maildir(self.path, factory=None, create=False)
        return stdlib_mailbox.mbox(self.path, factory=None, create=False)


def open_source(path: Path) -> Source:
    if path.is_dir():
        if not (path / "cur").is_dir() and not (path / "new").is_dir():
            raise MailintakeError(f"{path}: a folder to import must be a Maildir (with cur/ and new/)")
        return Source(path, "maildir")
    if path.is_file():
        with path.open("rb") as handle:
            if not handle.read(5) == b"From ":
                raise MailintakeError(f"{path}: not an mbox file (it must start with a 'From ' line)")
        return Source(path, "mbox")
    raise MailintakeError(f"{path}: no such file or folder")
