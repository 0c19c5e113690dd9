from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "forecourt.core"
    label = "core"
    verbose_name = "Forecourt core"

    def ready(self) -> None:
        # Importing the scheduler imports core's models: not before the app registry is ready.
        from forecourt.core.idempotency import purge_expired_keys
        from forecourt.core.scheduler import prune_job_runs, register_job

        register_job("core.prune_job_runs", "04:10", prune_job_runs)
        register_job("core.purge_idempotency_keys", "every 1h", purge_expired_keys)
