"""Pages of a list in a fixed order, found by seeking from a row's key (keyset pagination), not by OFFSET.

A page is named by the key of the row it follows (`after`) or precedes
(`before`), so the database reads one page along an index however deep the
page lies; the last page is read from the end. A bare page number (old links,
the CLI's --page) still works, by OFFSET. The total is one count(*) over the
filtered query: no row is loaded to count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import DateTime, Select, and_, func, or_, select
from sqlalchemy.orm import Session

KEY_TIME = "%Y%m%d%H%M%S%f"
LAST = 2**31  # a page number past any end: `fetch_numbered` shows the last page


@dataclass(frozen=True)
class PageRequest:
    """Which page: the one after a key, before a key, the last one, or (without a key) a page number."""

    number: int = 1  # shown with a key; used to find the page only without one
    after: str = ""
    before: str = ""
    last: bool = False


@dataclass(frozen=True)
class Order:
    """A list's order: its columns, most significant first, the last one unique (the id), all one direction."""

    columns: tuple
    descending: bool = False

    def key(self, row) -> str:
        """The row's place in the order, as it goes into a URL: `20260329003000000000-42`."""
        return "-".join(_encode(getattr(row, column.key)) for column in self.columns)

    def parse(self, text: str) -> tuple | None:
        """The values of a key from a URL; None for anything that is not one (a hand-edited link)."""
        parts = text.split("-")
        if len(parts) != len(self.columns):
            return None
        try:
            return tuple(_decode(part, column) for part, column in zip(parts, self.columns))
        except ValueError:
            return None

    def sort(self, backwards: bool) -> list:
        down = self.descending != backwards
        return [column.desc() if down else column.asc() for column in self.columns]

    def beyond(self, values: tuple, backwards: bool):
        """The rows strictly past `values` in the reading direction.

        The leading column's own bound (>= or <=) comes first so that any
        planner sees a plain index range on it.
        """
        down = self.descending != backwards
        lead, value = self.columns[0], values[0]
        past = _lexically_past(self.columns, values, down)
        return past if len(self.columns) == 1 else and_(lead <= value if down else lead >= value, past)


@dataclass
class Page:
    rows: list
    total: int
    number: int
    size: int
    has_previous: bool
    has_next: bool
    first_key: str = ""
    last_key: str = ""

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    def previous_args(self) -> dict:
        return {"before": self.first_key, "page": max(1, self.number - 1)}

    def next_args(self) -> dict:
        return {"after": self.last_key, "page": self.number + 1}


def fetch(session: Session, query: Select, order: Order, wanted: PageRequest, size: int,
          *, options: tuple = (), scalars: bool = True) -> Page:
    """One page of `query` (filtered, not ordered) in `order`.

    `options` are loader options for the rows (not the count); `scalars=False`
    for a select of columns rather than of one entity.
    """
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    query = query.options(*options)
    key = order.parse(wanted.after or wanted.before) if (wanted.after or wanted.before) else None
    if wanted.last:
        return _last_page(session, query, order, total, size, scalars)
    if key is None:
        return _numbered_page(session, query, order, max(1, wanted.number), total, size, scalars)
    if wanted.before:
        return _page_before(session, query, order, wanted, key, total, size, scalars)
    return _page_after(session, query, order, wanted, key, total, size, scalars)


def fetch_numbered(session: Session, query: Select, order_by: tuple, number: int, size: int,
                   *, options: tuple = ()) -> Page:
    """Page `number` of `query` in an order no key can name (a search's ranking), by OFFSET: for lists kept
    short, such as a search's best hits."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    number = max(1, min(number, max(1, math.ceil(total / size))))
    rows = list(session.scalars(query.options(*options).order_by(*order_by).limit(size + 1).offset((number - 1) * size)))
    return Page(rows[:size], total, number, size, number > 1, len(rows) > size)


def _page_after(session, query, order, wanted, key, total, size, scalars) -> Page:
    rows = _read(session, query.where(order.beyond(key, False)), order, size + 1, 0, False, scalars)
    return _page(rows[:size], total, max(2, wanted.number), size, order, previous=True, following=len(rows) > size)


def _numbered_page(session, query, order, number, total, size, scalars) -> Page:
    rows = _read(session, query, order, size + 1, (number - 1) * size, False, scalars)
    return _page(rows[:size], total, number, size, order, previous=number > 1, following=len(rows) > size)


def _last_page(session, query, order, total, size, scalars) -> Page:
    pages = max(1, math.ceil(total / size))
    rows = _read(session, query, order, total - (pages - 1) * size, 0, True, scalars) if total else []
    return _page(rows, total, pages, size, order, previous=pages > 1, following=False)


def _page_before(session, query, order, wanted, key, total, size, scalars) -> Page:
    rows = _read(session, query.where(order.beyond(key, True)), order, size + 1, 0, True, scalars)
    if len(rows) <= size:  # nothing before these rows: this is the first page, whatever the link said
        return _numbered_page(session, query, order, 1, total, size, scalars)
    return _page(rows[-size:], total, max(2, wanted.number), size, order, previous=True, following=True)


def _read(session, query, order, limit, offset, backwards, scalars) -> list:
    query = query.order_by(*order.sort(backwards)).limit(limit).offset(offset or None)
    rows = list(session.scalars(query) if scalars else session.execute(query))
    return rows[::-1] if backwards else rows


def _page(rows, total, number, size, order, *, previous: bool, following: bool) -> Page:
    first, last = (order.key(rows[0]), order.key(rows[-1])) if rows else ("", "")
    return Page(rows, total, number, size, previous, following, first, last)


def _lexically_past(columns, values, down: bool):
    column, value = columns[0], values[0]
    strictly = column < value if down else column > value
    if len(columns) == 1:
        return strictly
    return or_(strictly, and_(column == value, _lexically_past(columns[1:], values[1:], down)))


def _is_time(column) -> bool:
    kind = column.type
    return isinstance(getattr(kind, "impl", kind), DateTime)


def _encode(value) -> str:
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime(KEY_TIME)
    return str(int(value))


def _decode(part: str, column):
    if _is_time(column):
        return datetime.strptime(part, KEY_TIME).replace(tzinfo=timezone.utc)
    if not part.isdigit():
        raise ValueError(part)
    return int(part)
