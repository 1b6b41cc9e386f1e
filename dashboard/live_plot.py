"""The dashboard's figure as a Streamlit custom component (v2) that stays mounted.

Streamlit glue only: the data come from rnnviz/live.py, the drawing from static/live_plot.js.
Mounted with a fixed key, the component keeps its DOM and its plotly.js plots for the life of
the page; each rerun hands it new data and it updates in place (st.plotly_chart remounted the
whole chart on every change, losing the animation, issue 7).

plotly.js (4.8 MB) is served once by Streamlit's static file serving from ./static, copied
there from the installed plotly package, and cached by the browser; each component's own
inline JavaScript is two lines that hand static/loader.js the file names and versions it
loads (plotly.js, the CSS, static/live_plot.js or map_plot.js and their modules). Parts of the data
(the view, the run) are sent only when they change, tracked per session; a plot that lost
them (remounted) asks again with a "missing" trigger.
"""

import hashlib
import json
import re
import shutil
from importlib import metadata
from pathlib import Path

import plotly
import streamlit as st

import rnnviz

STATIC = Path(__file__).resolve().parents[1] / "static"
NAME = "rnnviz_live_plot"


def plotly_js():
    """The static file name of plotly.js the page loads: plotly.js's cartesian bundle when make
    fetched it for the version inside the plotly package (scatter and heatmap are all the page
    draws: 1.5 MB, evaluated in half the full bundle's time, issue 18), else the full bundle,
    copied from the plotly package when missing."""
    source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    cartesian = STATIC / f"plotly-cartesian-{bundled_version(source)}.min.js"
    if cartesian.exists():
        return cartesian.name
    name = f"plotly-{metadata.version('plotly')}.min.js"
    target = STATIC / name
    if not target.exists() or target.stat().st_size != source.stat().st_size:
        partial = target.with_suffix(".partial")
        shutil.copyfile(source, partial)
        partial.replace(target)  # atomic: a browser never reads half a file
    return name


def bundled_version(path):
    """The plotly.js version a bundle's header names ("plotly.js v4.1.1", or "plotly.js
    (cartesian - minified) v4.1.1"), or None."""
    with open(path, encoding="utf-8") as file:
        found = re.search(r"plotly\.js[^\n]*? v(\d+\.\d+\.\d+)", file.read(400))
    return found.group(1) if found else None


LOADER = "loader.js"  # loads plotly.js, the CSS and a module entry (static/loader.js)
ENTRY = "live_plot.js"  # the plot's module
MAP_ENTRY = "map_plot.js"  # the outcome maps' module
OFFLINE_SERVER = "offline_server.js"  # what the offline HTML answers in the server's place
STYLE = "live_plot.css"
# A relative import between the modules, as static/loader.js links it: a line
# `import ... from "./name.js"` (or export ... from).
IMPORT = re.compile(r'^\s*(?:import|export)\b[^"\n]*\bfrom\s*"\./([\w-]+\.js)"', re.M)


def modules(*entries):
    """{file name: text} of the entry modules under static/ and of every module they import."""
    found = {}
    waiting = list(entries)
    while waiting:
        name = waiting.pop()
        if name not in found:
            found[name] = (STATIC / name).read_text(encoding="utf-8")
            waiting += IMPORT.findall(found[name])
    return found


def assets():
    """(plotly.js, {file name: text} of the loader, the plot's modules and the offline page's
    server, the CSS) as text, for the offline HTML export."""
    plotly_text = (STATIC / plotly_js()).read_text(encoding="utf-8")
    return (
        plotly_text,
        modules(LOADER, ENTRY, OFFLINE_SERVER),
        (STATIC / STYLE).read_text(encoding="utf-8"),
    )


def map_script():
    """{file name: text} of the maps' module and what it imports, for the offline HTML export."""
    return modules(MAP_ENTRY)


def _version(path):
    return hashlib.blake2b(path.read_bytes(), digest_size=6).hexdigest()


def _component_js(export, entry):
    """A component's whole inline module: static/loader.js's export(config, entry) as its
    default, where config names plotly.js's file and each served file's version (a hash of its
    bytes, so the browser fetches a changed file anew rather than keep a stale copy)."""
    served = [path for path in STATIC.glob("*.js") if not path.name.startswith("plotly-")]
    versions = {path.name: _version(path) for path in sorted([*served, STATIC / STYLE])}
    config = json.dumps({"plotly": plotly_js(), "versions": versions}, sort_keys=True)
    loader = json.dumps(f"app/static/{LOADER}?v={versions[LOADER]}")
    # Streamlit imports this text from a blob URL, against which no relative URL resolves:
    # the loader's URL is made from the page's own base (served at app/static/).
    return (
        f"const loader = await import(new URL({loader}, document.baseURI).href);\n"
        f"export default loader.{export}({config}, {json.dumps(entry)});\n"
    )


