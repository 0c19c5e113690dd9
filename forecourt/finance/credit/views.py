"""Credit application screens: thin adapters over credit/actions.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from forecourt.core.concurrency import VersionConflict
from forecourt.core.forms import add_action_errors
from forecourt.core.security.actions.reveal import reveal_field
from forecourt.core.security.pii import masked
from forecourt.core.visibility import visible_or_404
from forecourt.customers.models import Customer
from forecourt.finance.credit import actions, documents
from forecourt.finance.credit.forms import (
    ApplicantForm,
    CoApplicantForm,
    DecisionForm,
    RedFlagsForm,
    RevealForm,
)
from forecourt.finance.credit.integration import packet_for
from forecourt.finance.credit.models import (
    RED_FLAGS,
    SENSITIVE_FIELDS,
    CreditApplicant,
    CreditApplication,
)
from forecourt.finance.desking.documents import Letterhead
from forecourt.inventory.media.documents import pdf_response_headers


@permission_required("finance.view_creditapplication", raise_exception=True)
def application_list(request: HttpRequest) -> HttpResponse:
    applications = CreditApplication.objects.for_user(request.user).select_related("customer")
    return render(request, "finance/credit_list.html", {"applications": applications[:200]})


@permission_required("finance.add_creditapplication", raise_exception=True)
def application_create(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = visible_or_404(Customer, request.user, customer_id)
    applicant = ApplicantForm(request.POST or None, prefix="applicant")
    co_applicant = CoApplicantForm(request.POST or None, prefix="co")
    if request.method == "POST" and applicant.is_valid() and co_applicant.is_valid():
        second = co_applicant.action_data() if co_applicant.has_anything() else None
        try:
            application = actions.take_credit_application(
                request.user, customer, applicant.action_data(), second
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form = co_applicant if field.startswith("co_applicant.") else applicant
                name = field.partition(".")[2]
                for problem in problems:
                    form.add_error(name if name in form.fields else None, problem)
        else:
            messages.success(request, "Credit application taken. Record the red-flags check.")
            return redirect("finance:credit-detail", pk=application.pk)
    context = {"customer": customer, "applicant": applicant, "co_applicant": co_applicant}
    status = 422 if applicant.errors or co_applicant.errors else 200
    return render(request, "finance/credit_form.html", context, status=status)


def _detail_context(application: CreditApplication, **forms: Any) -> dict[str, Any]:
    people = [
        {
            "applicant": person,
            "masked": {name: masked(person, name) for name in SENSITIVE_FIELDS},
        }
        for person in application.applicants.all()
    ]
    answers = application.red_flags
    return {
        "application": application,
        "people": people,
        "red_flags_form": forms.get("red_flags_form")
        or RedFlagsForm(initial={"version": application.version, **answers}),
        "decision_form": forms.get("decision_form")
        or DecisionForm(initial={"version": application.version}),
    }


@permission_required("finance.view_creditapplication", raise_exception=True)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = visible_or_404(CreditApplication, request.user, pk)
    return render(request, "finance/credit_detail.html", _detail_context(application))


def _post(
    request: HttpRequest,
    pk: int,
    form_class: type[Any],
    form_key: str,
    write: Callable[[CreditApplication, Any], Any],
    done: str,
) -> HttpResponse:
    """One of the detail page's forms: run its action, or show the page with its errors."""
    application = visible_or_404(CreditApplication, request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            write(application, form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        except VersionConflict as conflict:
            form.add_error(None, str(conflict))
        else:
            messages.success(request, done)
            return redirect("finance:credit-detail", pk=application.pk)
    context = _detail_context(application, **{form_key: form})
    return render(request, "finance/credit_detail.html", context, status=422)


@require_POST
@permission_required("finance.change_creditapplication", raise_exception=True)
def record_red_flags(request: HttpRequest, pk: int) -> HttpResponse:
    def write(application: CreditApplication, data: dict[str, Any]) -> Any:
        found = {code: data[code] for code in RED_FLAGS}
        return actions.record_red_flags(
            request.user, application, found, data["note"], data["version"]
        )

    return _post(request, pk, RedFlagsForm, "red_flags_form", write, "Red-flags check recorded.")


@require_POST
@permission_required("finance.change_creditapplication", raise_exception=True)
def record_decision(request: HttpRequest, pk: int) -> HttpResponse:
    def write(application: CreditApplication, data: dict[str, Any]) -> Any:
        return actions.record_decision(
            request.user, application, data["status"], data["notified_on"], data["version"]
        )

    done = "Decision recorded; the retention date is set."
    return _post(request, pk, DecisionForm, "decision_form", write, done)


@require_POST
@permission_required("finance.reveal_creditapplicant", raise_exception=True)
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """One field of one applicant in full (audited), as a fragment for htmx or a page."""
    person = visible_or_404(CreditApplicant, request.user, pk)
    form = RevealForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Choose a field to reveal.", status=422)
    value = reveal_field(request.user, person, form.cleaned_data["field"])
    context = {"value": value, "field": form.cleaned_data["field"], "applicant": person}
    return render(request, "finance/_revealed.html", context)


@require_POST
@permission_required("finance.reveal_creditapplicant", raise_exception=True)
def lender_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    application = visible_or_404(CreditApplication, request.user, pk)
    try:
        with transaction.atomic():
            packet = packet_for(request.user, application)
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=422, content_type="text/plain")
    rooftop = application.rooftop
    letterhead = Letterhead(rooftop.name, rooftop.address, rooftop.currency, rooftop.country)
    return HttpResponse(
        documents.render_credit_application(letterhead, packet),
        content_type="application/pdf",
        headers=pdf_response_headers(f"credit-application-{application.pk}.pdf"),
    )
