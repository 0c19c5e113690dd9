"""Test-only URLs: the real ones plus views that raise or do traceable work."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from forecourt.accounts.models import Rooftop
from forecourt.core import audit
from forecourt.core.observability.alerts import send_alert
from forecourt.core.observability.tests.trace_tasks import note_request_id
from forecourt.urls import urlpatterns as real_urlpatterns


@login_not_required
def boom(request: HttpRequest) -> HttpResponse:
    raise ValueError("customer jane.doe@example.com has ssn 123-45-6789")


@login_not_required
def traced(request: HttpRequest, rooftop_id: int) -> HttpResponse:
    """One request doing everything a request can: queries, audit, task, alert."""
    rooftop = Rooftop.objects.get(pk=rooftop_id)
    audit.record("system", "tests.trace", rooftop)
    note_request_id.enqueue(marker="from-request")
    send_alert("error", "Traced alert", {"rooftop": rooftop.pk})
    return HttpResponse("traced")


urlpatterns = [
    path("boom/", boom, name="boom"),
    path("traced/<int:rooftop_id>/", traced, name="traced"),
    *real_urlpatterns,
]