# Registered once, at import; the mount below re-registers it on whichever runtime runs the
# script (AppTest makes one per test). isolate_styles=False: in a shadow root plotly.js cannot
# see the styles it puts in the document head (modebar, hover labels, dragging all break).
COMPONENT = st.components.v2.component(
    NAME, js=_component_js("component", ENTRY), isolate_styles=False
)
PRELOADER = st.components.v2.component(
    NAME + "_preload", js=_component_js("preload", ENTRY), isolate_styles=False
)
MAPS = st.components.v2.component(
    NAME + "_maps", js=_component_js("component", MAP_ENTRY), isolate_styles=False
)


def preload():
    """Start loading plotly.js and the plot's code now; call it as early in the page as can be."""
    PRELOADER(key=f"{NAME}_preload", height=0)


def _changed_parts(key, parts):
    """{name: {"id", "value" only if this session has not been sent it}} for parts {name: (id,
    value)}, and a callback that forgets what was sent (a remounted plot asks again)."""
    sent_key = f"{key}:sent"
    sent = st.session_state.setdefault(sent_key, {})
    out = {}
    for name, (part_id, value) in parts.items():
        out[name] = {"id": part_id}
        if sent.get(name) != part_id:
            out[name]["value"] = value
            sent[name] = part_id

    def forget_sent():
        st.session_state[sent_key] = {}

    return out, forget_sent


def _click_callback(key, on_click, trigger="click"):
    def clicked():
        click = getattr(st.session_state[key], trigger)
        if on_click is not None and isinstance(click, dict):
            on_click(click.get("panel"), click.get("x"), click.get("y"))

    return clicked


def live_plot(
    key,
    parts,
    on_click=None,
    on_key=None,
    start_frame=None,
    present=False,
    on_pin=None,
    export_name=None,
    stage=None,
    on_set=None,
    on_story=None,
):
    """Mount (or update) the plot. parts: {name: (id, value)}; on_click(panel, x, y), and
    on_pin(panel, x, y) for a click with Shift;
    on_key(digit) for the digits 1 to 9 pressed over the page; start_frame: the iteration
    to show first (a link's ?frame=); present: sized for a projector; export_name: what the
    PNG button names its file; stage: the story and the knobs the figure shows in presenter
    mode and fullscreen (dashboard/stage.py), on_set(key, value) when a knob is released and
    on_story(step) for its story arrows (-1, +1)."""
    sent, forget_sent = _changed_parts(key, parts)
    data = {"parts": sent, "present": bool(present)}
    if export_name:  # the PNG and SVG buttons name their files after the settings
        data["export_name"] = str(export_name)
    data["version"] = rnnviz.__version__  # and write it inside them
    if start_frame is not None:
        data["start_frame"] = int(start_frame)
    if stage is not None:
        data["stage"] = stage

    def knob_set():
        setting = st.session_state[key].set
        if on_set is not None and isinstance(setting, dict) and isinstance(setting.get("key"), str):
            on_set(setting["key"], setting.get("value"))

    def story_stepped():
        step = st.session_state[key].story
        if on_story is not None and step in (-1, 1):
            on_story(step)

    def pressed():
        digit = st.session_state[key].key
        if on_key is not None and isinstance(digit, str) and digit.isdigit():
            on_key(int(digit))

    return COMPONENT(
        key=key,
        data=data,
        on_missing_change=forget_sent,
        on_click_change=_click_callback(key, on_click),
        on_pin_change=_click_callback(key, on_pin, "pin"),
        on_key_change=pressed,
        on_set_change=knob_set,
        on_story_change=story_stepped,
        width="stretch",
        height="content",
    )


def map_plot(key, parts, on_click=None):
    """Mount (or update) the outcome maps. parts: {map name: (id, value), "marks": (id, value),
    "hover": (id, value)} from rnnviz/map_panels.py and dashboard/maps.py; on_click(panel, x, y)
    for a click on a cell."""
    sent, forget_sent = _changed_parts(key, parts)
    return MAPS(
        key=key,
        data={"parts": sent},
        on_missing_change=forget_sent,
        on_click_change=_click_callback(key, on_click),
        width="stretch",
        height="content",
    )
