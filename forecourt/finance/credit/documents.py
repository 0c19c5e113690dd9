"""The credit application printed for a lender, from the packet (integration.py)."""

from __future__ import annotations

from forecourt.core.money import format_money
from forecourt.finance.credit.integration import ApplicantPacket, ApplicationPacket
from forecourt.finance.desking.documents import Letterhead, Page


def _rows(person: ApplicantPacket, currency: str) -> list[tuple[str, str]]:
    def money(amount: object) -> str:
        return format_money(amount, currency) if amount is not None else ""  # type: ignore[arg-type]

    def months(count: int | None) -> str:
        return "" if count is None else f"{count // 12} years {count % 12} months"

    return [
        ("Name", f"{person.first_name} {person.last_name}"),
        ("Date of birth", person.date_of_birth.isoformat() if person.date_of_birth else ""),
        ("Social Security number", person.ssn),
        ("Phone / email", f"{person.phone}  {person.email}".strip()),
        ("Address", person.address),
        ("Housing", f"{person.housing_status}  {money(person.housing_payment)} a month".strip()),
        ("Time at address", months(person.months_at_address)),
        ("Previous address", person.previous_address),
        ("Employer / occupation", f"{person.employer}  {person.occupation}".strip()),
        ("Time employed", months(person.months_employed)),
        ("Previous employer", person.previous_employer),
        ("Gross monthly income", money(person.monthly_income)),
        (
            "Other monthly income",
            f"{money(person.other_monthly_income)} {person.other_income_source}".strip(),
        ),
    ]


def render_credit_application(letterhead: Letterhead, packet: ApplicationPacket) -> bytes:
    pdf = Page(letterhead, f"Credit application #{packet.application_id}")
    pdf.note(f"Taken on {packet.taken_on.isoformat()} at {packet.dealer}. CONFIDENTIAL.")
    for person in packet.applicants:
        pdf.heading("Applicant" if person.role == "applicant" else "Co-applicant")
        for label, value in _rows(person, letterhead.currency):
            pdf.row(label, value, label_share=0.32)
    pdf.ln(3)
    checked = "recorded" if packet.red_flags_checked else "NOT yet recorded"
    pdf.note(f"Identity red-flags check (16 CFR 681): {checked}.")
    return bytes(pdf.output())
