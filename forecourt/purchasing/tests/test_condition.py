"""Condition reports (markers as data, tyres, checks, photos) and appraisals."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from forecourt.accounts.roles import Role
from forecourt.inventory.tests.factories import make_vin, receive
from forecourt.purchasing import actions
from forecourt.purchasing.condition.models import AppraisalStatus, ConditionPhoto, ConditionReport
from forecourt.purchasing.condition.reads import compare
from forecourt.purchasing.tests.factories import auction

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_user, rooftop):
    return make_user(Role.SALES_MANAGER, rooftops=[rooftop])


def png(name="dent.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def marker(**fields):
    return {
        "id": "m1",
        "view": "left",
        "x": 120,
        "y": 80,
        "type": "dent",
        "severity": "minor",
        **fields,
    }


def test_a_signed_report_is_stored_as_data_with_its_photo(manager, rooftop, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    vehicle = receive(manager, rooftop)
    report = actions.record_condition_report(
        manager,
        vehicle,
        occasion="purchase",
        signed_name="Pat Appraiser",
        markers=[marker(), marker(id="m2", view="top", x=300, y=200, type="scratch")],
        tyres={"front_left": "7", "front_right": "6.5", "rear_left": "5", "rear_right": "5"},
        checks={"lights": "ok", "glass": "attention", "interior": "ok"},
        photos={"m1": png()},
    )
    assert [m["view"] for m in report.markers] == ["left", "top"]
    assert report.tyres["front_right"] == "6.5"
    assert report.signed_by == manager
    photo = ConditionPhoto.objects.get()
    assert (photo.marker_id, photo.content_type) == ("m1", "image/png")


def test_a_marker_outside_the_diagram_is_refused(manager, rooftop):
    vehicle = receive(manager, rooftop)
    with pytest.raises(ValidationError) as error:
        actions.record_condition_report(
            manager,
            vehicle,
            occasion="purchase",
            signed_name="Pat",
            markers=[
                marker(x=700),
                marker(id="m2", view="top", y=20),
                marker(id="m3", type="graffiti"),
            ],
        )
    assert error.value.message_dict["markers"] == [
        "Marker 1 is outside the diagram.",
        "Marker 2 is outside the diagram.",  # y=20 is in the left view, not the top one
        "Marker 3: choose a type (scratch, dent, chip, crack, rust, missing).",
    ]
    assert ConditionReport.objects.count() == 0


def test_a_photo_that_is_not_an_image_is_refused(manager, rooftop, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    vehicle = receive(manager, rooftop)
    fake = SimpleUploadedFile("dent.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        actions.record_condition_report(
            manager,
            vehicle,
            occasion="purchase",
            signed_name="Pat",
            markers=[marker()],
            photos={"m1": fake},
        )
    assert error.value.message_dict == {
        "photos.m1": ["This file is not an image (JPEG, PNG or WebP)."]
    }
    assert ConditionReport.objects.count() == ConditionPhoto.objects.count() == 0


def test_tyres_checks_and_signature_are_checked(manager, rooftop):
    vehicle = receive(manager, rooftop)
    with pytest.raises(ValidationError) as error:
        actions.record_condition_report(
            manager,
            vehicle,
            occasion="someday",
            signed_name=" ",
            tyres={"front_left": "40", "spare": "3"},
            checks={"lights": "dim"},
        )
    assert set(error.value.message_dict) == {
        "occasion",
        "signed_name",
        "tyres.front_left",
        "tyres",
        "checks.lights",
    }


def test_compare_purchase_and_delivery(manager, rooftop):
    vehicle = receive(manager, rooftop)
    at_purchase = actions.record_condition_report(
        manager,
        vehicle,
        occasion="purchase",
        signed_name="Pat",
        markers=[marker(), marker(id="m2", x=400, type="scratch")],
        tyres={"front_left": "7"},
        checks={"glass": "attention"},
    )
    at_delivery = actions.record_condition_report(
        manager,
        vehicle,
        occasion="delivery",
        signed_name="Sam",
        markers=[
            marker(id="a", x=125, y=84),
            marker(id="b", view="right", x=300, y=400, type="chip"),
        ],
        tyres={"front_left": "6"},
        checks={"glass": "ok"},
    )
    result = compare(at_delivery, at_purchase)
    assert result.earlier == at_purchase
    assert [m["id"] for m in result.unchanged] == ["a"]  # the same dent, placed a little apart
    assert [m["id"] for m in result.new] == ["b"]
    assert [m["id"] for m in result.gone] == ["m2"]  # the scratch was repaired
    assert result.tyres[0] == ("front_left", "7", "6")
    assert result.checks == [("glass", "attention", "ok")]


def test_an_appraisal_becomes_a_purchase(manager, rooftop):
    appraisal = actions.create_appraisal(
        manager,
        rooftop,
        vin=make_vin(),
        year=2018,
        make="Honda",
        model="Civic",
        odometer=61000,
        grade="good",
        acv="9200",
        offer="8800",
        expires_on=timezone.localdate() + timedelta(days=7),
        recon_estimate={"tyres": "360", "body": "250"},
        comparables=[{"source": "AutoTrader", "price": "11995", "odometer": 58000}],
    )
    assert appraisal.recon_estimate == {"tyres": "360.00", "body": "250.00"}
    invoice = actions.purchase_from_appraisal(manager, appraisal, seller=auction(manager, rooftop))
    appraisal.refresh_from_db()
    line = invoice.lines.get()
    assert appraisal.status == AppraisalStatus.PURCHASED
    assert appraisal.purchase_line == line
    assert line.vehicle.acquisition_cost == Decimal("8800.00")
    with pytest.raises(ValidationError):
        actions.create_appraisal(
            manager,
            rooftop,
            grade="shiny",
            acv="-1",
            offer="1",
            expires_on=timezone.localdate() - timedelta(days=1),
        )
