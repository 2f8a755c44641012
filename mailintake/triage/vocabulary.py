"""The triage vocabulary: packaged TOML files, merged with overrides, compiled once.

Every word list triage uses lives in `mailintake/triage/*.toml` so the office can extend it
from `config.toml` (`TriageSettings.vocabulary_overrides`) without a release. Patterns are
regular expressions matched case-insensitively; weighted lists are TOML tables of
`'pattern' = weight`.
"""

from __future__ import annotations

import json
import re
import threading
import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any, Iterator, Mapping

import ahocorasick

_FILES = ("kind", "identity", "dates", "flags", "services")


@lru_cache(maxsize=1)
def packaged() -> dict:
    """All packaged TOML files, one top-level table per file name."""
    data: dict[str, Any] = {}
    for name in _FILES:
        text = resources.files(__package__).joinpath(f"{name}.toml").read_text("utf-8")
        data[name] = tomllib.loads(text)
    return data


def merge(base: Mapping, overrides: Mapping) -> dict:
    """Tables merge key by key, lists are extended (without duplicates), scalars replaced.
    A key written as "=name" replaces `name` outright."""
    result = dict(base)
    for key, value in overrides.items():
        if key.startswith("="):
            result[key[1:]] = value
        elif isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = merge(result[key], value)
        elif isinstance(value, list) and isinstance(result.get(key), list):
            result[key] = result[key] + [v for v in value if v not in result[key]]
        else:
            result[key] = value
    return result


class Vocabulary:
    """Merged vocabulary with compiled patterns; build it with `vocabulary(overrides)`."""

    def __init__(self, data: dict):
        self.data = data
        self._regex: dict[str, Gated | None] = {}
        self._weighted: dict[str, tuple] = {}

    def get(self, path: str, default: Any = None) -> Any:
        node: Any = self.data
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    def regex(self, path: str) -> Gated | None:
        """One alternation of all patterns listed at `path` (a list or a weighted table), behind the
        literals one of which every match contains."""
        if path not in self._regex:
            patterns = tuple(_patterns(self.get(path, ())))
            compiled = _alternation(patterns)
            self._regex[path] = Gated(compiled, _union_of_literals(patterns), _parts(patterns)) if compiled else None
        return self._regex[path]

    def weighted(self, path: str) -> tuple[tuple[re.Pattern, float, int], ...]:
        """(compiled pattern, weight, gate) for each entry of a weighted table.

        The gate stands for the lower-case substrings one of which every match must contain (0 when
        none can be derived); callers test `may_match(gate, text.lower())` before running the pattern.
        """
        if path not in self._weighted:
            table = self.get(path, {}) or {}
            self._weighted[path] = tuple((_compile(p), float(w), gate(required_literals(p))) for p, w in table.items())
        return self._weighted[path]


class LiteralIndex:
    """Which of many sets of literals a text holds, found in one pass over the text.

    Each set gets one bit; an Aho-Corasick automaton over all literals gives, per text, the union of
    the bits of the literals it holds. A sentence is asked about by dozens of lists, each with dozens
    of literals: one pass replaces thousands of substring tests per message."""

    CACHE_SIZE = 512

    def __init__(self) -> None:
        self._bits: dict[tuple[str, ...], int] = {}
        self._lock = threading.Lock()
        self._state: tuple[Any, dict[str, int]] | None = None  # (automaton, text -> bits), swapped whole

    def bit(self, literals: tuple[str, ...]) -> int:
        """The bit standing for `literals`; 0 (always may match) for none."""
        if not literals:
            return 0
        with self._lock:
            found = self._bits.get(literals)
            if found is None:
                found = self._bits[literals] = 1 << len(self._bits)
                self._state = None  # rebuilt on the next question
            return found

    def present(self, lowered: str) -> int:
        """The bits of every set of literals one of which `lowered` holds."""
        automaton, seen = self._state or self._build()
        bits = seen.get(lowered)
        if bits is None:
            bits = 0
            for _, literal_bits in automaton.iter(lowered):
                bits |= literal_bits
            if len(seen) >= self.CACHE_SIZE:
                seen.clear()
            seen[lowered] = bits
        return bits

    def _build(self) -> tuple[Any, dict[str, int]]:
        with self._lock:
            if self._state is None:
                by_literal: dict[str, int] = {}
                for literals, bit in self._bits.items():
                    for literal in literals:
                        by_literal[literal] = by_literal.get(literal, 0) | bit
                automaton = ahocorasick.Automaton()
                for literal, bits in by_literal.items():
                    automaton.add_word(literal, bits)
                automaton.make_automaton()
                self._state = (automaton, {})
            return self._state


