"""What a public deployment relies on: the pinned server settings, make serve, the image."""

import ast
import shutil
import subprocess
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

from rnnviz import racer_grammar, specs

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def config():
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())


def test_the_server_listens_on_this_machine_only_and_names_its_hosts(config):
    server = config["server"]
    assert server["address"] == "127.0.0.1"
    assert server["allowedHosts"] == ["localhost", "127.0.0.1"]  # DNS rebinding
    assert server["enableXsrfProtection"] is True


def test_every_size_and_lifetime_is_capped(config):
    server = config["server"]
    assert server["maxMessageSize"] <= 32 and server["maxUploadSize"] <= 4
    assert server["disconnectedSessionTTL"] <= 60
    assert server["maxCacheDataSize"].endswith("mb") and int(server["maxCacheDataSize"][:-2]) <= 512
    assert server["fileWatcherType"] == "none" and server["runOnSave"] is False


def test_the_largest_run_file_the_page_saves_loads_back_under_the_upload_cap(config):
    """The page's JSON at the largest settings, with three racers, fits maxUploadSize twice
    over (the cap is for the page's own files, no more)."""
    import rnnviz
    from rnnviz import export

    values = specs.defaults() | {"iterations": 2000, "n_samples": 200, "seq_len": 200}
    X, t = rnnviz.make_dataset(200, 200, values["seed"])
    settings = specs.run_settings(values)
    racers = []
    for text in ("rprop eta_p=1.3", "rprop eta_p=1.1", "rprop eta_n=0.4"):
        racer = racer_grammar.racer_settings(text, values)
        racers.append(export.Racer(text, racer, rnnviz.run(X, t, racer)))
    assert all(len(r.run.weights) == 2001 for r in racers)  # none stopped early
    text = export.run_json(rnnviz.run(X, t, settings), settings, values, X, t, "x", racers)
    assert 2 * len(text.encode()) <= config["server"]["maxUploadSize"] * 1024**2


def test_every_cache_on_the_page_is_bounded_by_entries():
    """cache_data is bounded in bytes by maxCacheDataSize too; cache_resource only by entries,
    so its entries are capped in size by tests/test_live.py (the largest view and run parts)."""
    trees = [
        ast.parse(p.read_text()) for p in (ROOT / "app.py", *(ROOT / "dashboard").glob("*.py"))
    ]
    caches = [
        decorator
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        for decorator in node.decorator_list
        if "cache_" in ast.unparse(decorator)
    ]
    assert len(caches) >= 5
    unbounded = [ast.unparse(d) for d in caches if "max_entries" not in ast.unparse(d)]
    # the one unbounded cache runs once per process: it freezes the objects made at start-up
    assert unbounded == ["st.cache_resource"]


def test_visitors_see_no_error_details_and_nothing_phones_home(config):
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["toolbarMode"] == "viewer"
    assert config["browser"]["gatherUsageStats"] is False


def test_make_serve_refuses_to_open_up_without_host_names():
    done = subprocess.run(
        ["make", "--no-print-directory", "serve", "HOSTS="],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode != 0
    assert "make serve needs HOSTS=" in done.stdout + done.stderr


def _docker_usable():
    if shutil.which("docker") is None:
        return "docker is not installed"
    info = subprocess.run(["docker", "info"], capture_output=True, text=True, check=False)
    return None if info.returncode == 0 else "no Docker daemon answers here"


def test_the_image_builds_and_answers_its_health_check():
    why = _docker_usable()
    if why:
        pytest.skip(f"{why}: the Dockerfile is built and checked only where Docker runs")
    tag = "rnnviz-test"
    subprocess.run(["docker", "build", "-t", tag, str(ROOT)], check=True, timeout=900)
    container = subprocess.run(
        ["docker", "run", "-d", "-p", "127.0.0.1::8501", tag],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    try:
        port = (
            subprocess.run(
                ["docker", "port", container, "8501"], capture_output=True, text=True, check=True
            )
            .stdout.split(":")[-1]
            .strip()
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health") as answer:
                    assert answer.read() == b"ok"
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)
        user = subprocess.run(
            ["docker", "exec", container, "id", "-u"], capture_output=True, text=True, check=True
        ).stdout.strip()
        assert user != "0"
    finally:
        subprocess.run(["docker", "rm", "-f", container], capture_output=True, check=False)
        subprocess.run(["docker", "rmi", tag], capture_output=True, check=False)
