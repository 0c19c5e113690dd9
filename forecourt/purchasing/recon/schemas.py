"""Recon API shapes."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema
from pydantic import StrictBool, StrictInt

from forecourt.core.schemas import StrictInput
from forecourt.inventory.schemas import IsoDate, MoneyIn, MoneyOut
from forecourt.purchasing.recon.models import WorkItemStatus


class WorkItemOut(Schema):
    id: int
    stage: str
    description: str
    vendor: str
    estimate: MoneyOut
    actual: MoneyOut | None
    status: WorkItemStatus
    posted_cost_id: int | None


class VisitOut(Schema):
    stage: str
    owner_id: int | None
    due_on: date | None
    notes: str
    entered_on: date
    left_on: date | None


class ReconOut(Schema):
    id: int
    vehicle_id: int
    stage: str
    started_on: date
    front_line_on: date | None
    time_to_line_calendar_days: int
    time_to_line_business_days: int
    estimate: MoneyOut
    actual: MoneyOut
    visits: list[VisitOut]
    work_items: list[WorkItemOut]
    version: int


class ReconStart(StrictInput):
    vehicle_id: StrictInt


class MoveIn(StrictInput):
    stage: str = Field(max_length=32, examples=["mechanical"])
    owner_id: StrictInt | None = None
    due_on: IsoDate | None = None
    notes: str = Field(default="", max_length=2000)
    on: IsoDate | None = Field(default=None, description="Default: today.")
    version: StrictInt | None = None


class WorkItemIn(StrictInput):
    description: str = Field(max_length=200)
    vendor: str = Field(default="", max_length=120)
    estimate: MoneyIn


class DecisionIn(StrictInput):
    approve: StrictBool


class CompleteIn(StrictInput):
    actual: MoneyIn


class StageAverageOut(Schema):
    stage: str
    vehicles: int
    average_business_days: str
    average_calendar_days: str


class ReconNumbersOut(Schema):
    rooftop_id: int
    since: date
    bottleneck: str | None
    estimate: MoneyOut
    actual: MoneyOut
    stages: list[StageAverageOut]
    vehicles: list[ReconOut]
