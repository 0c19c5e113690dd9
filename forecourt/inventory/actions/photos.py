"""Vehicle photo writes: add, reorder, make primary, delete. Each locks the vehicle row so
concurrent uploads get distinct positions and one primary photo."""

from __future__ import annotations

from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from forecourt.core import audit
from forecourt.core.permissions import require_permission
from forecourt.inventory.media.photos import (
    MAX_PHOTOS_PER_VEHICLE,
    check_image,
    delete_files,
    refuse,
    store_files,
)
from forecourt.inventory.models import Vehicle, VehiclePhoto


def photo_audit(photo: VehiclePhoto) -> dict[str, Any]:
    return audit.snapshot(photo, ["vehicle_id", "position", "is_primary", "size_bytes"])


@transaction.atomic
def add_photo(
    actor: Any, vehicle: Vehicle, upload: IO[bytes], *, original_name: str = ""
) -> VehiclePhoto:
    """Check, store and attach a photo; the first photo of a vehicle becomes its primary."""
    require_permission(actor, "inventory.add_vehiclephoto")
    checked = check_image(upload)
    # Lock the vehicle row: concurrent uploads get distinct positions, one primary.
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    existing = VehiclePhoto.objects.filter(vehicle=vehicle)
    count = existing.count()
    if count >= MAX_PHOTOS_PER_VEHICLE:
        raise refuse(f"A vehicle has at most {MAX_PHOTOS_PER_VEHICLE} photos.")
    last = existing.aggregate(last=Max("position"))["last"]
    name, thumb = store_files(vehicle, checked)
    try:  # if the row cannot be written, the files must not linger unreferenced
        photo = VehiclePhoto.objects.create(
            vehicle=vehicle,
            file_name=name,
            thumbnail_name=thumb,
            content_type=checked.content_type,
            width=checked.width,
            height=checked.height,
            size_bytes=len(checked.data),
            position=0 if last is None else last + 1,
            is_primary=count == 0,
            original_name=original_name[:200],
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(
            actor,
            "inventory.add_photo",
            photo,
            audit.diff({}, photo_audit(photo)),
            rooftop_id=vehicle.rooftop_id,
        )
    except Exception:
        delete_files(name, thumb)
        raise
    return photo


@transaction.atomic
def reorder_photos(actor: Any, vehicle: Vehicle, photo_ids: list[int]) -> list[VehiclePhoto]:
    """Set the order of a vehicle's photos; `photo_ids` must name each of them exactly once."""
    require_permission(actor, "inventory.change_vehiclephoto")
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    photos = {p.pk: p for p in VehiclePhoto.objects.filter(vehicle=vehicle)}
    if sorted(photo_ids) != sorted(photos):
        raise ValidationError({"photo_ids": "List every photo of this vehicle exactly once."})
    before = [p.pk for p in sorted(photos.values(), key=lambda p: (p.position, p.pk))]
    for position, pk in enumerate(photo_ids):
        photos[pk].position = position
    VehiclePhoto.objects.bulk_update(photos.values(), ["position"])
    audit.record(
        actor,
        "inventory.reorder_photos",
        vehicle,
        {"photo_order": [before, list(photo_ids)]},
    )
    return [photos[pk] for pk in photo_ids]


@transaction.atomic
def set_primary_photo(actor: Any, photo: VehiclePhoto) -> VehiclePhoto:
    require_permission(actor, "inventory.change_vehiclephoto")
    Vehicle.objects.select_for_update().get(pk=photo.vehicle_id)
    previous = VehiclePhoto.objects.filter(vehicle_id=photo.vehicle_id, is_primary=True).first()
    if previous and previous.pk == photo.pk:
        return previous
    # Clear first: the database allows one primary per vehicle at any moment.
    VehiclePhoto.objects.filter(vehicle_id=photo.vehicle_id, is_primary=True).update(
        is_primary=False
    )
    VehiclePhoto.objects.filter(pk=photo.pk).update(is_primary=True)
    photo.is_primary = True
    audit.record(
        actor,
        "inventory.set_primary_photo",
        photo,
        {"primary_photo": [previous.pk if previous else None, photo.pk]},
        rooftop_id=rooftop_of(photo),
    )
    return photo


@transaction.atomic
def delete_photo(actor: Any, photo: VehiclePhoto) -> None:
    """Remove a photo (files deleted after commit); the next photo becomes primary if needed."""
    require_permission(actor, "inventory.delete_vehiclephoto")
    Vehicle.objects.select_for_update().get(pk=photo.vehicle_id)
    rooftop_id = rooftop_of(photo)
    audit.record(
        actor,
        "inventory.delete_photo",
        photo,
        audit.diff(photo_audit(photo), {}),
        rooftop_id=rooftop_id,
    )
    names = (photo.file_name, photo.thumbnail_name)
    was_primary = photo.is_primary
    vehicle_id = photo.vehicle_id
    photo.delete()
    if was_primary:
        successor = VehiclePhoto.objects.filter(vehicle_id=vehicle_id).first()
        if successor:
            VehiclePhoto.objects.filter(pk=successor.pk).update(is_primary=True)
    transaction.on_commit(lambda: delete_files(*names))


def rooftop_of(photo: VehiclePhoto) -> int:
    return int(Vehicle.objects.values_list("rooftop_id", flat=True).get(pk=photo.vehicle_id))
