from django.contrib.auth import views as auth_views
from django.urls import path

from forecourt.accounts import views
from forecourt.accounts.invitations import views as invitation_views
from forecourt.core.security.middleware import mfa_not_required

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", mfa_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path("email/", views.email_change, name="email-change"),
    path("rooftops/", views.rooftop_list, name="rooftop-list"),
    path("rooftops/new/", views.rooftop_create, name="rooftop-create"),
    path("rooftops/<int:pk>/", views.rooftop_detail, name="rooftop-detail"),
    path("rooftops/<int:pk>/edit/", views.rooftop_edit, name="rooftop-edit"),
    path("users/", views.user_list, name="user-list"),
    path("users/invite/", invitation_views.invite, name="user-invite"),
    path("invitations/<int:pk>/resend/", invitation_views.resend, name="invitation-resend"),
    path("invitations/<int:pk>/revoke/", invitation_views.revoke, name="invitation-revoke"),
    path("invitation/", invitation_views.open_link, name="invitation-open"),
    path("invitation/accept/", invitation_views.accept, name="invitation-accept"),
    path("tokens/", views.token_list, name="token-list"),
    path("tokens/new/", views.token_create, name="token-create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
]
