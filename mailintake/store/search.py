"""The full-text index of case files: one entry per case, found by stemmed words in one index lookup.

An entry holds the case's names (reference, names, addresses, phone), found
exactly or by prefix, and its terms: the subject, the citizen's text, every
message's text (follow-ups, services' answers), our letters and attachment
file names, each word stemmed (Snowball, PyStemmer) in the case's language.
Both are accent-folded. Stemming and folding happen here in Python, the same
for both databases: SQLite keeps entries in an FTS5 table, PostgreSQL in a
tsvector (names weighted A) with a GIN index; migration 0010 creates them.

`watch(sessions)` makes every transaction that changes a case, its messages,
attachments or mail rewrite that case's entry before it commits, so the index
is never behind the data. Bulk deletes bypass the session: the code that
erases calls `forget` (and `rewrite` for cases that lost a message).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from sqlalchemy import Float, Integer, column, event, inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from .models import AttachmentRecord, Case, MessageRecord, OutboxMessage

STEMMERS = {"nl": "dutch", "fr": "french", "en": "english"}
WORD = re.compile(r"[^\W_]+")
SPACES = re.compile(r"\s+")
TEXT_LIMIT = 64 * 1024  # per message: what triage reads too; the rest of a huge mail is not searched
ENTRY_LIMIT = 400 * 1024  # a whole file's text; keeps PostgreSQL's tsvector under its 1 MB bound
QUERY_WORDS = 10
RANK_LIMIT = 2000  # more hits than this are listed by date: ranking them all costs more than it tells
SNIPPET_READ = 20 * 1024  # of each text, what a snippet is looked for in
SNIPPET_BEFORE, SNIPPET_AFTER = 6, 12  # words around the first hit
REWRITE_CHUNK = 200  # cases per round of queries: bounded memory, few bound parameters
# only columns that existed when the index came (migration 0010 builds entries with this module)
CASE_COLUMNS = (Case.id, Case.ref, Case.sender_name, Case.sender_address, Case.reply_address, Case.postal_address,
                Case.phone, Case.subject, Case.text, Case.language)
TOUCHED = "search_touched"


def fold(word: str) -> str:
    """Lower case without accents: "Refusé" -> "refuse"."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(value: str) -> list[str]:
    return WORD.findall(value.casefold())


def terms(value: str, language: str) -> list[str]:
    """Each word folded, and its stem in `language` folded, when that differs."""
    forms = _forms_in(language)
    found: list[str] = []
    for word in words(value):
        found += forms(word)
    return found


@lru_cache(maxsize=None)
def _forms_in(language: str):
    """A cached word -> (folded, stem) function per language: a mail repeats most of its words, and so do
    a case's messages, so each distinct word is folded and stemmed once."""
    stem = _stemmer(language).stemWord

    @lru_cache(maxsize=200_000)
    def forms(word: str) -> tuple[str, ...]:
        plain, stemmed = fold(word), fold(stem(word))
        return (plain,) if stemmed == plain else (plain, stemmed)

    return forms


def query_forms(word: str) -> list[str]:
    """What one searched word may be indexed as: itself folded, or its stem in any of our languages."""
    forms = {fold(word)} | {fold(_stemmer(language).stemWord(word)) for language in STEMMERS}
    return sorted(form for form in forms if form)


@lru_cache(maxsize=None)
def _stemmer(language: str):
    import Stemmer  # a small C extension; loaded when the first word is stemmed

    return Stemmer.Stemmer(STEMMERS.get(language, "dutch"))


# --- writing entries ---------------------------------------------------------------------------

def watch(sessions: sessionmaker) -> None:
    """Keep the index in step with every session `sessions` makes (see the module's docstring)."""
    event.listen(sessions, "after_flush", _note_touched)
    event.listen(sessions, "before_commit", _rewrite_touched)
    event.listen(sessions, "after_rollback", _drop_touched)


def rewrite(session: Session, case_ids) -> None:
    """Write the entries of these cases anew; a case that no longer exists just loses its entry."""
    ids = sorted(set(case_ids) - {None})
    if not ids:
        return
    forget(session, ids, tidy=False)
    for chunk in (ids[start:start + REWRITE_CHUNK] for start in range(0, len(ids), REWRITE_CHUNK)):
        texts = file_texts(session, chunk)
        rows = [{"id": case.id, **dict(zip(("names", "terms"), entry(case, texts.get(case.id, []))))}
                for case in session.execute(select(*CASE_COLUMNS).where(Case.id.in_(chunk)))]
        if rows:
            session.execute(_insert(session), rows)


