"""invb's inventory URLs (documents, photos, import/export), added to inventory/urls.py."""

from django.urls import URLPattern, path

from forecourt.inventory import views_documents, views_exchange, views_photos

urlpatterns: list[URLPattern] = [
    path(
        "<int:pk>/buyers-guide-<str:language>.pdf",
        views_documents.buyers_guide,
        name="buyers-guide",
    ),
    path(
        "<int:pk>/window-sticker.pdf",
        views_documents.window_sticker,
        name="window-sticker",
    ),
    path("<int:pk>/warranty/", views_documents.warranty_edit, name="warranty-edit"),
    path("<int:pk>/photos/", views_photos.photo_panel, name="photo-panel"),
    path("<int:pk>/photos/upload/", views_photos.photo_upload, name="photo-upload"),
    path(
        "<int:pk>/photos/<int:photo_pk>/primary/",
        views_photos.photo_set_primary,
        name="photo-primary",
    ),
    path(
        "<int:pk>/photos/<int:photo_pk>/move-<str:direction>/",
        views_photos.photo_move,
        name="photo-move",
    ),
    path(
        "<int:pk>/photos/<int:photo_pk>/delete/",
        views_photos.photo_delete,
        name="photo-delete",
    ),
    path("photos/<int:photo_pk>/<str:variant>/", views_photos.photo_file, name="photo-file"),
    path("public/photos/<str:token>/", views_photos.public_photo, name="public-photo"),
    path("imports/", views_exchange.import_new, name="import-new"),
    path("imports/<int:pk>/", views_exchange.import_detail, name="import-detail"),
    path("imports/<int:pk>/progress/", views_exchange.import_progress, name="import-progress"),
    path("export.<str:fmt>", views_exchange.export_vehicles, name="export"),
]
