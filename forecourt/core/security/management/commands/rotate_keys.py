"""`forecourt rotate-keys`: re-encrypt every encrypted field under the current key.

Put the new key first in FIELD_ENCRYPTION_KEYS (keep the old ones after it), deploy,
run this, then drop the old keys once it reports nothing left under them.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import models, transaction
from django.db.models.functions import Cast

from forecourt.core.progress import progress
from forecourt.core.security import encryption
from forecourt.core.security.fields import EncryptedField, encrypted_fields


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field of every model with the current key, in batches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would change; write nothing."
        )

    def handle(self, *args: Any, batch_size: int, dry_run: bool, **options: Any) -> None:
        current = encryption.current_key_id()
        self.stdout.write(f"Current key: {current}{' (dry run)' if dry_run else ''}")
        grand_total = 0
        for model in apps.get_models():
            fields = encrypted_fields(model)
            if fields:
                grand_total += self._rotate_model(model, fields, current, batch_size, dry_run)
        verb = "would re-encrypt" if dry_run else "re-encrypted"
        self.stdout.write(self.style.SUCCESS(f"Done: {verb} {grand_total} value(s)."))

    def _rotate_model(
        self,
        model: type[models.Model],
        fields: list[EncryptedField],
        current: str,
        batch_size: int,
        dry_run: bool,
    ) -> int:
        # The raw column text (key id and ciphertext), not the decrypted value.
        raw_columns = {f"raw_{f.attname}": Cast(f.attname, models.TextField()) for f in fields}
        rows = model._base_manager.order_by("pk").annotate(**raw_columns)
        total = rows.count()
        changed_values = 0
        last_pk: Any = None
        bar = iter(progress(range(total), total=total, desc=model._meta.label))
        while True:
            # Each batch is locked while it is rewritten, so a concurrent edit is not lost.
            with transaction.atomic():
                batch = rows.select_for_update()
                if last_pk is not None:
                    batch = batch.filter(pk__gt=last_pk)
                values = list(batch.values_list("pk", *raw_columns)[:batch_size])
                if not values:
                    break
                for pk, *raws in values:
                    updates = {
                        field.attname: field.from_text(encryption.decrypt(raw))
                        for field, raw in zip(fields, raws, strict=True)
                        if raw and encryption.key_id_of(raw) != current
                    }
                    changed_values += len(updates)
                    if updates and not dry_run:
                        model._base_manager.filter(pk=pk).update(**updates)
                    next(bar, None)
                last_pk = values[-1][0]
        for _ in bar:  # finish the progress bar
            pass
        verb = "would re-encrypt" if dry_run else "re-encrypted"
        self.stdout.write(f"{model._meta.label}: {total} row(s), {verb} {changed_values} value(s)")
        return changed_values
