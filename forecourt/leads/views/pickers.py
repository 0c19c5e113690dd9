"""The vehicle pickers' search (leads/widgets/vehicle_picker.html): matching units in
stock at the user's rooftops, as <option>s for the select the search box sits above."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from forecourt.leads.forms import in_stock_at
from forecourt.leads.views.common import VIEW, rooftops_of

MAX_MATCHES = 50


def matching(text: str) -> Q:
    """Every word matches a stock number or make/model prefix, or a part of the VIN."""
    query = Q()
    for word in text.split():
        query &= (
            Q(stock_number__istartswith=word)
            | Q(vin__icontains=word)
            | Q(make__istartswith=word)
            | Q(model__istartswith=word)
        )
    return query


@require_GET
@permission_required(VIEW, raise_exception=True)
def vehicle_options(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:60]
    found = list(
        in_stock_at(rooftops_of(request).values("pk")).filter(matching(q))[: MAX_MATCHES + 1]
    )
    context = {"vehicles": found[:MAX_MATCHES], "more": len(found) > MAX_MATCHES, "q": q}
    return render(request, "leads/_vehicle_options.html", context)
