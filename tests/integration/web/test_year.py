"""The report download and erasure on request in the review UI."""

from __future__ import annotations

from sqlalchemy import select

from mailintake.store.models import AuditEntry, Case
from tests.support.yearkit import generate


def test_staff_download_the_report_in_each_format(review_world, staff):
    generate(review_world, years=(2025,), cases=40)
    assert "/jaarverslag/2025.pdf" in staff.get("/jaarverslag").get_data(as_text=True)
    for fmt, start in (("html", b"<!DOCTYPE html>"), ("pdf", b"%PDF-"), ("csv", b"tabel,rij,2025")):
        response = staff.get(f"/jaarverslag/2025.{fmt}")
        assert response.status_code == 200 and response.data.startswith(start)
        assert "jaarverslag-2025" in response.headers["Content-Disposition"]
    assert staff.get("/jaarverslag/2025.exe").status_code == 404
    with review_world.database.unit_of_work() as session:
        assert session.scalar(select(AuditEntry).where(AuditEntry.action == "report")).actor == "an"


def test_only_admins_erase_and_only_after_seeing_what_goes(review_world, staff, admin):
    plans = generate(review_world, years=(2025,), cases=40)
    address = plans[0].person.address
    assert staff.get("/wissen").status_code == 403
    shown = admin.post("/wissen", {"address": address}).get_data(as_text=True)
    assert plans[0].ref in shown and "Definitief wissen" in shown
    with review_world.database.unit_of_work() as session:
        assert session.scalar(select(Case).where(Case.ref == plans[0].ref)) is not None
    done = admin.post("/wissen", {"address": address, "confirmed": "yes"}).get_data(as_text=True)
    assert "Gewist:" in done
    with review_world.database.unit_of_work() as session:
        assert session.scalar(select(Case).where(Case.ref == plans[0].ref)) is None
