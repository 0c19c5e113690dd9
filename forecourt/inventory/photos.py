"""Vehicle photos: content checks, storage under random names, thumbnails, and the actions.

An upload is accepted only if Pillow recognises it as a JPEG, PNG or WebP by its content
(never by its name or declared type) and it is within PHOTO_MAX_BYTES and a pixel limit.
It is re-encoded before storing, which drops metadata (GPS positions in EXIF) and anything
appended to the image data, and a thumbnail is made at upload. Files live under MEDIA_ROOT
and are served only by a permission-checked view (views_photos.py), never by MEDIA_URL.
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from PIL import Image, ImageOps, UnidentifiedImageError

from forecourt.core import audit
from forecourt.core.permissions import require_permission
from forecourt.inventory.models import Vehicle
from forecourt.inventory.models_documents import VehiclePhoto

# Pillow format name -> (content type, file extension).
ALLOWED_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; more is a decompression bomb, not a car
MAX_STORED_EDGE = 3200  # longer edges are scaled down: plenty for a listing, bounded storage
THUMBNAIL_BOX = (480, 360)
MAX_PHOTOS_PER_VEHICLE = 60
PUBLIC_PHOTO_SALT = "forecourt.inventory.public-photo"


@dataclass(frozen=True)
class CheckedImage:
    """An upload that passed every check, re-encoded, with its thumbnail."""

    content_type: str
    extension: str
    width: int
    height: int
    data: bytes
    thumbnail: bytes


def _refuse(message: str) -> ValidationError:
    return ValidationError({"image": message})


def check_image(upload: IO[bytes], *, max_bytes: int | None = None) -> CheckedImage:
    """Validate an uploaded image by content; raise ValidationError({"image": ...}) if not."""
    limit = max_bytes or settings.FORECOURT_PHOTO_MAX_BYTES
    raw = upload.read(limit + 1)
    if len(raw) > limit:
        raise _refuse(f"The photo is larger than the limit of {limit // 1024:,} KB.")
    if not raw:
        raise _refuse("The file is empty.")
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            image_format = probe.format or ""
            width, height = probe.size
            if image_format not in ALLOWED_FORMATS:
                raise _refuse(
                    f"{image_format or 'This'} images are not accepted: JPEG, PNG or WebP."
                )
            if width * height > MAX_PIXELS:
                raise _refuse(f"The photo has too many pixels ({width}x{height}).")
            probe.verify()  # checks the structure (CRCs, truncation) without decoding
        with Image.open(io.BytesIO(raw)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refuse("The file is not a valid JPEG, PNG or WebP image.") from None
    content_type, extension = ALLOWED_FORMATS[image_format]
    upright.thumbnail((MAX_STORED_EDGE, MAX_STORED_EDGE))
    return CheckedImage(
        content_type=content_type,
        extension=extension,
        width=upright.width,
        height=upright.height,
        data=_encode(upright, image_format),
        thumbnail=_thumbnail(upright),
    )


def _encode(image: Image.Image, image_format: str) -> bytes:
    out = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    elif image_format == "WEBP":
        image.save(out, "WEBP", quality=88)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _thumbnail(image: Image.Image) -> bytes:
    thumb = image.copy()
    thumb.thumbnail(THUMBNAIL_BOX)
    if thumb.mode in ("RGBA", "LA", "P"):
        background = Image.new("RGB", thumb.size, "white")
        background.paste(thumb.convert("RGBA"), mask=thumb.convert("RGBA").getchannel("A"))
        thumb = background
    out = io.BytesIO()
    thumb.convert("RGB").save(out, "JPEG", quality=82, optimize=True)
    return out.getvalue()


def _store(vehicle: Vehicle, checked: CheckedImage) -> tuple[str, str]:
    """Save the image and thumbnail under unguessable names; returns their storage names."""
    stem = f"vehicle-photos/{vehicle.rooftop_id}/{secrets.token_hex(16)}"
    name = default_storage.save(f"{stem}.{checked.extension}", ContentFile(checked.data))
    thumb = default_storage.save(f"{stem}-thumb.jpg", ContentFile(checked.thumbnail))
    return name, thumb


def _delete_files(*names: str) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


def _photo_audit(photo: VehiclePhoto) -> dict[str, Any]:
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
        raise _refuse(f"A vehicle has at most {MAX_PHOTOS_PER_VEHICLE} photos.")
    last = existing.aggregate(last=Max("position"))["last"]
    name, thumb = _store(vehicle, checked)
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
            audit.diff({}, _photo_audit(photo)),
            rooftop_id=vehicle.rooftop_id,
        )
    except Exception:
        _delete_files(name, thumb)
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
        rooftop_id=_rooftop_of(photo),
    )
    return photo


@transaction.atomic
def delete_photo(actor: Any, photo: VehiclePhoto) -> None:
    """Remove a photo (files deleted after commit); the next photo becomes primary if needed."""
    require_permission(actor, "inventory.delete_vehiclephoto")
    Vehicle.objects.select_for_update().get(pk=photo.vehicle_id)
    rooftop_id = _rooftop_of(photo)
    audit.record(
        actor,
        "inventory.delete_photo",
        photo,
        audit.diff(_photo_audit(photo), {}),
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
    transaction.on_commit(lambda: _delete_files(*names))


def _rooftop_of(photo: VehiclePhoto) -> int:
    return int(Vehicle.objects.values_list("rooftop_id", flat=True).get(pk=photo.vehicle_id))


def public_photo_token(photo_id: int) -> str:
    """A signed, unguessable reference to one photo, for the URLs in marketplace feeds."""
    return signing.Signer(salt=PUBLIC_PHOTO_SALT).sign(str(photo_id))


def photo_id_from_public_token(token: str) -> int | None:
    try:
        return int(signing.Signer(salt=PUBLIC_PHOTO_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