_INDEX = LiteralIndex()


def gate(literals: tuple[str, ...]) -> int:
    """The gate for a set of literals one of which every match contains (0: no gate)."""
    return _INDEX.bit(literals)


def may_match(gate: int, lowered: str) -> bool:
    """False only when the lower-cased text holds none of the literals behind `gate`."""
    return not gate or bool(_INDEX.present(lowered) & gate)


def literals_in(lowered: str) -> int:
    """The gates the lower-cased text opens, for asking many gates of one text: `gate_open(gate, bits)`.
    Only gates made before the call are in it: build the tables to be asked first."""
    return _INDEX.present(lowered)


def gate_open(gate: int, bits: int) -> bool:
    """`may_match(gate, lowered)`, given `bits = literals_in(lowered)`."""
    return not gate or bool(bits & gate)


class Gated:
    """A compiled pattern that runs only on text holding one of `literals` (all text when there are none).

    Most sentences hold none of a vocabulary list's words, and testing for a few dozen substrings
    costs a fraction of a large alternation's search; the verdicts are the same. A long list also keeps
    each pattern with its own gate (`parts`, in the alternation's order): a sentence holding "niet " and
    "van " then runs the three patterns that need those, not all forty-five. The leftmost match of those,
    the earliest pattern winning a tie, is the alternation's match, since the others cannot match at all."""

    __slots__ = ("compiled", "literals", "gate", "parts")

    def __init__(self, compiled: re.Pattern, literals: tuple[str, ...], parts: tuple[tuple[int, re.Pattern], ...] = ()):
        self.compiled, self.literals, self.gate = compiled, literals, gate(literals)
        self.parts = parts if self.gate else ()

    @property
    def pattern(self) -> str:
        return self.compiled.pattern

    def may_match(self, text: str) -> bool:
        return may_match(self.gate, lowered(text))

    def _candidates(self, text: str) -> tuple[re.Pattern, ...] | None:
        """The patterns that may match `text`: () for none, None when that is all of them (use the whole)."""
        if not self.gate:
            return None
        bits = _INDEX.present(lowered(text))
        if not bits & self.gate:
            return ()
        if not self.parts:
            return None
        found = tuple(compiled for part_gate, compiled in self.parts if bits & part_gate)
        return None if len(found) == len(self.parts) else found

    def search(self, text: str, *bounds: int) -> re.Match | None:
        candidates = self._candidates(text)
        if candidates is None:
            return self.compiled.search(text, *bounds)
        return _leftmost(compiled.search(text, *bounds) for compiled in candidates)

    def match(self, text: str, *bounds: int) -> re.Match | None:
        candidates = self._candidates(text)
        if candidates is None:
            return self.compiled.match(text, *bounds)
        return next(filter(None, (compiled.match(text, *bounds) for compiled in candidates)), None)

    def fullmatch(self, text: str, *bounds: int) -> re.Match | None:
        candidates = self._candidates(text)
        if candidates is None:
            return self.compiled.fullmatch(text, *bounds)
        return next(filter(None, (compiled.fullmatch(text, *bounds) for compiled in candidates)), None)

    def finditer(self, text: str) -> Iterator[re.Match]:
        candidates = self._candidates(text)
        if candidates is None:
            return self.compiled.finditer(text)
        if len(candidates) <= 1:
            return candidates[0].finditer(text) if candidates else iter(())
        return iter(self._matches(text, candidates))

    def _matches(self, text: str, candidates: tuple[re.Pattern, ...]) -> list[re.Match]:
        found, position = [], 0
        while (match := _leftmost(compiled.search(text, position) for compiled in candidates)) is not None:
            if match.end() == match.start():  # finditer's rules for empty matches: leave them to it
                return list(self.compiled.finditer(text))
            found.append(match)
            position = match.end()
        return found

    def findall(self, text: str) -> list:
        return self.compiled.findall(text) if self.may_match(text) else []

    def sub(self, replacement: str, text: str) -> str:
        candidates = self._candidates(text)
        if candidates == ():
            return text
        if candidates is None or "\\" in replacement:
            return self.compiled.sub(replacement, text)
        # the few patterns that may match, in the alternation's order, find what the whole would (see `finditer`)
        pieces, last = [], 0
        for found in self.finditer(text):
            pieces += [text[last: found.start()], replacement]
            last = found.end()
        return "".join(pieces) + text[last:] if pieces else text


