"""Exports a person can keep: the run as CSV or JSON, the animated figure as an HTML page."""

import csv
import html
import io
import json
from typing import NamedTuple

import numpy as np

from rnnviz.train import RunSettings, Trajectory

RUN_FORMAT = "rnnviz run"
RUN_FORMAT_VERSION = 1

CSV_COLUMNS = (
    "iteration",
    "w_x",
    "w_rec",
    "cost",
    "dE/dw_x",
    "dE/dw_rec",
    "step_size_x",
    "step_size_rec",
    "sign_flip_x",
    "sign_flip_rec",
)


def trajectory_csv(run, settings=None):
    """One row per iterate; step sizes and sign flips belong to the update leaving that iterate.

    settings ({name: value}) come first, one "# name=value" line each (pandas reads the rows
    with comment="#").
    """
    out = io.StringIO()
    for name, value in (settings or {}).items():
        out.write(f"# {name}={value}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for i, (w, cost, g) in enumerate(zip(run.weights, run.costs, run.gradients, strict=True)):
        leaving = i < len(run.sign_flips)
        steps = run.step_sizes[i] if run.step_sizes is not None and leaving else ("", "")
        flips = [int(f) for f in run.sign_flips[i]] if leaving else ("", "")
        writer.writerow([i, *(repr(float(v)) for v in (*w, cost, *g)), *steps, *flips])
    return out.getvalue()


def live_html(
    parts,
    plotly_js,
    modules,
    style,
    title="rnnviz",
    caption="",
    settings="",
    maps=None,
    map_js=None,
    lecture=None,
):
    """A standalone page that mounts the page's own plot code on the page's own data.

    title: its heading; caption: what the run shows (a story's caption), a paragraph under it
    when given; settings: the run's settings, a line of small print. Opened with ?frame=N in
    its URL (file:///...html?frame=76), the plot starts at iteration N, as the page does.
    parts: {name: value} as the live plot receives them (rnnviz.live); plotly_js, style: the
    text of plotly.min.js and the plot's CSS; modules: {file name: text} of static/loader.js,
    static/live_plot.js and every module it imports. maps: {name: value} as the map component
    receives them (rnnviz.map_panels), with map_js {file name: text} of static/map_plot.js and
    its imports, when the page shows the maps. Everything is inline, so the file plays offline
    exactly as the page does: the modules, kept as JSON text, are linked by the loader's own
    linker, each imported from a blob with its `from "./x.js"` pointed at x's blob.

    lecture: the scenes a lecture goes through with no server (dashboard/lecture.py: the run
    on the page and the stories, each with its parts by id, stage and words); the page then
    shows the stage, its arrows and keys 1 to 7 switch scenes, and what a knob, a dragged
    start or a map's cell sets is trained in the page (static/preview.js). parts are then the
    first scene's, taken from the lecture's table.
    """
    data = {
        "parts": _parts(parts),
        "help": "Keys: Space plays and pauses · ← → one iteration (with Shift, ten) · Home, End"
        + (" · 1 to 7: the stories" if lecture else ""),
    }
    if lecture:
        first = lecture["scenes"][lecture["at"]]
        data["parts"] = {name: {"id": part_id} for name, part_id in first["parts"].items()}
        data["lecture"] = lecture
    if maps and not map_js:
        raise ValueError("the maps need their modules (map_js) to be drawn")
    map_data = {"parts": _parts(maps)} if maps else None
    return _LIVE_PAGE.format(
        title=html.escape(title),
        caption=f'<p class="caption">{html.escape(caption)}</p>\n' if caption or lecture else "",
        offline=_OFFLINE if lecture else "",
        settings=html.escape(settings),
        style=style,
        plotly=_inline_script(plotly_js),
        data=_inline_json(data),
        modules=_inline_json(dict(modules)),
        maps=_MAPS_SECTION.format(data=_inline_json(map_data), modules=_inline_json(dict(map_js)))
        if maps
        else "",
    )


def _parts(values):
    return {name: {"id": name, "value": value} for name, value in values.items()}


def _inline_json(value):
    """JSON inside a <script> element: "<" as \\u003c, still the same JSON, so no text in
    it can end the element."""
    return json.dumps(value, allow_nan=False, separators=(",", ":")).replace("<", "\\u003c")


def _inline_script(text):
    """JavaScript safe inside a <script> element: "</script" would end the element early.

    In a JS string or regex "<\\/script" means the same; plotly.js has none today, and the
    test keeps it so.
    """
    return text.replace("</script", "<\\/script")


_LIVE_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body {{ margin: 16px 24px; }} h1 {{ font: 600 20px system-ui, sans-serif; }}
h2 {{ font: 600 17px system-ui, sans-serif; margin-top: 24px; }}
.caption {{ font: 15px system-ui, sans-serif; max-width: 72em; }}
.settings, .offline {{ font: 13px system-ui, sans-serif; color: #555; }}
{style}</style>
<script>{plotly}</script>
</head>
<body>
<h1>{title}</h1>
{caption}<p class="settings">{settings}</p>{offline}
<div id="plot"></div>
<script type="application/json" id="plot-data">{data}</script>
<script type="application/json" id="plot-modules">{modules}</script>
{maps}
<script type="module">
const json = (id) => JSON.parse(document.getElementById(id).textContent);
const modules = json("plot-modules");
const maps = document.getElementById("maps");
if (maps) Object.assign(modules, json("map-modules"));
// the loader from a blob; its linker imports every other module from a blob of its own
const loader = new Blob([modules["loader.js"]], {{ type: "text/javascript" }});
const {{ linker }} = await import(URL.createObjectURL(loader));
const load = linker((name) => modules[name]);
const data = json("plot-data");
// ?frame=N in this file's own URL: the iteration shown first, as a link's is on the page
const frame = new URLSearchParams(location.search).get("frame");
if (/^\\d{{1,6}}$/.test(frame ?? "")) data.start_frame = Number(frame);
// no server: static/offline_server.js answers what it would (the lecture's stories)
const {{ mount }} = await load("live_plot.js");
const {{ offlineServer }} = await load("offline_server.js");
const noServer = offlineServer(mount, document.getElementById("plot"), data);
if (maps) {{
  const {{ mount: mountMaps }} = await load("map_plot.js");
  mountMaps({{ ...noServer, parentElement: maps, data: json("map-data") }});
}}
</script>
</body>
</html>
"""

_OFFLINE = """
<p class="offline">No server here: the stories (◀ ▶ or keys 1 to 7), the knobs above the
plot, dragging the start on the surface and a click on a map's cell work, each run trained in
this page as the server trains it; the data set, the sequence length, the surface's view and
resolution, the racers and the probes need the server (<code>make run</code>).</p>"""

_MAPS_SECTION = """<h2>Where each choice leads</h2>
<div id="maps"></div>
<script type="application/json" id="map-data">{data}</script>
<script type="application/json" id="map-modules">{modules}</script>"""


# --------------------------------------------------------------------------- the run as JSON


class RunFile(NamedTuple):
    """What a run's JSON holds: its settings, the page's controls, the data, every iterate,
    and its racers (Racers) if it was a race."""

    settings: RunSettings
    controls: dict
    X: np.ndarray
    t: np.ndarray
    run: Trajectory
    version: str
    racers: tuple = ()


class Racer(NamedTuple):
    """A racer in a run file: its text as the page writes it, its settings, its run."""

    text: str
    settings: RunSettings
    run: Trajectory


def run_json(run, settings, controls, X, t, version, racers=()):
    """The run as JSON: every setting and control, the data set, every iterate, the version,
    and each racer (Racer) run beside it with its own settings and iterates.

    Floats are written with Python's repr, which reads back to the same bits, so a loaded run
    can be compared with a recomputed one exactly. controls: {key: value} as the page had
    them (plain JSON values).
    """
    document = {
        "format": RUN_FORMAT,
        "format_version": RUN_FORMAT_VERSION,
        "rnnviz_version": version,
        "settings": _settings_document(settings),
        "controls": dict(controls),
        "data": {"X": np.asarray(X).tolist(), "t": np.asarray(t).tolist()},
        "run": _run_document(run),
        "racers": [
            {
                "racer": racer.text,
                "settings": _settings_document(racer.settings),
                "run": _run_document(racer.run),
            }
            for racer in racers
        ],
    }
    return json.dumps(document, allow_nan=False)


def _settings_document(settings):
    return settings._asdict() | {"hyperparameters": dict(settings.hyperparameters)}


def _run_document(run):
    return {
        "optimizer": run.optimizer,
        "weights": run.weights.tolist(),
        "costs": run.costs.tolist(),
        "gradients": run.gradients.tolist(),
        "step_sizes": None if run.step_sizes is None else run.step_sizes.tolist(),
        "sign_flips": run.sign_flips.astype(int).tolist(),
        "diverged_at": run.diverged_at,
        "divergence_reason": run.divergence_reason,
    }


def read_run_json(text):
    """A RunFile from run_json's text; ValueError in plain words for anything else."""
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError(f"not JSON ({error.msg if hasattr(error, 'msg') else error})") from None
    if not isinstance(document, dict) or document.get("format") != RUN_FORMAT:
        raise ValueError('not a run saved by rnnviz (no "format": "rnnviz run")')
    if document.get("format_version") != RUN_FORMAT_VERSION:
        raise ValueError(f"a run file of format version {document.get('format_version')!r}")
    part = "data"  # the part being read, to name in the message
    try:
        data = document["data"]
        X = np.array(data["X"], dtype=float)
        t = np.array(data["t"], dtype=float)
        part = "settings"
        settings = _read_settings(document["settings"])
        part = "run"
        run = _read_run(document["run"])
        racers = []
        for k, r in enumerate(document.get("racers", []), 1):  # files before races have none
            part = f"racer {k}"
            racer = Racer(str(r["racer"]), _read_settings(r["settings"]), _read_run(r["run"]))
            racers.append(racer)
    except KeyError as error:
        missing = f"{part}: no {error}"
        raise ValueError(f"a run file with a missing or malformed part ({missing})") from None
    except (TypeError, ValueError, AttributeError):  # numpy's and Python's words are not ours
        raise ValueError(f"a run file with a missing or malformed part ({part})") from None
    racers = tuple(racers)
    if X.ndim != 2 or t.shape != (X.shape[0],):
        raise ValueError("a run file whose data or iterates do not fit together")
    controls = document.get("controls", {})
    if not isinstance(controls, dict):
        raise ValueError('a run file whose "controls" are not a table of settings')
    return RunFile(
        settings,
        controls,
        X,
        t,
        run,
        str(document["rnnviz_version"]),
        racers,
    )


def _read_settings(s):
    return RunSettings.of(
        s["optimizer"], s["hyperparameters"], s["clip_norm"], s["w0"], s["iterations"]
    )


def _read_run(r):
    weights = np.array(r["weights"], dtype=float).reshape(-1, 2)
    k = max(len(weights) - 1, 0)
    run = Trajectory(
        weights,
        np.array(r["costs"], dtype=float),
        np.array(r["gradients"], dtype=float).reshape(-1, 2),
        None if r["step_sizes"] is None else np.array(r["step_sizes"], float).reshape(k, 2),
        np.array(r["sign_flips"], dtype=bool).reshape(k, 2),
        str(r["optimizer"]),
        None if r["diverged_at"] is None else int(r["diverged_at"]),
        str(r["divergence_reason"]),
    )
    if len(run.costs) != len(weights):
        raise ValueError("costs and weights of different lengths")
    return run


def same_run(a, b):
    """Whether two Trajectories are the same run, bit for bit (NaN nowhere: runs are finite)."""
    arrays = ("weights", "costs", "gradients", "sign_flips")
    if any(not np.array_equal(getattr(a, f), getattr(b, f)) for f in arrays):
        return False
    if (a.step_sizes is None) != (b.step_sizes is None):
        return False
    if a.step_sizes is not None and not np.array_equal(a.step_sizes, b.step_sizes):
        return False
    return (a.optimizer, a.diverged_at) == (b.optimizer, b.diverged_at)
