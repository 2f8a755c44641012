"""Settings, vocabulary overrides, the CLI functions and the dev-set figures."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from mailintake.triage import TriageSettings, triage
from mailintake.triage.evaluate import evaluate, run_evaluate
from mailintake.triage.files import run_triage
from mailintake.triage.vocabulary import merge
from tests.support.paths import BLIND_SETS, LABELLED_FOLDERS, MAILS, ROOT
from tests.support.paths import OWN_TRIAGE_MAILS as OWN_MAILS


def test_stale_after_days_is_a_setting(load):
    parsed = load("nl-stale-number-words.eml")
    assert "stale_facts" in triage(parsed).flag_names
    assert "stale_facts" not in triage(parsed, TriageSettings(stale_after_days=800)).flag_names


def test_vocabulary_override_extends_routing(load):
    parsed = load("nl-unknown-body.eml")
    settings = TriageSettings(vocabulary_overrides={"services": {"=uncertainty": [], "=uncertainty_strong": [],
                                                                 "services": {"other": {"werfhek": 9.0}}}})
    verdict = triage(parsed, settings)
    assert verdict.service == "other"
    assert any(e.text.lower() == "werfhek" for e in verdict.service_evidence)


def test_merge_extends_lists_and_replaces_with_equals():
    base = {"a": [1, 2], "t": {"x": 1}}
    assert merge(base, {"a": [2, 3], "t": {"y": 2}}) == {"a": [1, 2, 3], "t": {"x": 1, "y": 2}}
    assert merge(base, {"=a": [9]})["a"] == [9]


def test_case_prefix_setting(load):
    assert triage(load("follow-up-ref-subject.eml"), TriageSettings(case_prefix="XYZ")).case_ref is None


def test_run_triage_prints_one_json_object_per_file():
    out = io.StringIO()
    assert run_triage([str(OWN_MAILS)], out) == 0
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(lines) == len(list(OWN_MAILS.glob("*.eml")))
    assert set(lines[0]) == {"file", "kind", "service", "confidence", "flags", "uncertain_flags", "evidence",
                            "language", "case_ref", "reply_address"}
    flagged = next(l for l in lines if l["flags"])
    assert set(flagged["evidence"]) == set(flagged["flags"])


def test_the_first_mails_a_fresh_process_triages_get_the_verdicts_of_later_ones():
    """Literal gates are registered as vocabulary tables are first compiled: a verdict must not depend on
    whether the process had compiled them before this message."""
    files = sorted(str(p) for p in OWN_MAILS.glob("*.eml"))[:40] + [str(MAILS / "blind10" / "eval13-001.eml")]
    done = subprocess.run([sys.executable, "-m", "mailintake", "triage", *files, *files], capture_output=True,
                          text=True, check=True, cwd=ROOT)
    lines = done.stdout.splitlines()
    assert len(lines) == 2 * len(files)
    assert lines[: len(files)] == lines[len(files):]


def test_run_evaluate_reports_figures_and_misses():
    out = io.StringIO()
    assert run_evaluate(str(OWN_MAILS), out) == 0
    text = out.getvalue()
    assert "kind accuracy" in text and "first_line_not_tried" in text and "misses (" in text


def test_dev_set_meets_the_done_when_figures(dev_folder):
    report = evaluate(dev_folder)
    assert report.kind.right / report.kind.total >= 0.95
    assert report.service.right / report.service.total >= 0.90
    assert report.robots_as_complaint == []
    for name, score in report.flags.items():
        assert score.scores()[2] >= 0.90, name


# Left as they are, each for a reason given in the set's README: sales pitches labelled spam that triage calls
# bulk (both robots, neither answered), a follow-up that kept nothing of our mail, a writer's doubt between two
# services that triage leaves to staff, and services that only a rule for the one mail would get.
KNOWN_MISSES = {
    "blind19": {"eval21-019.eml"},
    "blind20": {"eval22-012.eml", "eval22-016.eml", "eval22-018.eml", "eval22-037.eml"},
    "blind21": {"eval23-007.eml"},
    "blind22": {"eval24-002.eml"},
    "blind23": {"eval25-003.eml"},
    "blind24": {"eval26-022.eml", "eval26-045.eml", "eval26-050.eml"},
    "blind30": {"eval32-019.eml"},
    "blind34": {"eval36-049.eml"},
    "blind39": {"eval41-032.eml", "eval41-048.eml"},
    "blind40": {"eval42-031.eml"},
    "blind52": {"eval54-003.eml", "eval54-015.eml", "eval54-029.eml"},
    "blind54": {"eval56-009.eml"},
    "blind55": {"eval57-022.eml"},
    "blind56": {"eval58-013.eml"},
    "blind60": {"eval62-029.eml"},
    "blind61": {"eval63-022.eml"},
    "blind62": {"eval64-022.eml"},
    "blind65": {"eval67-050.eml"},
    "blind66": {"eval68-023.eml"},
    "blind67": {"eval69-004.eml", "eval69-010.eml", "eval69-030.eml"},
    "blind68": {"eval70-041.eml"},
    "blind69": {"eval71-028.eml", "eval71-031.eml", "eval71-032.eml"},
    "blind70": {"eval72-036.eml"},
    "blind71": {"eval73-031.eml"},
    "blind72": {"eval74-020.eml"},
    "blind73": {"eval75-012.eml", "eval75-026.eml"},
    "blind88": {"eval90-036.eml"},  # police not enforcing a parking ban on a cycle path: the cycle path outweighs them
    "blind90": {"eval92-029.eml"},  # police called three times about a café's noise on the Oude Markt: the market outweighs them
    # blind98 to blind103 were measured on bbe4226 and only their robots, courts and a few policy misses tuned on:
    # their other misses wait for the next round's rules (see their READMEs)
    "blind98": {"eval100-012.eml"},
    "blind100": {"eval102-032.eml"},
    "blind101": {"eval103-030.eml"},
    "blind102": {"eval104-012.eml"},
}
# asserted flags a set's labels call wrong, left with their reason (each set's README)
KNOWN_FLAG_MISSES = {
    "blind60": {("anonymous", "eval62-013.eml"),  # unsigned, the address "jef.vermeulen" is the only name: see its README
                ("first_line_not_tried", "eval62-028.eml")},  # the label leaves it out only because it is anonymous
    # the labels leave first line out where the body is not ours or the complaint is against a rule; other authors
    # flag it there too (22 of 270 policy complaints, 19 of 232 `other`), so the rule stays (a form's bare "Nee" on a
    # complaint asserted as policy is only uncertain since blind sets 86 to 91)
    "blind65": {("first_line_not_tried", "eval67-026.eml")},
    "blind67": {("first_line_not_tried", "eval69-009.eml"), ("first_line_not_tried", "eval69-030.eml")},
    "blind68": {("first_line_not_tried", "eval70-045.eml")},
    "blind69": {("first_line_not_tried", "eval71-023.eml")},
    "blind70": {("first_line_not_tried", "eval72-048.eml")},
    # the writer's objection to a permit of another municipality, dated by when the building began: see its README
    "blind71": {("stale_facts", "eval73-034.eml")},
    # the reports of an ongoing problem listed with their months, the first taken for the facts: see its README
    "blind84": {("stale_facts", "eval86-008.eml")},
    "blind87": {("anonymous", "eval89-036.eml")},  # the name only in the address, as blind60's eval62-013: see its README
    "blind94": {("first_line_not_tried", "eval96-002.eml")},  # the form's "No (see below)": the sender was unknown
}


@pytest.mark.parametrize("name", BLIND_SETS)
def test_our_blind_sets_keep_what_their_misses_taught(name):
    """Both were measured once unseen (README); since then they guard the general rules made from their misses:
    every kind, service and reply address right, no robot answered, no asserted flag wrong. Scored with the
    embedded defaults' settings, as `mailintake evaluate` without a config: triage knows our own From."""
    from mailintake.config import from_dict
    from mailintake.intake.analysis import triage_settings

    report = evaluate(OWN_MAILS.parent / name, triage_settings(from_dict({})))
    wrong = {m.split(":")[0] for m in report.misses if ": kind expected" in m or ": service expected" in m}
    assert wrong == KNOWN_MISSES.get(name, set())
    assert report.robots_as_complaint == []
    spurious = {(m.split("flag ")[1].split()[0], m.split(":")[0]) for m in report.misses if "spurious" in m}
    assert spurious == KNOWN_FLAG_MISSES.get(name, set())