def forget(session: Session, case_ids, *, tidy: bool = True) -> None:
    """Remove these cases' entries; with `tidy`, SQLite's index is rewritten so no trace of them stays in it."""
    ids = sorted(set(case_ids) - {None})
    if not ids:
        return
    table = "DELETE FROM case_search WHERE rowid = :id" if _sqlite(session) else \
        "DELETE FROM case_search WHERE case_id = :id"
    session.execute(text(table), [{"id": i} for i in ids])
    if tidy and _sqlite(session):  # FTS5 keeps deleted terms in its segments until they are merged
        session.execute(text("INSERT INTO case_search(case_search) VALUES ('optimize')"))


def entry(case, texts: list[str]) -> tuple[str, str]:
    """(names, terms) of one case (a row of CASE_COLUMNS) and the texts of its file, as space-separated
    folded words."""
    names = " ".join(fold(w) for field in (case.ref, case.sender_name, case.sender_address, case.reply_address,
                                            case.postal_address, case.phone) for w in words(field or ""))
    parts = [case.subject or "", case.text or "", *texts]
    return names, " ".join(terms(" ".join(parts)[:ENTRY_LIMIT], case.language))


def file_texts(session: Session, case_ids: list[int]) -> dict[int, list[str]]:
    """Per case, the texts of its file besides the case's own: every message's subject and text, attachment
    file names, our mail's subject and body (three queries for all these cases)."""
    texts: dict[int, list[str]] = {}
    for case_id, parsed in session.execute(select(MessageRecord.case_id, MessageRecord.parsed)
                                           .where(MessageRecord.case_id.in_(case_ids)).order_by(MessageRecord.id)):
        parsed = parsed or {}
        texts.setdefault(case_id, []).extend([parsed.get("subject") or "", (parsed.get("text") or "")[:TEXT_LIMIT]])
    for case_id, filename in session.execute(select(MessageRecord.case_id, AttachmentRecord.filename).join(MessageRecord)
                                             .where(MessageRecord.case_id.in_(case_ids))
                                             .order_by(AttachmentRecord.id)):
        texts.setdefault(case_id, []).append(filename or "")
    for case_id, subject, body in session.execute(select(OutboxMessage.case_id, OutboxMessage.subject,
                                                         OutboxMessage.body)
                                                  .where(OutboxMessage.case_id.in_(case_ids))
                                                  .order_by(OutboxMessage.id)):
        texts.setdefault(case_id, []).extend([subject or "", (body or "")[:TEXT_LIMIT]])
    return texts


def _insert(session: Session):
    if _sqlite(session):
        return text("INSERT INTO case_search(rowid, names, terms) VALUES (:id, :names, :terms)")
    return text("INSERT INTO case_search(case_id, document) VALUES (:id, "
                "setweight(to_tsvector('simple', :names), 'A') || setweight(to_tsvector('simple', :terms), 'D'))")


# what a change must touch to change an entry (see `entry`); a status change or a sent mark does not
SEARCHED = {
    Case: {"ref", "sender_name", "sender_address", "reply_address", "postal_address", "phone", "subject", "text",
           "language"},
    MessageRecord: {"case_id", "parsed"},
    OutboxMessage: {"case_id", "subject", "body"},
    AttachmentRecord: {"filename", "message_id"},
}


def _note_touched(session: Session, _context) -> None:
    touched = session.info.setdefault(TOUCHED, set())
    changed = [*session.new, *session.deleted] + [item for item in session.dirty if _searched_change(item)]
    for item in changed:
        if isinstance(item, Case):
            touched.add(item.id)
        elif isinstance(item, (MessageRecord, OutboxMessage)):
            touched.add(item.case_id)
            touched.update(_earlier_case_ids(item))  # one moved to another case leaves its text in the one it left
        elif isinstance(item, AttachmentRecord) and item.message is not None:
            touched.add(item.message.case_id)


def _searched_change(item) -> bool:
    names = SEARCHED.get(type(item))
    if not names:
        return False
    attrs = inspect(item).attrs
    return any(attrs[name].history.has_changes() for name in names)


def _earlier_case_ids(item) -> list:
    return list(inspect(item).attrs.case_id.history.deleted or ())


def _rewrite_touched(session: Session) -> None:
    """Before the outermost commit: a savepoint's changes stay noted until then, so a batch of messages that
    add to one case rewrites its entry once, not once a message."""
    session.flush()
    if session.in_nested_transaction():
        return
    touched = session.info.pop(TOUCHED, set())
    if touched:
        rewrite(session, touched)
        session.flush()


