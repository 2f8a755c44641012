"""Each mail written for these tests gets its labelled kind, service, flags and reply address."""

from __future__ import annotations

import pytest

from mailintake.domain import FLAGS
from mailintake.triage import triage
from tests.support.paths import own_labels


@pytest.mark.parametrize("label", own_labels(), ids=lambda l: l["file"])
def test_labelled_mail(load, label):
    verdict = triage(load(label["file"]))
    assert verdict.kind == label["kind"], verdict.reason
    assert verdict.case_ref == label["case_ref"]
    assert verdict.language == label["language"]
    assert verdict.service == label["service"], verdict.service_evidence
    assert set(verdict.flag_names) == set(label["flags"]), [f.to_json() for f in verdict.flags]
    assert set(verdict.uncertain_flag_names) <= set(label.get("uncertain_flags", FLAGS)), verdict.uncertain_flag_names
    assert set(label.get("uncertain_flags", ())) <= set(verdict.uncertain_flag_names), [f.to_json() for f in verdict.uncertain_flags]
    if "reply_address" in label:
        assert (verdict.reply_address, verdict.channel) == (label["reply_address"], label["channel"])


@pytest.mark.parametrize("label", [l for l in own_labels() if l["kind"] == "complaint"], ids=lambda l: l["file"])
def test_every_flag_and_route_carries_evidence(load, label):
    verdict = triage(load(label["file"]))
    for flag in verdict.flags:
        assert flag.evidence and all(e.text and e.where for e in flag.evidence), flag
    if verdict.service not in ("unknown",):
        assert verdict.service_evidence


def test_robot_kinds_carry_their_reason(load):
    verdict = triage(load("auto-reply-header-with-ref.eml"))
    assert verdict.kind == "auto_reply" and verdict.service is None and verdict.flags == ()
    assert verdict.reason_evidence[0].text == "Auto-Submitted: auto-replied"
    bounce = triage(load("bounce-daemon-with-ref.eml"))
    assert bounce.kind == "bounce" and bounce.case_ref == "OMB-2026-00777"


def test_stale_evidence_names_the_resolved_date(load):
    verdict = triage(load("nl-stale-number-words.eml"))
    evidence = verdict.flag("stale_facts").evidence[0]
    assert "Anderhalf jaar geleden" in evidence.text
    assert "2024-11-" in evidence.detail and "days before the message date 2026-05-04" in evidence.detail


def test_webform_reply_address_and_language(load):
    verdict = triage(load("webform-named-french.eml"))
    assert (verdict.channel, verdict.reply_address, verdict.language) == ("webform", "julie.renard@example.com", "fr")
    assert "anonymous" not in verdict.flag_names


def test_triage_is_deterministic(load):
    first = triage(load("nl-judicial-raad-van-state.eml")).to_json()
    assert all(triage(load("nl-judicial-raad-van-state.eml")).to_json() == first for _ in range(3))
