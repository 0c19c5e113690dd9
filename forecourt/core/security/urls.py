from django.urls import path

from forecourt.core.security import passkeys, views

app_name = "security"

urlpatterns = [
    path("mfa/", views.mfa_manage, name="mfa-manage"),
    path("mfa/setup/", views.mfa_setup, name="mfa-setup"),
    path("mfa/verify/", views.mfa_verify, name="mfa-verify"),
    path("mfa/recovery-codes/", views.mfa_recovery_regenerate, name="mfa-recovery-regenerate"),
    path("mfa/devices/<int:pk>/remove/", views.mfa_device_remove, name="mfa-device-remove"),
    path(
        "mfa/passkeys/register/begin/",
        passkeys.begin_registration,
        name="passkey-register-begin",
    ),
    path(
        "mfa/passkeys/register/complete/",
        passkeys.complete_registration,
        name="passkey-register-complete",
    ),
    path("mfa/passkeys/verify/begin/", passkeys.begin_verification, name="passkey-verify-begin"),
    path(
        "mfa/passkeys/verify/complete/",
        passkeys.complete_verification,
        name="passkey-verify-complete",
    ),
    path("mfa/passkeys/messages.js", passkeys.script_catalog, name="passkey-messages"),
    path("mfa/passkeys/<int:pk>/remove/", views.passkey_remove, name="passkey-remove"),
    path("reauth/", views.reauthenticate, name="reauth"),
    path("password/", views.password_change, name="password-change"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("sessions/", views.my_sessions, name="sessions"),
    path("sessions/end/", views.end_my_session, name="session-end"),
    path("sessions/end-others/", views.end_my_other_sessions, name="sessions-end-others"),
    path("access-review/", views.access_review_page, name="access-review"),
    path("access-review/export.csv", views.access_review_export, name="access-review-export"),
    path("access-review/deactivate-idle/", views.deactivate_idle, name="deactivate-idle"),
    path("users/<int:pk>/end-sessions/", views.end_user_sessions, name="user-end-sessions"),
    path("users/<int:pk>/unlock/", views.unlock_user, name="user-unlock"),
    path("users/<int:pk>/reset-mfa/", views.reset_user_mfa, name="user-reset-mfa"),
]