def _drop_touched(session: Session) -> None:
    """A savepoint rolled back keeps what the others noted: rewriting a case that did not change is harmless
    (the entry is made from what is stored), leaving out one that did is not."""
    if not session.in_nested_transaction():
        session.info.pop(TOUCHED, None)


# --- finding cases -----------------------------------------------------------------------------

def matching(session: Session, search: str):
    """A condition on Case.id: the cases whose entry holds every searched word (a name also by prefix)."""
    wanted = _wanted(search)
    if not wanted:
        return None
    if _sqlite(session):
        found = text("SELECT rowid FROM case_search WHERE case_search MATCH :query").bindparams(
            query=" AND ".join(_fts5_word(w) for w in wanted))
    else:
        found = text("SELECT case_id FROM case_search WHERE document @@ CAST(:query AS tsquery)").bindparams(
            query=" & ".join(_tsquery_word(w) for w in wanted))
    return Case.id.in_(found.columns(column("id", Integer)))


def _fts5_word(word: str) -> str:
    forms = " OR ".join(f'"{form}"' for form in query_forms(word))
    return f'(terms : ({forms}) OR names : "{fold(word)}"*)'


def _tsquery_word(word: str) -> str:
    forms = " | ".join(f"'{form}'" for form in query_forms(word))  # quoted: taken as lexemes, never parsed
    return f"({forms} | '{fold(word)}':*A)"


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def ranking(session: Session, search: str, limit: int | None = None):
    """A subquery (case_id, score) of the cases matching `search`, best first by ascending score (SQLite's
    bm25, PostgreSQL's ts_rank negated); None without a search or with more than `limit` hits."""
    wanted = _wanted(search)
    if not wanted:
        return None
    limit = RANK_LIMIT if limit is None else limit
    if _sqlite(session):
        where = "FROM case_search WHERE case_search MATCH :query"
        query, ids, score = " AND ".join(_fts5_word(w) for w in wanted), "rowid", "bm25(case_search)"
    else:
        where = "FROM case_search WHERE document @@ CAST(:query AS tsquery)"
        query, ids, score = " & ".join(_tsquery_word(w) for w in wanted), "case_id", \
            "-ts_rank(document, CAST(:query AS tsquery))"
    hits = session.scalar(text(f"SELECT count(*) FROM (SELECT 1 {where} LIMIT :most) AS hits"),
                          {"query": query, "most": limit + 1})
    if hits > limit:
        return None
    return text(f"SELECT {ids} AS case_id, {score} AS score {where}").bindparams(query=query).columns(
        column("case_id", Integer), column("score", Float)).subquery("ranked")


def snippet(texts: list[str], search: str, language: str) -> list[tuple[str, bool]] | None:
    """Where the searched words first occur in `texts` (in order): a few words either side, as (text, is a
    hit) pieces for the page to mark; None when no text holds one (the hit is in a name or address)."""
    wanted = {form for word in _wanted(search) for form in query_forms(word)}
    forms = _forms_in(language)
    for value in texts:
        value = (value or "")[:SNIPPET_READ]
        found = [(m.start(), m.end()) for m in WORD.finditer(value) if wanted.intersection(forms(m.group().casefold()))]
        if found:
            return _pieces(value, found)
    return None


def _pieces(value: str, hits: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    spans = [m.span() for m in WORD.finditer(value)]
    first = next(index for index, span in enumerate(spans) if span == hits[0])
    start = spans[max(0, first - SNIPPET_BEFORE)][0]
    end = spans[min(len(spans) - 1, first + SNIPPET_AFTER)][1]
    pieces, at = [], start
    for hit_start, hit_end in (h for h in hits if start <= h[0] and h[1] <= end):
        pieces += [(value[at:hit_start], False), (value[hit_start:hit_end], True)]
        at = hit_end
    pieces.append((value[at:end], False))
    prefix, suffix = ("… " if start else ""), (" …" if end < len(value) else "")
    pieces[0], pieces[-1] = (prefix + pieces[0][0], pieces[0][1]), (pieces[-1][0] + suffix, pieces[-1][1])
    return [(SPACES.sub(" ", piece), hit) for piece, hit in pieces if piece]


def _wanted(search: str) -> list[str]:
    return [w for w in words(search) if fold(w)][:QUERY_WORDS]
