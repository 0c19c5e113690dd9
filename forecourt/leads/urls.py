"""The leads pages: each URL names the one view module that answers it (leads/views/)."""

from django.urls import URLPattern, path

from forecourt.leads.imports import urls as imports_urls
from forecourt.leads.views import appointments, drives, leads, my_day, pickers, timeline

app_name = "leads"

urlpatterns: list[URLPattern] = [
    path("", leads.lead_board, name="lead-board"),
    path("list/", leads.lead_list, name="lead-list"),
    path("reassign/", leads.lead_reassign, name="lead-reassign"),
    path("walk-in/", leads.lead_walk_in, name="lead-walk-in"),
    *imports_urls.urlpatterns,
    path("my-day/", my_day.my_day_view, name="my-day"),
    path("vehicle-options/", pickers.vehicle_options, name="vehicle-options"),
    path("<int:pk>/", leads.lead_detail, name="lead-detail"),
    path("<int:pk>/edit/", leads.lead_update, name="lead-update"),
    path("<int:pk>/status/", leads.lead_status, name="lead-status"),
    path("<int:pk>/follow-up/", leads.lead_follow_up, name="lead-follow-up"),
    path("<int:pk>/log-call/", my_day.my_day_log_call, name="lead-log-call"),
    path("customers/<int:customer_id>/new/", leads.lead_create, name="lead-create"),
    path(
        "customers/<int:customer_id>/timeline/",
        timeline.customer_timeline,
        name="customer-timeline",
    ),
    path("customers/<int:customer_id>/activities/", timeline.activity_log, name="activity-log"),
    path(
        "customers/<int:customer_id>/appointments/",
        appointments.appointment_create,
        name="appointment-create",
    ),
    path(
        "customers/<int:customer_id>/test-drives/",
        drives.test_drive_start,
        name="test-drive-start",
    ),
    path("activities/<int:pk>/finish/", drives.test_drive_finish, name="test-drive-finish"),
    path("activities/<int:pk>/reveal-licence/", timeline.reveal_licence, name="reveal-licence"),
    path(
        "activities/<int:pk>/appointment-status/",
        appointments.appointment_status,
        name="appointment-status",
    ),
]
