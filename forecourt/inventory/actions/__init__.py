"""Every write to inventory: one function per business operation.

Each runs in one transaction, checks the actor's permission and rooftop, locks the vehicle
row (so two app processes serialise on it), and writes its audit entry. Bad input raises
ValidationError with field messages before anything is written. One module per sub-domain;
this package re-exports the public operations (`actions.place_hold(...)` style calls from
other apps keep one import).
"""

from forecourt.inventory.actions.bulk_edits import (
    BulkResult,
    bulk_change_status,
    bulk_move_rooftop,
    bulk_set_published,
)
from forecourt.inventory.actions.costs import add_cost, add_system_cost
from forecourt.inventory.actions.exports import record_export
from forecourt.inventory.actions.feeds import (
    record_feed_built,
    record_feed_failure,
    start_feed_run,
)
from forecourt.inventory.actions.holds import (
    DEFAULT_HOLD,
    MAX_HOLD,
    hold_vehicle,
    release_expired_holds,
    release_hold,
)
from forecourt.inventory.actions.imports import (
    claim_import,
    finish_import,
    record_import_progress,
    start_import,
)
from forecourt.inventory.actions.photos import (
    add_photo,
    delete_photo,
    reorder_photos,
    set_primary_photo,
)
from forecourt.inventory.actions.pricing import (
    CONFIRM_FLOOR_CODE,
    check_floor_price,
    set_price_policy,
)
from forecourt.inventory.actions.receipts import bulk_receive_vehicles
from forecourt.inventory.actions.rules import (
    EDITABLE_FIELD_ORDER,
    EDITABLE_FIELDS,
    PRICE_FIELDS,
    RECEIVE_FIELDS,
    TRANSITIONS,
    UNWIND_FROM,
    VersionConflict,
    can_reach_rooftop,
)
from forecourt.inventory.actions.stock_numbers import (
    set_stock_number_pattern,
    validate_stock_number_pattern,
)
from forecourt.inventory.actions.vehicles import (
    change_price,
    change_status,
    prepare_vehicle,
    receive_vehicle,
    record_odometer,
    update_vehicle,
)
from forecourt.inventory.actions.warranty import set_complaints_contact, set_warranty

__all__ = [
    "CONFIRM_FLOOR_CODE",
    "DEFAULT_HOLD",
    "EDITABLE_FIELDS",
    "EDITABLE_FIELD_ORDER",
    "MAX_HOLD",
    "PRICE_FIELDS",
    "RECEIVE_FIELDS",
    "TRANSITIONS",
    "UNWIND_FROM",
    "BulkResult",
    "VersionConflict",
    "add_cost",
    "add_photo",
    "add_system_cost",
    "bulk_change_status",
    "bulk_move_rooftop",
    "bulk_receive_vehicles",
    "bulk_set_published",
    "can_reach_rooftop",
    "change_price",
    "change_status",
    "check_floor_price",
    "claim_import",
    "delete_photo",
    "finish_import",
    "hold_vehicle",
    "prepare_vehicle",
    "receive_vehicle",
    "record_export",
    "record_feed_built",
    "record_feed_failure",
    "record_import_progress",
    "record_odometer",
    "release_expired_holds",
    "release_hold",
    "reorder_photos",
    "set_complaints_contact",
    "set_price_policy",
    "set_primary_photo",
    "set_stock_number_pattern",
    "set_warranty",
    "start_feed_run",
    "start_import",
    "update_vehicle",
    "validate_stock_number_pattern",
]
