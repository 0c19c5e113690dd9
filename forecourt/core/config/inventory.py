"""Inventory: VIN decoding, photos, documents and feeds (docs/inventory.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from forecourt.core.config.base import EnvironmentSettings


class InventorySettings(EnvironmentSettings):
    vin_decoder: Literal["offline", "vpic"] = Field(
        default="offline",
        description="VIN decoder: offline (WMI and model year only) or vpic (NHTSA vPIC online).",
        examples=["vpic"],
    )

    vin_decoder_url: str = Field(
        default="https://vpic.nhtsa.dot.gov/api",
        description="Base URL of the NHTSA vPIC API (used when VIN_DECODER=vpic).",
        examples=["https://vpic.nhtsa.dot.gov/api"],
    )

    vin_decoder_timeout: float = Field(
        default=3.0,
        gt=0,
        le=30,
        description="Seconds to wait for the online VIN decoder before decoding offline.",
        examples=["3"],
    )

    photo_max_bytes: int = Field(
        default=10_485_760,
        ge=10_240,
        description="Largest vehicle photo accepted, in bytes (JPEG, PNG or WebP).",
        examples=["10485760"],
    )