@pytest.mark.parametrize("pattern, literals", [
    (r"\bpolitie\w+", ("politie",)),
    (r"\b(seo|backlinks?|page (1|one) of google)\b", ("seo", "backlink", " of google")),
    (r"\b(just )?(reply|antwoord)\b", ("reply", "antwoord")),  # an optional group requires nothing, the next does
    (r"\b(zeg|vertel) het (aan )?niemand\b|\b(please )?(don.t|do not) tell anyone\b", ("niemand", " tell anyone")),
    (r"a(b|c)?d", ()),  # "ad": neither "ab" nor "ac" is required
    (r"[(|]ab|cde", ()),  # a class holding "(" and "|" hides no branch; "ab" is too short
    (r"\bab{0,3}cde\b", ("cde",)),
    (r"\b(?:x|yz)+abc", ("abc",)),
    (r"\b(a|bc)\b", ()),  # too short to be worth testing first
    (r"(?-i:\b(?:in|van) M\b)", ()),
    (r"n\x27t ever", ()),  # a character spelled by its code is no literal ("27t" would hide matches)
])
def test_the_literals_a_pattern_requires_are_derived_or_none(pattern, literals):
    from mailintake.triage.vocabulary import required_literals

    assert required_literals(pattern) == literals


def test_every_weighted_pattern_matches_only_where_its_literals_are():
    """The pre-filter may never hide a match: over all labelled and own mail, a weighted pattern that matches
    a text finds one of its literals there."""
    from mailintake.triage.vocabulary import may_match, vocabulary

    vocab = vocabulary()
    texts = [path.read_text("utf-8", errors="replace") for folder in LABELLED_FOLDERS
             for path in (OWN_MAILS.parent / folder).glob("*.eml")]
    tables = ["kind.spam_signs", *(f"services.services.{name}" for name in vocab.get("services.services"))]
    for table in tables:
        for pattern, _, gate in vocab.weighted(table):
            for text in texts:
                if pattern.search(text):
                    assert may_match(gate, text.lower()), (table, pattern.pattern)


