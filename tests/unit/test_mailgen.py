"""Tests for mailintake/mailgen.py and the sample mails: deterministic, distinct, well-formed."""

from __future__ import annotations

import email
import email.policy
import re

from devkit.mailgen import SAMPLES, generate_messages, tiny_jpeg, tiny_pdf


def test_same_seed_same_messages_other_seed_others():
    assert generate_messages(50, seed=3) == generate_messages(50, seed=3)
    assert generate_messages(50, seed=3) != generate_messages(50, seed=4)


def test_messages_are_distinct_crlf_and_mostly_identified():
    messages = generate_messages(200, seed=11)
    assert len(messages) == len(set(messages)) == 200
    assert all(b"\n" not in raw.replace(b"\r\n", b"") and b"\x00" not in raw for raw in messages)
    ids = [email.message_from_bytes(raw)["Message-ID"] for raw in messages]
    present = [i for i in ids if i]
    assert len(present) == len(set(present)) >= 190


def test_mix_covers_languages_shapes_and_attachments():
    messages = [email.message_from_bytes(raw, policy=email.policy.default) for raw in generate_messages(100, seed=1)]
    langs = {m.get("Content-Language", "")[:2] for m in messages}
    types = {m.get_content_type() for m in messages}
    assert {"nl", "fr", "en"} <= langs
    assert {"text/plain", "text/html", "multipart/alternative", "multipart/mixed"} <= types
    assert any(part.get_filename() for m in messages for part in m.iter_attachments())


def test_robots_and_broken_can_be_left_out():
    heads = [raw.partition(b"\r\n\r\n")[0] for raw in generate_messages(300, seed=5, robots=False, broken=False)]
    assert not any(re.search(rb"(?im)^(auto-submitted|list-id|x-spam-flag):", h) for h in heads)
    assert not any(b"truncated-" in h for h in heads)


def test_samples_are_crlf_and_listed_in_readme():
    files = sorted(SAMPLES.glob("*.eml"))
    readme = (SAMPLES / "README.md").read_text()
    assert len(files) >= 20
    for path in files:
        raw = path.read_bytes()
        assert b"\n" not in raw.replace(b"\r\n", b""), path.name
        assert f"`{path.name}`" in readme, path.name


def test_tiny_attachments_look_valid():
    pdf = tiny_pdf("x (y)")
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    xref = int(pdf.rsplit(b"startxref\n", 1)[1].split()[0])
    assert pdf[xref:].startswith(b"xref")
    jpeg = tiny_jpeg()
    assert jpeg.startswith(b"\xff\xd8\xff\xe0") and jpeg.endswith(b"\xff\xd9")
