from django.contrib.auth import views as auth_views
from django.urls import path

from forecourt.accounts import views
from forecourt.core.security.middleware import mfa_not_required

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", mfa_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path("email/", views.email_change, name="email-change"),
    path("rooftops/", views.rooftop_list, name="rooftop-list"),
    path("rooftops/<int:pk>/", views.rooftop_detail, name="rooftop-detail"),
    path("users/", views.user_list, name="user-list"),
    path("users/new/", views.user_create, name="user-create"),
    path("tokens/", views.token_list, name="token-list"),
    path("tokens/new/", views.token_create, name="token-create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
]
