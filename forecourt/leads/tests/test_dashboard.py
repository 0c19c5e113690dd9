"""The dashboard's leads panel: the user's day in numbers and the open pipeline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forecourt.accounts.roles import Role
from forecourt.leads import actions
from forecourt.leads.dashboard import leads_summary, pipeline_counts
from forecourt.leads.tests.factories import make_lead

pytestmark = pytest.mark.django_db


def test_pipeline_counts_every_open_stage_of_the_users_rooftops(
    salesperson, rooftop, owner, other_rooftop
):
    make_lead(salesperson, rooftop)
    contacted = make_lead(salesperson, rooftop)
    actions.change_lead_status(salesperson, contacted, to_status="contacted")
    lost = make_lead(salesperson, rooftop)
    actions.change_lead_status(salesperson, lost, to_status="lost", lost_reason="price")
    make_lead(owner, other_rooftop)  # another rooftop: not the salesperson's

    counts = {row["status"]: row["count"] for row in pipeline_counts(salesperson)}
    assert counts == {"new": 1, "contacted": 1, "appointment": 0, "shown": 0, "quoted": 0}
    assert {row["status"]: row["count"] for row in pipeline_counts(owner)}["new"] == 2


def test_the_panel_counts_the_users_follow_ups(client_for, salesperson, rooftop, rf):
    today = timezone.localdate()
    make_lead(salesperson, rooftop, owner=salesperson, next_follow_up_on=today)
    make_lead(salesperson, rooftop, owner=salesperson, next_follow_up_on=today - timedelta(1))
    make_lead(salesperson, rooftop, owner=salesperson, next_follow_up_on=today + timedelta(1))
    request = rf.get("/")
    request.user = salesperson
    summary = leads_summary(request)
    assert (summary["overdue"], summary["due_today"]) == (1, 1)

    page = client_for(salesperson).get("/").content.decode()
    assert 'id="dashboard-leads"' in page
    assert "<strong>1</strong> overdue and <strong>1</strong> due today" in page


def test_roles_without_leads_see_no_leads_panel(client_for, make_user):
    technician = make_user(Role.TECHNICIAN)
    assert 'id="dashboard-leads"' not in client_for(technician).get("/").content.decode()
