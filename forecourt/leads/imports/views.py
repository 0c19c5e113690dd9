"""The lead import page: upload, check every row, write per the chosen mode."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from forecourt.accounts.models import Rooftop
from forecourt.core.forms import add_action_errors
from forecourt.leads.imports.actions import import_leads
from forecourt.leads.imports.forms import ImportForm
from forecourt.leads.imports.parsing import COLUMNS, ImportFileError


@permission_required("leads.import_lead", raise_exception=True)
def lead_import(request: HttpRequest) -> HttpResponse:
    rooftops = Rooftop.objects.for_user(request.user, "view")
    result = None
    form = ImportForm(request.POST or None, request.FILES or None, rooftops=rooftops)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = import_leads(request.user, data["rooftop"], data["file"], mode=data["mode"])
        except ImportFileError as error:
            form.add_error("file", str(error))
        except ValidationError as error:
            add_action_errors(form, error)
    status = 422 if form.errors or (result and result.errors) else 200
    context = {"form": form, "result": result, "columns": COLUMNS}
    return render(request, "leads/import.html", context, status=status)
