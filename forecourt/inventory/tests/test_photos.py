"""Photo upload: real images only (by content), size limit, order, primary, thumbnails,
files served only to users who may see the vehicle (or through a feed's signed link)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from forecourt.accounts.roles import Role
from forecourt.core.models import AuditEntry
from forecourt.inventory import actions
from forecourt.inventory.media import photos
from forecourt.inventory.models import VehiclePhoto
from forecourt.inventory.tests.factories import receive


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (800, 600), color: str = "red") -> bytes:
    out = io.BytesIO()
    mode = "RGBA" if fmt == "PNG" else "RGB"
    Image.new(mode, size, color).save(out, fmt)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def vehicle(manager, rooftop):
    return receive(manager, rooftop)


def test_check_image_accepts_jpeg_png_webp_and_makes_a_thumbnail() -> None:
    for fmt, content_type in (("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")):
        checked = photos.check_image(io.BytesIO(image_bytes(fmt)))
        assert checked.content_type == content_type
        assert (checked.width, checked.height) == (800, 600)
        with Image.open(io.BytesIO(checked.thumbnail)) as thumb:
            assert thumb.format == "JPEG"
            assert thumb.size == (480, 360)


def test_a_text_file_renamed_jpg_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        photos.check_image(io.BytesIO(b"just some text, not a photo\n" * 20))
    assert "not a valid JPEG, PNG or WebP" in error.value.message_dict["image"][0]


def test_other_image_formats_and_truncated_images_are_refused() -> None:
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    with pytest.raises(ValidationError, match="GIF images are not accepted"):
        photos.check_image(io.BytesIO(gif.getvalue()))
    truncated = image_bytes("PNG")[:200]
    with pytest.raises(ValidationError, match="not a valid"):
        photos.check_image(io.BytesIO(truncated))


def test_an_oversized_photo_is_refused(settings) -> None:
    settings.FORECOURT_PHOTO_MAX_BYTES = 10_240
    noisy = Image.frombytes("RGB", (300, 300), os.urandom(300 * 300 * 3))  # incompressible
    out = io.BytesIO()
    noisy.save(out, "PNG")
    big = out.getvalue()
    assert len(big) > 10_240
    with pytest.raises(ValidationError, match="larger than the limit of 10 KB"):
        photos.check_image(io.BytesIO(big))


def test_metadata_is_stripped_when_stored() -> None:
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    Image.new("RGB", (64, 64), "blue").save(out, "JPEG", exif=exif)
    checked = photos.check_image(io.BytesIO(out.getvalue()))
    with Image.open(io.BytesIO(checked.data)) as stored:
        assert not stored.getexif()
    assert b"SecretCam" not in checked.data


def test_upload_order_primary_and_delete(
    manager, vehicle, django_capture_on_commit_callbacks
) -> None:
    first = actions.add_photo(manager, vehicle, io.BytesIO(image_bytes(color="red")))
    second = actions.add_photo(manager, vehicle, io.BytesIO(image_bytes("PNG", color="green")))
    third = actions.add_photo(manager, vehicle, io.BytesIO(image_bytes("WEBP", color="blue")))
    assert [p.pk for p in VehiclePhoto.objects.filter(vehicle=vehicle)] == [
        first.pk,
        second.pk,
        third.pk,
    ]
    assert first.is_primary
    assert not second.is_primary
    assert default_storage.exists(first.file_name)
    assert default_storage.exists(first.thumbnail_name)
    assert first.file_name.startswith(f"vehicle-photos/{vehicle.rooftop_id}/")
    assert len(Path(first.file_name).stem) == 32  # random hex, not the uploaded name

    actions.reorder_photos(manager, vehicle, [third.pk, first.pk, second.pk])
    assert [p.pk for p in VehiclePhoto.objects.filter(vehicle=vehicle)] == [
        third.pk,
        first.pk,
        second.pk,
    ]
    with pytest.raises(ValidationError):
        actions.reorder_photos(manager, vehicle, [third.pk, first.pk])

    actions.set_primary_photo(manager, second)
    assert list(VehiclePhoto.objects.filter(is_primary=True).values_list("pk", flat=True)) == [
        second.pk
    ]
    with django_capture_on_commit_callbacks(execute=True):  # files go after the commit
        actions.delete_photo(manager, second)  # the primary goes: the next one takes over
    assert VehiclePhoto.objects.get(is_primary=True).pk == third.pk
    assert not default_storage.exists(second.file_name)
    recorded = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "inventory.add_photo",
        "inventory.reorder_photos",
        "inventory.set_primary_photo",
        "inventory.delete_photo",
    } <= recorded


def test_a_refused_upload_writes_nothing(manager, vehicle, media_root) -> None:
    with pytest.raises(ValidationError):
        actions.add_photo(manager, vehicle, io.BytesIO(b"GIF89a not really"))
    assert not VehiclePhoto.objects.exists()
    assert not AuditEntry.objects.filter(action="inventory.add_photo").exists()
    assert not (media_root / "vehicle-photos").exists()


def test_salesperson_may_view_but_not_upload(salesperson, vehicle, client_for) -> None:
    client = client_for(salesperson)
    response = client.post(
        f"/inventory/{vehicle.pk}/photos/upload/",
        {"image": upload("car.jpg", image_bytes())},
    )
    assert response.status_code == 403
    assert not VehiclePhoto.objects.exists()
    assert client.get(f"/inventory/{vehicle.pk}/photos/").status_code == 200


def test_upload_view_shows_the_error_for_a_fake_image(manager, vehicle, client_for) -> None:
    client = client_for(manager)
    response = client.post(
        f"/inventory/{vehicle.pk}/photos/upload/",
        {"image": upload("car.jpg", b"definitely not a jpeg")},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200  # htmx swaps the panel with the error in it
    assert "not a valid JPEG, PNG or WebP image" in response.content.decode()
    assert not VehiclePhoto.objects.exists()
    response = client.post(
        f"/inventory/{vehicle.pk}/photos/upload/",
        {"image": upload("car.jpg", image_bytes())},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    photo = VehiclePhoto.objects.get()
    assert f"/inventory/photos/{photo.pk}/thumb/" in response.content.decode()


def test_photo_files_are_served_only_to_users_who_may_see_the_vehicle(
    manager, vehicle, make_user, other_rooftop, client_for
) -> None:
    photo = actions.add_photo(manager, vehicle, io.BytesIO(image_bytes()))
    response = client_for(manager).get(f"/inventory/photos/{photo.pk}/full/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
    thumb = client_for(manager).get(f"/inventory/photos/{photo.pk}/thumb/")
    assert thumb.status_code == 200
    outsider = make_user(Role.SALES_MANAGER, rooftops=[other_rooftop])
    assert client_for(outsider).get(f"/inventory/photos/{photo.pk}/full/").status_code == 404
    anonymous = Client().get(f"/inventory/photos/{photo.pk}/full/")
    assert anonymous.status_code == 302  # to sign-in
    assert "/media/" not in (anonymous.get("Location") or "")


def test_public_photo_link_works_only_while_the_vehicle_is_listed(manager, vehicle) -> None:
    photo = actions.add_photo(manager, vehicle, io.BytesIO(image_bytes()))
    token = photos.public_photo_token(photo.pk)
    url = f"/inventory/public/photos/{token}/"
    assert Client().get(url).status_code == 404  # not published yet
    actions.bulk_set_published(manager, [vehicle.pk], True)
    assert Client().get(url).status_code == 200
    assert Client().get(f"/inventory/public/photos/{photo.pk}:forged/").status_code == 404
    actions.bulk_set_published(manager, [vehicle.pk], False)
    assert Client().get(url).status_code == 404


def test_api_upload_list_reorder_primary_delete(manager, vehicle, client_for, settings) -> None:
    client = client_for(manager)
    base = f"/api/v1/vehicles/{vehicle.pk}/photos"
    created = []
    for color in ("red", "green"):
        response = client.post(base, {"image": upload("a.png", image_bytes("PNG", color=color))})
        assert response.status_code == 201, response.content
        created.append(response.json())
    assert created[0]["is_primary"]
    assert not created[1]["is_primary"]
    assert created[0]["content_type"] == "image/png"
    fake = client.post(base, {"image": upload("fake.jpg", b"hello")})
    assert fake.status_code == 422
    assert fake.json()["error"]["fields"][0]["field"] == "image"
    settings.FORECOURT_PHOTO_MAX_BYTES = 10_240
    too_big = client.post(base, {"image": upload("big.bmp", b"\x00" * 20_000)})
    assert too_big.status_code == 422
    assert "larger than the limit" in too_big.json()["error"]["fields"][0]["message"]

    ids = [p["id"] for p in created]
    response = client.put(
        f"{base}/order", {"photo_ids": ids[::-1]}, content_type="application/json"
    )
    assert response.status_code == 200
    assert [p["id"] for p in response.json()] == ids[::-1]
    response = client.post(f"{base}/{ids[1]}/primary")
    assert response.status_code == 200
    assert response.json()["is_primary"]
    assert client.delete(f"{base}/{ids[0]}").status_code == 204
    listing = client.get(base).json()
    assert [p["id"] for p in listing] == [ids[1]]


SCRIPT = b"<script>alert(document.cookie)</script><?php system($_GET['c']); ?>"


def _hostile_jpeg() -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {2: (40.0, 26.0, 46.0)}  # GPS
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description about="XMP-SECRET"/></x:xmpmeta>'
    Image.new("RGB", (640, 480), "green").save(out, "JPEG", exif=exif, comment=SCRIPT, xmp=xmp)
    return out.getvalue()


def test_a_jpeg_comment_with_a_script_survives_nowhere() -> None:
    """Finding 4: JPEG comment segments survived re-encoding into the image and thumbnail."""
    raw = _hostile_jpeg()
    with Image.open(io.BytesIO(raw)) as original:
        assert original.info["comment"] == SCRIPT  # the test file really carries it
    checked = photos.check_image(io.BytesIO(raw))
    for stored_bytes in (checked.data, checked.thumbnail):
        for secret in (b"<script", b"<?php", b"SecretCam", b"XMP-SECRET", b"xmpmeta"):
            assert secret not in stored_bytes
        with Image.open(io.BytesIO(stored_bytes)) as stored:
            assert not stored.getexif()
            assert not {"comment", "exif", "xmp", "icc_profile"} & set(stored.info)
            assert not [m for m in stored.applist if m[0] not in {"APP0"}]  # JFIF header only


def test_png_text_chunks_and_webp_metadata_are_stripped() -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SCRIPT.decode())
    info.add_itxt("XML:com.adobe.xmp", "XMP-SECRET")
    png = io.BytesIO()
    Image.new("RGBA", (320, 240), (0, 0, 255, 128)).save(png, "PNG", pnginfo=info)
    webp = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    Image.new("RGB", (320, 240), "red").save(webp, "WEBP", exif=exif, xmp=b"XMP-SECRET")
    for raw in (png.getvalue(), webp.getvalue()):
        checked = photos.check_image(io.BytesIO(raw))
        for stored_bytes in (checked.data, checked.thumbnail):
            for secret in (b"<script", b"SecretCam", b"XMP-SECRET"):
                assert secret not in stored_bytes
            with Image.open(io.BytesIO(stored_bytes)) as stored:
                assert not {"comment", "Comment", "exif", "xmp", "XML:com.adobe.xmp"} & set(
                    stored.info
                )


def test_a_palette_png_keeps_its_transparency_as_pixels() -> None:
    out = io.BytesIO()
    Image.new("RGBA", (50, 50), (255, 0, 0, 0)).convert("P").save(out, "PNG", transparency=0)
    checked = photos.check_image(io.BytesIO(out.getvalue()))
    with Image.open(io.BytesIO(checked.data)) as stored:
        assert stored.mode == "RGBA"