SPLIT_AT = 8  # patterns in a list before each gets its own gate


def _parts(patterns: tuple[str, ...]) -> tuple[tuple[int, re.Pattern], ...]:
    """(gate, compiled) per pattern in the alternation's order; () for short lists or when one has no gate."""
    if len(patterns) < SPLIT_AT:
        return ()
    ordered = _alternation_order(patterns)
    gates = [gate(required_literals(p)) for p in ordered]
    return tuple(zip(gates, map(_compile, ordered))) if all(gates) else ()


def _leftmost(matches: Iterator[re.Match | None]) -> re.Match | None:
    best = None
    for match in matches:
        if match is not None and (best is None or match.start() < best.start()):
            best = match
    return best


_LAST_LOWERED: tuple[str, str] = ("", "")


def lowered(text: str) -> str:
    """text.lower(), remembered for the one text most recently asked about: one sentence is
    tested against many lists in a row. (One tuple, swapped whole, so threads cannot mix halves.)"""
    global _LAST_LOWERED
    last = _LAST_LOWERED
    if last[0] is text:
        return last[1]
    lowered = text.lower()
    _LAST_LOWERED = (text, lowered)
    return lowered


def _union_of_literals(patterns: tuple[str, ...]) -> tuple[str, ...]:
    """Every literal of every pattern; () when one pattern has none, since then any text may match."""
    union: list[str] = []
    for pattern in patterns:
        literals = required_literals(pattern)
        if not literals:
            return ()
        union.extend(literal for literal in literals if literal not in union)
    return tuple(union)


_META = set("\\()[]?*+{.|^$")


def required_literals(pattern: str, shortest: int = 3) -> tuple[str, ...]:
    """Lower-case substrings one of which every match of `pattern` contains; () when none can be derived.

    A literal run at the top level will do ("parkeer" in "\\bparkeer\\w+"); otherwise a group the pattern
    cannot match without, whose every alternative requires a literal of its own ("\\b(just )?(reply|antwoord)"
    gives "reply", "antwoord"); "A|B" requires one of A's or one of B's. Runs shorter than `shortest` (two
    inside a group) are not worth testing first."""
    if pattern.startswith("(?") and not pattern.startswith("(?:"):
        return ()  # inline flags: left ungated rather than guessed
    if any(pattern[i + 1: i + 2] in _CODED_ESCAPES for i in _escapes(pattern)):
        return ()  # a character spelled by its code ("\\x27") is no literal
    branches = _top_level_branches(pattern)
    if len(branches) > 1:  # "A|B": a match holds one of A's literals or one of B's
        found = [required_literals(branch, shortest) for branch in branches]
        return tuple(dict.fromkeys(l for b in found for l in b)) if all(found) else ()
    runs, groups = _sequence(pattern)
    options = [(run.lower(),) for run in runs if len(run) >= shortest]
    options += [found for group in groups if (found := required_literals(group, 2))]
    # the most telling: the longest shortest literal ("facture" over "http"), then the fewest to test
    return max(options, key=lambda found: (min(map(len, found)), -len(found)), default=())


def _escapes(pattern: str) -> Iterator[int]:
    """Indexes of the backslashes that escape the next character."""
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\":
            yield i
            i += 2
        else:
            i += 1


def _sequence(branch: str) -> tuple[list[str], list[str]]:
    """The literal runs at the top level of one branch, and the contents of the groups it cannot match without
    (optional ones, ?, * or {0,...}, and lookarounds left out)."""
    runs, groups, run, i = [], [], "", 0
    while i < len(branch):
        ch = branch[i]
        if ch == "\\":
            runs.append(run)
            run, i = "", _after_quantifier(branch, i + 2)[0]
            continue
        if ch == "[":
            runs.append(run)
            run, i = "", _after_quantifier(branch, _class_end(branch, i))[0]
            continue
        if ch == "(":
            runs.append(run)
            run = ""
            close = _group_end(branch, i)
            content = branch[i + 1: close]
            i, optional = _after_quantifier(branch, close + 1)
            if content.startswith(("?=", "?!", "?<=", "?<!")) or optional:
                continue
            if content.startswith("?:"):
                content = content[2:]
            elif content.startswith("?"):
                continue  # flags or a named group: not guessed
            groups.append(content)
            continue
        if ch in "?*{":
            run = run[:-1]  # the mark makes the character before it optional
            runs.append(run)
            run, i = "", _after_quantifier(branch, i)[0]
            continue
        if ch == "+":
            runs.append(run)
            run, i = "", i + 1
            continue
        if ch in ".^$":
            runs.append(run)
            run, i = "", i + 1
            continue
        run += ch
        i += 1
    runs.append(run)
    return runs, groups


