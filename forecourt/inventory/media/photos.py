"""Vehicle photos: content checks, storage under random names, thumbnails, public tokens.

An upload is accepted only if Pillow recognises it as a JPEG, PNG or WebP by its content
(never by its name or declared type) and it is within PHOTO_MAX_BYTES and a pixel limit.
It is re-encoded before storing, which drops metadata (GPS positions in EXIF) and anything
appended to the image data, and a thumbnail is made at upload. Files live under MEDIA_ROOT
and are served only by a permission-checked view (media/views.py), never by MEDIA_URL.
The writes (add, reorder, make primary, delete) are inventory/actions/photos.py.
"""

from __future__ import annotations

import contextlib
import io
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from forecourt.inventory.media.models import VehiclePhoto
from forecourt.inventory.models import Vehicle

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


def refuse(message: str) -> ValidationError:
    return ValidationError({"image": message})


def check_image(upload: IO[bytes], *, max_bytes: int | None = None) -> CheckedImage:
    """Validate an uploaded image by content; raise ValidationError({"image": ...}) if not."""
    limit = max_bytes or settings.FORECOURT_PHOTO_MAX_BYTES
    raw = upload.read(limit + 1)
    if len(raw) > limit:
        raise refuse(f"The photo is larger than the limit of {limit // 1024:,} KB.")
    if not raw:
        raise refuse("The file is empty.")
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            image_format = probe.format or ""
            width, height = probe.size
            if image_format not in ALLOWED_FORMATS:
                raise refuse(
                    f"{image_format or 'This'} images are not accepted: JPEG, PNG or WebP."
                )
            if width * height > MAX_PIXELS:
                raise refuse(f"The photo has too many pixels ({width}x{height}).")
            probe.verify()  # checks the structure (CRCs, truncation) without decoding
        with Image.open(io.BytesIO(raw)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise refuse("The file is not a valid JPEG, PNG or WebP image.") from None
    content_type, extension = ALLOWED_FORMATS[image_format]
    upright = pixels_only(upright)
    upright.thumbnail((MAX_STORED_EDGE, MAX_STORED_EDGE))
    return CheckedImage(
        content_type=content_type,
        extension=extension,
        width=upright.width,
        height=upright.height,
        data=_encode(upright, image_format),
        thumbnail=_thumbnail(upright),
    )


def pixels_only(image: Image.Image) -> Image.Image:
    """A new image holding the pixels and nothing else: no EXIF, XMP, JPEG comment or
    application segment, PNG text chunk or ICC profile survives into the stored files (an
    uploaded comment may carry markup or code; EXIF may carry a location). Colours in
    another profile are converted to sRGB first, so dropping the profile changes nothing."""
    icc = image.info.get("icc_profile")
    if icc and image.mode in ("RGB", "RGBA"):
        # An unreadable profile: keep the pixels as they are.
        with contextlib.suppress(ImageCms.PyCMSError, OSError, ValueError):
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            srgb = ImageCms.createProfile("sRGB")
            image = ImageCms.profileToProfile(image, profile, srgb) or image
    if image.mode in ("P", "PA"):  # the palette and transparency live in the metadata
        image = image.convert("RGBA")
    return Image.frombytes(image.mode, image.size, image.tobytes())


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


def store_files(vehicle: Vehicle, checked: CheckedImage) -> tuple[str, str]:
    """Save the image and thumbnail under unguessable names; returns their storage names."""
    stem = f"vehicle-photos/{vehicle.rooftop_id}/{secrets.token_hex(16)}"
    name = default_storage.save(f"{stem}.{checked.extension}", ContentFile(checked.data))
    thumb = default_storage.save(f"{stem}-thumb.jpg", ContentFile(checked.thumbnail))
    return name, thumb


def delete_files(*names: str) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


def public_photo_token(photo_id: int) -> str:
    """A signed, unguessable reference to one photo, for the URLs in marketplace feeds."""
    return signing.Signer(salt=PUBLIC_PHOTO_SALT).sign(str(photo_id))


def photo_id_from_public_token(token: str) -> int | None:
    try:
        return int(signing.Signer(salt=PUBLIC_PHOTO_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def cover_photo_ids(vehicle_ids: Iterable[int]) -> dict[int, int]:
    """Each vehicle's cover photo for lists (the primary, else the first): vehicle id ->
    photo id, in one query; vehicles without photos are left out."""
    covers: dict[int, int] = {}
    rows = (
        VehiclePhoto.objects.filter(vehicle_id__in=list(vehicle_ids))
        .order_by("vehicle_id", "-is_primary", "position", "id")
        .values_list("vehicle_id", "id")
    )
    for vehicle_id, photo_id in rows:
        covers.setdefault(vehicle_id, photo_id)
    return covers
