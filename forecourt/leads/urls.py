from django.urls import URLPattern, path

from forecourt.leads import views

app_name = "leads"

urlpatterns: list[URLPattern] = [
    path("", views.lead_board, name="lead-board"),
    path("list/", views.lead_list, name="lead-list"),
    path("reassign/", views.lead_reassign, name="lead-reassign"),
    path("walk-in/", views.lead_walk_in, name="lead-walk-in"),
    path("import/", views.lead_import, name="lead-import"),
    path("my-day/", views.my_day_view, name="my-day"),
    path("<int:pk>/", views.lead_detail, name="lead-detail"),
    path("<int:pk>/edit/", views.lead_update, name="lead-update"),
    path("<int:pk>/status/", views.lead_status, name="lead-status"),
    path("<int:pk>/follow-up/", views.lead_follow_up, name="lead-follow-up"),
    path("<int:pk>/log-call/", views.my_day_log_call, name="lead-log-call"),
    path("customers/<int:customer_id>/new/", views.lead_create, name="lead-create"),
    path(
        "customers/<int:customer_id>/timeline/",
        views.customer_timeline,
        name="customer-timeline",
    ),
    path("customers/<int:customer_id>/activities/", views.activity_log, name="activity-log"),
    path(
        "customers/<int:customer_id>/appointments/",
        views.appointment_create,
        name="appointment-create",
    ),
    path(
        "customers/<int:customer_id>/test-drives/", views.test_drive_start, name="test-drive-start"
    ),
    path("activities/<int:pk>/finish/", views.test_drive_finish, name="test-drive-finish"),
    path("activities/<int:pk>/reveal-licence/", views.reveal_licence, name="reveal-licence"),
    path(
        "activities/<int:pk>/appointment-status/",
        views.appointment_status,
        name="appointment-status",
    ),
]
