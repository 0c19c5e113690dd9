"""The deployment files: linted (hadolint, actionlint) and checked for what operators rely on."""

from __future__ import annotations

import ast
import itertools
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

REPO = Path(__file__).resolve().parents[4]
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    path = BIN / name
    assert path.exists(), f"{name} is a pinned dev dependency: pip install -e '.[dev]'"
    return str(path)


def stages(dockerfile: str) -> list[str]:
    return re.split(r"(?m)^FROM ", dockerfile)[1:]


def test_dockerfile_passes_hadolint():
    result = subprocess.run(  # noqa: S603
        [tool("hadolint"), "--no-color", "Dockerfile"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ci_workflow_passes_actionlint():
    result = subprocess.run(  # noqa: S603
        [tool("actionlint"), "-no-color"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ci_workflow_covers_lint_types_tests_image_and_deploy_with_rollback():
    workflow = yaml.safe_load((REPO / ".github/workflows/ci.yml").read_text())
    jobs = workflow["jobs"]
    assert {"lint", "typecheck", "test", "image", "deploy"} <= set(jobs)
    assert {"postgres", "redis"} <= set(jobs["test"]["services"])
    steps = " ".join(str(step.get("run", "")) for step in jobs["deploy"]["steps"])
    assert "kubectl -n forecourt rollout undo" in steps
    assert "forecourt backup" in steps
    assert "hadolint" in str(jobs["lint"]["steps"])
    assert "actionlint" in str(jobs["lint"]["steps"])


def test_dockerfile_is_multi_stage_slim_non_root_and_healthchecked():
    dockerfile = (REPO / "Dockerfile").read_text()
    build, runtime = stages(dockerfile)
    assert "ARG PYTHON_IMAGE=python:3.13-slim" in dockerfile
    assert "build-essential" in build
    assert "build-essential" not in runtime
    assert "collectstatic" in build
    assert "/static" in runtime
    assert re.search(r"(?m)^USER 10001:10001$", runtime)
    assert "forecourt.core.healthcheck" in runtime
    assert 'CMD ["forecourt", "serve"]' in runtime
    assert "postgresql-client" in runtime  # pg_dump for backups


def test_the_image_build_environment_satisfies_production_validation():
    """The throw-away values collectstatic builds with must pass production validation, so
    adding a required production variable without updating the Dockerfile fails here."""
    build = stages((REPO / "Dockerfile").read_text())[0]
    command = build[build.index("RUN FORECOURT_ENV=production") :].split("collectstatic")[0]
    variables = dict(re.findall(r"([A-Z_]+)=(\S+)", command))
    code = "from forecourt.core.config import load_config; load_config()"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env={"PATH": "/usr/bin:/bin", **variables},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_gunicorn_takes_its_workers_from_configuration(monkeypatch):
    from forecourt.core.config import get_config

    monkeypatch.setenv("WEB_CONCURRENCY", "7")
    get_config.cache_clear()
    try:
        sys.modules.pop("forecourt.gunicorn_conf", None)
        import forecourt.gunicorn_conf as conf

        assert conf.workers == 7
        assert conf.bind == "0.0.0.0:8000"
    finally:
        sys.modules.pop("forecourt.gunicorn_conf", None)
        get_config.cache_clear()


def test_serve_empties_the_metrics_folder_and_runs_granian_with_the_configured_workers(
    monkeypatch, tmp_path
):
    from django.core.management import call_command

    from forecourt.core.config import get_config
    from forecourt.core.management.commands import serve

    stale = tmp_path / "counter_4242.db"
    stale.write_bytes(b"an earlier run's worker")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    executed: list[list[str]] = []
    monkeypatch.setattr(serve.os, "execv", lambda path, argv: executed.append(argv))
    get_config.cache_clear()
    try:
        call_command("serve", "--port", "8123", "--pid-file", str(tmp_path / "serve.pid"))
    finally:
        get_config.cache_clear()
    assert not stale.exists()
    (argv,) = executed
    assert argv[:3] == [sys.executable, "-m", "granian"]
    assert argv[-1] == "forecourt.wsgi:application"
    options = dict(itertools.pairwise(argv))
    assert options["--interface"] == "wsgi"
    assert options["--workers"] == "3"
    assert options["--blocking-threads"] == "1"
    assert options["--host"] == "0.0.0.0"  # noqa: S104 - the container's interface
    assert options["--port"] == "8123"
    assert options["--pid-file"] == str(tmp_path / "serve.pid")
    assert "--respawn-failed-workers" in argv


def test_compose_file_has_the_services_volumes_and_healthchecks():
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "redis", "migrate", "app", "worker"}
    assert set(compose["volumes"]) == {"pgdata", "media", "backups"}
    for name in ("db", "redis", "app", "worker"):
        assert services[name]["healthcheck"]["test"], name
    for name in ("app", "worker", "migrate"):
        service = services[name]
        assert service["env_file"] == ".env"
        assert "media:/var/lib/forecourt/media" in service["volumes"]
        assert "backups:/var/lib/forecourt/backups" in service["volumes"]
        assert service["environment"]["DATABASE_URL"].startswith("postgres://")
    assert services["worker"]["command"] == ["forecourt", "worker"]
    assert services["migrate"]["command"] == ["forecourt", "migrate", "--noinput"]
    assert services["app"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    assert "forecourt.core.healthcheck" in services["app"]["healthcheck"]["test"]
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert (REPO / ".env.example").exists()


def k8s_documents() -> dict[tuple[str, str], dict]:
    documents = {}
    for path in sorted((REPO / "deploy/k8s").glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc and path.name != "kustomization.yaml":
                documents[(doc["kind"], doc["metadata"]["name"])] = doc
    return documents


def test_kubernetes_manifests_have_probes_a_worker_a_migration_job_and_env_secrets():
    docs = k8s_documents()
    kustomization = yaml.safe_load((REPO / "deploy/k8s/kustomization.yaml").read_text())
    for resource in kustomization["resources"]:
        assert (REPO / "deploy/k8s" / resource).exists(), resource

    app = docs[("Deployment", "forecourt-app")]["spec"]["template"]["spec"]["containers"][0]
    assert app["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    assert app["livenessProbe"]["httpGet"]["path"] == "/health/live"
    worker = docs[("Deployment", "forecourt-worker")]["spec"]["template"]["spec"]
    assert worker["containers"][0]["command"] == ["forecourt", "worker"]
    assert worker["terminationGracePeriodSeconds"] >= 300
    job = docs[("Job", "forecourt-migrate")]["spec"]["template"]["spec"]["containers"][0]
    assert job["command"] == ["forecourt", "migrate", "--noinput"]
    for container in (app, worker["containers"][0], job):
        assert {"secretRef": {"name": "forecourt-env"}} in container["envFrom"]
    for kind, name in docs:
        if kind == "Deployment":
            pod = docs[(kind, name)]["spec"]["template"]["spec"]
            assert pod["securityContext"]["runAsNonRoot"] is True


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_every_data_migration_can_be_reversed():
    """Each RunPython in our migrations names a reverse function (or RunPython.noop)."""
    missing = []
    for path in sorted((REPO / "forecourt").rglob("migrations/0*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "RunPython":
                has_reverse = len(node.args) >= 2 or any(
                    k.arg == "reverse_code" for k in node.keywords
                )
                if not has_reverse:
                    missing.append(str(path.relative_to(REPO)))
    assert missing == []


@pytest.mark.django_db(transaction=True)
def test_backups_migrations_reverse_to_zero_and_forward_again():
    from django.db import connection

    call_command("migrate", "backups", "zero", verbosity=0)
    assert "backups_backuprecord" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)  # every app: core's adoption of the tables comes back too
    assert "core_scheduledjobrun" in connection.introspection.table_names()


def test_container_healthcheck_reports_live_and_dead_servers(live_server):
    from forecourt.core.healthcheck import check

    assert check(f"{live_server.url}/health/live", host="localhost") == 0
    assert check("http://127.0.0.1:9/health/live", timeout=1) == 1


def test_ci_audits_every_pinned_dependency_before_the_image_is_built():
    workflow = yaml.safe_load((REPO / ".github/workflows/ci.yml").read_text())
    jobs = workflow["jobs"]
    audit = " ".join(str(step.get("run", "")) for step in jobs["audit"]["steps"])
    assert "pip-audit --requirement constraints.txt" in audit
    assert "audit" in jobs["image"]["needs"]
