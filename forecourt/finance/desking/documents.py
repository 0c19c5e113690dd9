"""The printed summaries: the Truth in Lending box (US) and the finance proposal (UK).

Rendering works from the calculators' results (no database), so every printed number is one
the schedule produced. Paper follows the rooftop's country: Letter in the US, A4 elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from fpdf.enums import XPos, YPos

from forecourt.core.money import format_money
from forecourt.core.pdf import FONT, Document
from forecourt.finance.calc.regz import Disclosure
from forecourt.finance.calc.uk import Product, UkQuote

# 12 CFR 1026.18: the terms and their descriptive explanations, as the model forms word them.
TIL_BOXES = (
    ("ANNUAL PERCENTAGE RATE", "The cost of your credit as a yearly rate."),
    ("FINANCE CHARGE", "The dollar amount the credit will cost you."),
    ("Amount Financed", "The amount of credit provided to you or on your behalf."),
    ("Total of Payments", "The amount you will have paid after you have made all payments."),
    ("Total Sale Price", "The total cost of your purchase on credit, including your down payment."),
)


@dataclass(frozen=True)
class Letterhead:
    dealer: str
    address: str
    currency: str
    country: str

    @property
    def paper(self) -> str:
        return "letter" if self.country == "US" else "A4"


class Page(Document):
    def __init__(self, letterhead: Letterhead, title: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format=letterhead.paper)
        self.set_auto_page_break(auto=True, margin=12)
        self.set_margins(14, 12, 14)
        self.set_creator("Forecourt")
        self.set_title(title)
        self.add_page()
        self.set_font(FONT, "B", 15)
        self.cell(0, 8, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 9)
        heading = f"{letterhead.dealer}  {letterhead.address}".strip()
        self.multi_cell(0, 4.5, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)

    @property
    def usable(self) -> float:
        return self.w - self.l_margin - self.r_margin

    def row(self, label: str, value: str, bold: bool = False, label_share: float = 0.65) -> None:
        self.set_font(FONT, "B" if bold else "", 10)
        self.cell(self.usable * label_share, 6, label, border="B")
        self.cell(self.usable * (1 - label_share), 6, value, border="B", align="R")
        self.ln(6)

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font(FONT, "B", 11)
        self.cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def note(self, text: str) -> None:
        self.set_font(FONT, "", 8)
        self.multi_cell(0, 4, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def render_truth_in_lending(letterhead: Letterhead, box: Disclosure) -> bytes:
    """The federal box, the payment schedule and the itemization of the amount financed."""
    money = _formatter(letterhead.currency)
    pdf = Page(letterhead, "Truth in Lending disclosure (summary)")
    values = (
        f"{box.apr:.2f} %",
        money(box.finance_charge),
        money(box.amount_financed),
        money(box.total_of_payments),
        money(box.total_sale_price),
    )
    width = pdf.usable / len(TIL_BOXES)
    top = pdf.get_y()
    for index, ((term, explanation), value) in enumerate(zip(TIL_BOXES, values, strict=True)):
        x = pdf.l_margin + index * width
        pdf.rect(x, top, width, 36)
        pdf.set_xy(x + 1, top + 1)
        pdf.set_font(FONT, "B", 7.5)
        pdf.multi_cell(width - 2, 3.6, term)
        pdf.set_x(x + 1)
        pdf.set_font(FONT, "", 7)
        pdf.multi_cell(width - 2, 3.2, explanation)
        pdf.set_xy(x + 1, top + 28)
        pdf.set_font(FONT, "B", 10.5)
        pdf.cell(width - 2, 6, value, align="C")
    pdf.set_xy(pdf.l_margin, top + 38)

    plan = box.schedule
    pdf.heading("Your payment schedule will be")
    regular = plan.terms.term - 1
    if regular:
        pdf.row(f"{regular} monthly payments of", money(plan.payment))
    pdf.row("1 final payment of", money(plan.final_payment))
    if plan.terms.balloon:
        pdf.row("with a balloon payment of", money(plan.terms.balloon))

    items = box.itemization
    pdf.heading("Itemization of the amount financed")
    pdf.row("Cash price (including sales tax)", money(items.cash_price + items.sales_tax))
    pdf.row("Less down payment (cash, rebate and trade equity)", money(items.down_payment))
    pdf.row("Unpaid balance of cash price", money(items.unpaid_balance_of_cash_price))
    if items.negative_equity:
        pdf.row(
            "Prior credit or lease balance (negative trade equity)", money(items.negative_equity)
        )
    for charge in items.other_charges:
        pdf.row(f"Paid to others on your behalf: {charge.label}", money(charge.amount))
    if items.prepaid_finance_charge:
        pdf.row("Less prepaid finance charge", money(items.prepaid_finance_charge))
    pdf.row("Amount financed", money(box.amount_financed), bold=True)
    pdf.ln(3)
    pdf.note(
        "A summary for the buyer's review, computed by the actuarial method (Regulation Z, "
        "Appendix J); every figure reproduces from the payment schedule. The retail "
        "installment contract is the binding document."
    )
    return bytes(pdf.output())


def render_finance_proposal(letterhead: Letterhead, quote: UkQuote) -> bytes:
    """The representative example (FCA CONC 3.5) and the instalments of an HP or PCP."""
    money = _formatter(letterhead.currency)
    example = quote.example
    kind = (
        "Personal contract purchase" if quote.agreement.product == Product.PCP else "Hire purchase"
    )
    pdf = Page(letterhead, f"Finance proposal: {kind}")
    pdf.heading("Representative example")
    pdf.row("Cash price", money(example.cash_price))
    pdf.row("Deposit", money(example.deposit))
    pdf.row("Total amount of credit", money(example.credit))
    pdf.row(f"{example.term} monthly instalments of", money(example.monthly_instalment))
    if example.final_instalment != example.monthly_instalment:
        pdf.row("Final monthly instalment", money(example.final_instalment))
    if example.optional_final_payment:
        pdf.row("Optional final payment", money(example.optional_final_payment))
    if example.documentation_fee:
        pdf.row("Documentation fee (with the first instalment)", money(example.documentation_fee))
    if example.option_to_purchase_fee:
        pdf.row("Option to purchase fee", money(example.option_to_purchase_fee))
    pdf.row("Total charge for credit", money(example.total_charge_for_credit))
    pdf.row("Total amount payable", money(example.total_amount_payable), bold=True)
    pdf.row("Duration of the agreement", f"{example.term} months")
    pdf.row("Fixed rate of interest (per year)", f"{example.rate_of_interest:.2f} %")
    pdf.row("Representative APR", f"{example.representative_apr:.1f} % APR", bold=True)
    pdf.ln(3)
    pdf.note(
        "The APR is calculated as FCA CONC App 1.1 requires and rounded to one decimal place. "
        "We may receive commission from the lender for introducing you to it; ask us how "
        "much. Finance is subject to status. This proposal is not a credit agreement."
    )
    return bytes(pdf.output())


def _formatter(currency: str) -> Callable[[Decimal], str]:
    return lambda amount: format_money(amount, currency)
