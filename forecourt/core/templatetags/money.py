"""`{% load money %}` then `{{ vehicle.list_price|money:rooftop.currency }}`."""

from decimal import Decimal

from django import template

from forecourt.core.money import format_money

register = template.Library()


@register.filter(name="money")
def money(amount: Decimal | None, currency: str) -> str:
    return format_money(amount, currency or "USD")