def _vocabulary_lists(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _vocabulary_lists(value, (*path, key))
    elif isinstance(node, list) and node and all(isinstance(item, str) for item in node):
        yield ".".join(path)


def test_every_listed_pattern_matches_only_where_its_gate_lets_it():
    """The gate in front of each vocabulary list may never hide a match: over all own mail, whole and
    sentence by sentence, where the plain alternation finds something the gated one finds the same."""
    from mailintake.triage.text import split_sentences
    from mailintake.triage.vocabulary import vocabulary

    vocab = vocabulary()
    texts = [path.read_text("utf-8", errors="replace") for folder in LABELLED_FOLDERS
             for path in (OWN_MAILS.parent / folder).glob("*.eml")]
    pieces = texts + [s.text for text in texts for s in split_sentences(text)]
    gated = [vocab.regex(path) for path in _vocabulary_lists(vocab.data)]
    gated = [g for g in gated if g is not None and g.literals]
    assert len(gated) > 40  # most lists can be gated: the test covers them
    for pattern in gated:
        for piece in pieces:
            plain = pattern.compiled.search(piece)
            if plain:
                assert pattern.search(piece).group(0) == plain.group(0), (pattern.literals[:3], piece[:80])


def test_a_gated_list_skips_text_without_its_words_and_matches_like_the_plain_one():
    from mailintake.triage.vocabulary import vocabulary

    vocab = vocabulary({"flags": {"policy": {"=as_such": [r"\bals zodanig\b", r"\b(het reglement|la règle) (zelf|même)\b"]}}})
    gate = vocab.regex("flags.policy.as_such")
    assert set(gate.literals) == {"als zodanig", "het reglement", "la règle"}
    assert gate.search("Ik klaag over het reglement zelf.").group(0) == "het reglement zelf"
    assert gate.search("Het REGLEMENT ZELF is onredelijk.").group(0) == "Het REGLEMENT ZELF"
    assert gate.search("Een zin zonder die woorden.") is None
    assert gate.findall("niets") == [] and list(gate.finditer("niets")) == []
    assert gate.sub("-", "Als zodanig, ja.") == "-, ja."


def _vocabulary_strings(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _vocabulary_strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _vocabulary_strings(item)
    elif isinstance(node, str):
        yield node


def test_no_vocabulary_pattern_holds_a_control_character():
    """A "\\b" in a double-quoted TOML string is a backspace, not a word boundary: the pattern never matches."""
    from mailintake.triage.vocabulary import packaged

    spoiled = [s for s in _vocabulary_strings(packaged()) if any(ord(c) < 32 and c not in "\n\t" for c in s)]
    assert spoiled == []


@pytest.mark.parametrize("path", ["flags.policy.decisions", "flags.policy.contest", "flags.policy.as_such",
                                  "flags.first_line.ignore", "flags.first_line.direct"])
def test_the_lists_searched_in_every_sentence_are_gated(path):
    """One pattern without a literal leaves its whole list ungated, searched in every sentence (it cost 0.1 ms a
    message on the dev sets)."""
    from mailintake.triage.vocabulary import vocabulary

    assert vocabulary().regex(path).literals


def test_the_literal_index_finds_every_set_a_text_holds_and_no_other():
    from mailintake.triage.vocabulary import LiteralIndex

    index = LiteralIndex()
    parking, fee, none = index.bit(("parkeer", "stationn")), index.bit(("boete",)), index.bit(())
    assert none == 0 and parking != fee and index.bit(("boete",)) == fee
    assert index.present("de parkeerautomaat gaf een boete") == parking | fee
    assert index.present("stationnement interdit") == parking
    assert index.present("niets van dat alles") == 0
    late = index.bit(("laat",))  # a set added after questions were asked is found from then on
    assert index.present("te laat voor de boete") == late | fee


def test_the_literal_index_answers_the_same_as_substring_tests():
    """Over all own mail, sentence by sentence: a set's bit is present exactly when one of its literals is in
    the lower-cased text (overlapping literals and literals inside others included)."""
    from mailintake.triage.text import split_sentences
    from mailintake.triage.vocabulary import LiteralIndex, vocabulary

    vocab = vocabulary()
    sets = [g.literals for g in (vocab.regex(path) for path in _vocabulary_lists(vocab.data)) if g and g.literals]
    sets += [("ab", "abc", "bca"), ("a b",), ("é",)]
    index = LiteralIndex()
    bits = [index.bit(literals) for literals in sets]
    texts = [path.read_text("utf-8", errors="replace") for path in (OWN_MAILS.parent / "triage").glob("*.eml")]
    pieces = [s.text.lower() for text in texts[:40] for s in split_sentences(text)] + ["abca b é"]
    for piece in pieces:
        present = index.present(piece)
        for literals, bit in zip(sets, bits):
            assert bool(present & bit) == any(literal in piece for literal in literals), (piece, literals)


def test_a_long_list_run_pattern_by_pattern_matches_as_its_whole_alternation():
    """Each long list runs only the patterns whose own literals a sentence holds; over own mail, sentence by
    sentence, search, match, fullmatch and finditer give the spans the whole alternation gives, and sub its text."""
    from mailintake.triage.text import split_sentences
    from mailintake.triage.vocabulary import vocabulary

    vocab = vocabulary()
    lists = [g for g in (vocab.regex(path) for path in _vocabulary_lists(vocab.data)) if g and g.parts]
    assert len(lists) >= 20  # the flag and robot vocabularies are long
    texts = [path.read_text("utf-8", errors="replace") for path in (OWN_MAILS.parent / "triage").glob("*.eml")]
    pieces = [s.text for text in texts[:60] for s in split_sentences(text)]
    span = lambda match: match and match.span()  # noqa: E731
    split = 0
    for gated in lists:
        whole = gated.compiled
        for piece in pieces:
            split += gated._candidates(piece) not in (None, ())
            assert span(gated.search(piece)) == span(whole.search(piece)), (gated.pattern[:60], piece)
            assert span(gated.search(piece, 3)) == span(whole.search(piece, 3))
            assert span(gated.match(piece)) == span(whole.match(piece))
            assert span(gated.fullmatch(piece)) == span(whole.fullmatch(piece))
            assert [m.span() for m in gated.finditer(piece)] == [m.span() for m in whole.finditer(piece)]
            assert gated.sub(" ", piece) == whole.sub(" ", piece)
    assert split > 1000  # the per-pattern path was taken, not only the whole
