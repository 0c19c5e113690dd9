"""Media pages of a vehicle (documents, warranty terms, photos); part of the inventory URLs."""

from django.urls import URLPattern, path

from forecourt.inventory.media import views

urlpatterns: list[URLPattern] = [
    path(
        "<int:pk>/buyers-guide-<str:language>.pdf",
        views.buyers_guide,
        name="buyers-guide",
    ),
    path(
        "<int:pk>/window-sticker.pdf",
        views.window_sticker,
        name="window-sticker",
    ),
    path("<int:pk>/warranty/", views.warranty_edit, name="warranty-edit"),
    path("<int:pk>/photos/", views.photo_panel, name="photo-panel"),
    path("<int:pk>/photos/upload/", views.photo_upload, name="photo-upload"),
    path(
        "<int:pk>/photos/<int:photo_pk>/primary/",
        views.photo_set_primary,
        name="photo-primary",
    ),
    path(
        "<int:pk>/photos/<int:photo_pk>/move-<str:direction>/",
        views.photo_move,
        name="photo-move",
    ),
    path(
        "<int:pk>/photos/<int:photo_pk>/delete/",
        views.photo_delete,
        name="photo-delete",
    ),
    path("photos/<int:photo_pk>/<str:variant>/", views.photo_file, name="photo-file"),
    path("public/photos/<str:token>/", views.public_photo, name="public-photo"),
]
