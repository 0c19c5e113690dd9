"""The rooftop's deal settings and the tax rules: owner (and manager) configuration."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from forecourt.core import audit
from forecourt.core.permissions import require_permission
from forecourt.deals.actions.locking import money, require_rooftop, user_or_none
from forecourt.deals.models import CommissionPlan, DealSettings, Fee, TaxRule

SETTINGS_FIELDS = ("tax_area", "doc_fee_cap", "discount_limit", "vat_rate", "invoice_prefix")
RULE_FIELDS = (
    "area", "level", "name", "rate", "trade_credit", "trade_credit_cap", "trade_credit_percent",
    "doc_fee_taxable", "rebates_taxable", "accessories_taxable", "service_contracts_taxable",
    "effective_from", "effective_to", "citation",
)  # fmt: skip


@transaction.atomic
def update_deal_settings(actor: Any, rooftop: Any, **values: Any) -> DealSettings:
    require_permission(actor, "deals.change_dealsettings")
    require_rooftop(actor, rooftop.pk)
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "Unknown setting."))
    DealSettings.objects.get_or_create(rooftop=rooftop)
    row = DealSettings.objects.select_for_update().get(rooftop=rooftop)
    before = audit.snapshot(row, list(SETTINGS_FIELDS))
    for name, value in values.items():
        if name in ("doc_fee_cap", "discount_limit") and value not in (None, ""):
            value = money(value, name)
        setattr(row, name, None if value == "" and name != "tax_area" else value)
    row.tax_area = (row.tax_area or "").strip().upper()
    row.full_clean(exclude=["rooftop"])
    row.save()
    changes = audit.diff(before, audit.snapshot(row, list(SETTINGS_FIELDS)))
    audit.record(actor, "deals.update_settings", row, changes, rooftop_id=rooftop.pk)
    return row


@transaction.atomic
def add_fee(actor: Any, rooftop: Any, **values: Any) -> Fee:
    require_permission(actor, "deals.add_fee")
    require_rooftop(actor, rooftop.pk)
    fee = Fee(rooftop=rooftop, **values)
    fee.amount = money(fee.amount, "amount")
    fee.full_clean()
    fee.save()
    audit.record(actor, "deals.add_fee", fee, audit.created(fee), rooftop_id=rooftop.pk)
    return fee


@transaction.atomic
def add_tax_rule(actor: Any, **values: Any) -> TaxRule:
    """A rule, or a new version of one (same area, level and name, a later effective date).
    Rules entered by the dealer are theirs, so they need no confirmation."""
    require_permission(actor, "deals.add_taxrule")
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "Unknown field."))
    rule = TaxRule(**values, needs_confirmation=False, confirmed_by=user_or_none(actor))
    rule.area = (rule.area or "").strip().upper()
    rule.effective_from = rule.effective_from or timezone.localdate()
    rule.full_clean()
    if rule.effective_to is not None and rule.effective_to <= rule.effective_from:
        raise ValidationError({"effective_to": "A rule must end after it starts."})
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError:
        raise ValidationError(
            {"effective_from": "A version of this rule already starts on this date."}
        ) from None
    audit.record(actor, "deals.add_tax_rule", rule, audit.created(rule))
    return rule


@transaction.atomic
def confirm_tax_rule(actor: Any, rule: TaxRule | int) -> TaxRule:
    """The dealer checked a shipped rule against their jurisdiction's own source."""
    require_permission(actor, "deals.change_taxrule")
    pk = rule.pk if isinstance(rule, TaxRule) else rule
    locked = TaxRule.objects.select_for_update().get(pk=pk)
    if not locked.needs_confirmation:
        raise ValidationError({"rule": "This rule is already confirmed."})
    locked.needs_confirmation = False
    locked.confirmed_by = user_or_none(actor)
    locked.save(update_fields=["needs_confirmation", "confirmed_by"])
    audit.record(actor, "deals.confirm_tax_rule", locked, {"needs_confirmation": [True, False]})
    return locked


@transaction.atomic
def add_commission_plan(actor: Any, rooftop: Any, **values: Any) -> CommissionPlan:
    require_permission(actor, "deals.add_commissionplan")
    require_rooftop(actor, rooftop.pk)
    plan = CommissionPlan(rooftop=rooftop, **values)
    plan.full_clean()
    plan.save()
    audit.record(actor, "deals.add_commission_plan", plan, audit.created(plan),
                 rooftop_id=rooftop.pk)  # fmt: skip
    return plan
