"""The CI workflows: actionlint finds nothing, permissions are per job, every step is a Makefile
target (one source of truth), deploys never overlap, and the update workflow only opens a pull
request. Also ruff, the linter the workflows run, passes over the tree."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name if (BIN / name).exists() else shutil.which(name)
    if not path:
        pytest.fail(f"{name} is not installed: run `make install-test`")
    return str(path)


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def _actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_tool("actionlint"), "-no-color", *map(str, files)], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


def test_actionlint_finds_nothing_in_any_workflow():
    assert [w.name for w in WORKFLOWS] == ["site.yml", "update.yml"]
    done = _actionlint(*WORKFLOWS)
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_actionlint_does_report_a_broken_workflow(tmp_path):
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - uses: actions/checkout@v1\n      - run: echo ${{ github.event.issue.titel }}\n"
                      "    permissions:\n      contents: raed\n", encoding="utf-8")
    done = _actionlint(broken)
    assert done.returncode == 1
    assert "contents: raed" in done.stdout or "raed" in done.stdout
    assert "actions/checkout@v1" in done.stdout


def test_permissions_are_granted_per_job_and_only_where_needed():
    site = _load(ROOT / ".github" / "workflows" / "site.yml")
    assert site["permissions"] == {}
    jobs = site["jobs"]
    assert jobs["test"]["permissions"] == {"contents": "read"}
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    for workflow in WORKFLOWS:
        data = _load(workflow)
        assert data["permissions"] == {}, workflow.name
        assert all("permissions" in job for job in data["jobs"].values()), workflow.name


def test_deploys_run_from_main_or_by_hand_never_overlap_and_publish_the_built_site():
    site = _load(ROOT / ".github" / "workflows" / "site.yml")
    assert site["on"]["push"] == {"branches": ["main"]} and "pull_request" in site["on"]
    assert "workflow_dispatch" in site["on"]
    jobs = site["jobs"]
    assert jobs["build"]["if"] == "github.ref == 'refs/heads/main' && github.event_name != 'pull_request'"
    assert jobs["deploy"]["needs"] == "build" and jobs["build"]["needs"] == "test"
    assert jobs["deploy"]["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    uses = [s.get("uses", "") for s in jobs["build"]["steps"]] + [s.get("uses", "") for s in jobs["deploy"]["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    # The caches restored between runs: pip's downloads, the gazetteer and the build cache.
    for name in ("test", "build"):
        cached = " ".join(s.get("with", {}).get("path", "") for s in jobs[name]["steps"]
                          if s.get("uses", "").startswith("actions/cache@"))
        assert "~/.cache/news-archive" in cached and ".cache" in cached
    assert "~/.cache/pip" in " ".join(str(s.get("with", {})) for s in jobs["test"]["steps"])


def test_every_step_is_a_makefile_target_and_the_pull_request_checks_are_all_there():
    targets = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))
    for workflow in WORKFLOWS:
        for job in _load(workflow)["jobs"].values():
            assert "CHROMIUM_PATH" not in str(job.get("env", {})) + str(job.get("steps"))
            for step in job["steps"]:
                if "run" in step:
                    words = step["run"].split()
                    assert words[0] == "make" and words[1] in targets, (workflow.name, step["run"])
    test_steps = [s["run"] for s in _load(ROOT / ".github" / "workflows" / "site.yml")["jobs"]["test"]["steps"]
                  if "run" in s]
    assert test_steps == ["make lint", "make test", "make demo", "make linkcheck"]
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().endswith("make test")


def test_the_scheduled_update_opens_a_pull_request_and_never_pushes_to_main():
    update = _load(ROOT / ".github" / "workflows" / "update.yml")
    assert update["on"]["schedule"][0]["cron"] and "workflow_dispatch" in update["on"]
    (job,) = update["jobs"].values()
    assert job["permissions"] == {"contents": "write", "pull-requests": "write"}
    text = (ROOT / ".github" / "workflows" / "update.yml").read_text(encoding="utf-8")
    assert "git push" not in text and "git commit" not in text
    (pr,) = [s for s in job["steps"] if s.get("uses", "").startswith("peter-evans/create-pull-request@")]
    assert pr["with"]["branch"] != "main" and "base" not in pr["with"]
    (run,) = [s["run"] for s in job["steps"] if "run" in s]
    assert run.startswith("make update SUMMARY=") and pr["with"]["body-path"] in run


def test_ruff_passes_over_the_tree_and_does_catch_a_real_mistake(tmp_path):
    ruff = _tool("ruff")
    done = subprocess.run([ruff, "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    return undefined_name\n", encoding="utf-8")
    caught = subprocess.run([ruff, "check", "--no-cache", "--config", str(ROOT / "pyproject.toml"), str(bad)],
                            capture_output=True, text=True, timeout=120)
    assert caught.returncode == 1 and "F821" in caught.stdout


# `pip install -q --upgrade pip` belongs to creating the venv, announced with it.
SLOW = re.compile(r"-m venv|pip install(?! -q --upgrade pip)|archive (?:update|ingest|build|linkcheck)|bin/pytest\b"
                  r"|apt-get install|ruff check")


@pytest.mark.parametrize("target", ["demo", "test", "lint", "linkcheck", "update"])
def test_every_slow_make_step_is_announced_before_it_runs(target, tmp_path):
    """A newcomer is never left wondering: each install, ingest, build or test step is preceded by
    a `==>` line saying what it does (read from `make -n`, which prints the commands unrun)."""
    plan = subprocess.run(["make", "-n", "-B", target, f"VENV={tmp_path / 'venv'}", "CHROMIUM_PATH="],
                          cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})  # no chromium on PATH
    assert plan.returncode == 0, plan.stderr
    events = sorted([(m.start(), "say") for m in re.finditer(r"==> ", plan.stdout)]
                    + [(m.start(), m.group()) for m in SLOW.finditer(plan.stdout)])
    slow = [what for _, what in events if what != "say"]
    assert slow, plan.stdout
    announced = False
    for _, what in events:
        assert what == "say" or announced, f"`{what}` in `make {target}` runs without saying what it does"
        announced = what == "say"
    if target == "test":
        assert "apt-get install -y -qq --no-install-recommends chromium" in plan.stdout