def _after_quantifier(pattern: str, i: int) -> tuple[int, bool]:
    """The index after a quantifier at `i` (if any), and whether it makes what precedes it optional."""
    if i >= len(pattern):
        return i, False
    ch = pattern[i]
    if ch in "?*":
        return i + 1 + (pattern[i + 1: i + 2] in ("?", "+")), True
    if ch == "+":
        return i + 1 + (pattern[i + 1: i + 2] in ("?", "+")), False
    if ch == "{":
        close = pattern.find("}", i)
        if close < 0:
            return i, False
        low = pattern[i + 1: close].split(",")[0].strip()
        return close + 1 + (pattern[close + 1: close + 2] in ("?", "+")), not low.isdigit() or int(low) == 0
    return i, False


def _class_end(pattern: str, i: int) -> int:
    """The index after the character class that opens at `i`."""
    j = i + 1
    if pattern[j: j + 1] == "^":
        j += 1
    if pattern[j: j + 1] == "]":
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


def _group_end(pattern: str, i: int) -> int:
    """The index of the parenthesis that closes the group opening at `i`."""
    depth, j = 0, i
    while j < len(pattern):
        ch = pattern[j]
        if ch == "\\":
            j += 2
            continue
        if ch == "[":
            j = _class_end(pattern, j)
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return len(pattern)


def vocabulary(overrides: Mapping | None = None) -> Vocabulary:
    key = json.dumps(overrides or {}, sort_keys=True, default=str)
    return _vocabulary(key)


@lru_cache(maxsize=8)
def _vocabulary(key: str) -> Vocabulary:
    overrides = json.loads(key)
    return Vocabulary(merge(packaged(), overrides) if overrides else packaged())


_CODED_ESCAPES = set("xuUN0123456789")  # \x27, \u00e9, \N{...}, \1: what follows is no literal


def _top_level_branches(pattern: str) -> list[str]:
    """`pattern` split at its top-level "|"."""
    branches, start, j = [], 0, 0
    while j < len(pattern):
        ch = pattern[j]
        if ch == "\\":
            j += 2
        elif ch == "[":
            j = _class_end(pattern, j)
        elif ch == "(":
            j = _group_end(pattern, j) + 1
        elif ch == "|":
            branches.append(pattern[start:j])
            start = j = j + 1
        else:
            j += 1
    return branches + [pattern[start:]]


def _patterns(value: Any) -> list[str]:
    if isinstance(value, Mapping):
        return list(value.keys())
    if isinstance(value, str):
        return [value]
    return list(value or ())


@lru_cache(maxsize=2048)
def _compile(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


@lru_cache(maxsize=1024)
def _alternation(patterns: tuple[str, ...]) -> re.Pattern | None:
    """The patterns as one; those that start with a word boundary share one leading \\b. The same
    matches, but the regex engine tests the boundary once per position instead of once per pattern
    (three to four times faster on the flag vocabularies)."""
    if not patterns:
        return None
    bounded = [p[2:] for p in patterns if _leads_with_boundary(p)]
    rest = [p for p in patterns if not _leads_with_boundary(p)]
    parts = ([r"\b(?:" + "|".join(f"(?:{p})" for p in bounded) + ")"] if bounded else []) + [f"(?:{p})" for p in rest]
    return re.compile("|".join(parts), re.IGNORECASE)


def _leads_with_boundary(pattern: str) -> bool:
    return pattern.startswith("\\b") and not _top_level_bar(pattern)


def _alternation_order(patterns: tuple[str, ...]) -> list[str]:
    """The patterns in the order `_alternation` tries them: those sharing the leading \\b first."""
    return [p for p in patterns if _leads_with_boundary(p)] + [p for p in patterns if not _leads_with_boundary(p)]


def _top_level_bar(pattern: str) -> bool:
    """Whether `pattern` is itself an alternation at its top level ("\\bfoo|bar")."""
    depth, in_class, escaped = 0, False, False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return True
    return False
