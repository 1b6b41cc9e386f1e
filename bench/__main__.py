"""`make bench` / `python -m bench`: every performance figure in one run, written to RESULTS.md."""

import datetime
import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from bench import animation, app, core, maps
from bench.core import print_rows, target_met

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def machine():
    """A few lines that say what these numbers were measured on."""
    cpu = next(
        (line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo") if "model name" in line),
        platform.processor() or "unknown",
    )
    kib = next((line.split()[1] for line in _read("/proc/meminfo") if "MemTotal" in line), "0")
    versions = ", ".join(
        f"{name} {metadata.version(name)}" for name in ("numpy", "plotly", "streamlit")
    )
    chromium = _chromium_version()
    return [
        f"- Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"- CPU: {cpu}, {os.cpu_count()} cores; memory {int(kib) / 1024**2:.0f} GiB",
        f"- {platform.platform()}; Python {platform.python_version()}; {versions}",
        f"- Browser: {chromium}",
    ]


def _read(path):
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def _chromium_version():
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not Path(path).exists():
        return "not installed"
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    return out.stdout.strip() or path


def main():
    rows = core.measure() + maps.measure() + animation.measure() + app.measure()
    rows += app.measure(moves=4, query={"iterations": "2000"}) + app.measure_race()
    try:
        from bench import browser

        rows += browser.measure()
    except Exception as error:  # the report says what could not be measured, and why
        rows.append(("browser measurements", float("nan"), None, f"not run: {error}"))
    print_rows(rows)
    lines = [
        "# Performance report",
        "",
        "Made by `make bench` (`python -m bench`). Every ratio compares two timings taken in "
        "the same process, alternating, best of several runs; the machine is shared, so "
        "absolute times vary from run to run while the ratios hold.",
        "",
        *machine(),
        "",
        "| measure | value | target | met? | how |",
        "|---|---:|---|---|---|",
        *(
            f"| {name} | {value:.4g} | {target or ''} | {target_met(value, target)} | {detail} |"
            for name, value, target, detail in rows
        ),
        "",
    ]
    RESULTS.write_text("\n".join(lines))
    print(f"written to {RESULTS}", file=sys.stderr)


if __name__ == "__main__":
    main()
