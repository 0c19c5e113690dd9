from django.urls import URLPattern

app_name = "observability"

urlpatterns: list[URLPattern] = []
