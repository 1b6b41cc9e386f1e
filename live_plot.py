"""The dashboard's figure as a Streamlit custom component (v2) that stays mounted.

Streamlit glue only: the data come from rnnviz/live.py, the drawing from static/live_plot.js.
Mounted with a fixed key, the component keeps its DOM and its plotly.js plots for the life of
the page; each rerun hands it new data and it updates in place (st.plotly_chart remounted the
whole chart on every change, losing the animation, issue 7).

plotly.js (4.8 MB) is served once by Streamlit's static file serving from ./static, copied
there from the installed plotly package, and cached by the browser; the component's own
inline JavaScript is a few lines that load it and static/live_plot.js. Parts of the data
(the view, the run) are sent only when they change, tracked per session; a plot that lost
them (remounted) asks again with a "missing" trigger.
"""

import hashlib
import shutil
from importlib import metadata
from pathlib import Path

import plotly
import streamlit as st

import rnnviz

STATIC = Path(__file__).resolve().parent / "static"
NAME = "rnnviz_live_plot"


def plotly_js():
    """The static file name of plotly.js, copied from the plotly package when missing."""
    source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    name = f"plotly-{metadata.version('plotly')}.min.js"
    target = STATIC / name
    if not target.exists() or target.stat().st_size != source.stat().st_size:
        partial = target.with_suffix(".partial")
        shutil.copyfile(source, partial)
        partial.replace(target)  # atomic: a browser never reads half a file
    return name


def assets():
    """(plotly.js, the plot's module, its CSS) as text, for the offline HTML export."""
    plotly_text = (STATIC / plotly_js()).read_text(encoding="utf-8")
    script = (STATIC / "live_plot.js").read_text(encoding="utf-8")
    return plotly_text, script, (STATIC / "live_plot.css").read_text(encoding="utf-8")


def map_script():
    """The maps' module as text, for the offline HTML export."""
    return (STATIC / "map_plot.js").read_text(encoding="utf-8")


def _version(path):
    return hashlib.blake2b(path.read_bytes(), digest_size=6).hexdigest()


def _assets_js():
    """Functions that load the plot's assets once per document (shared by both components)."""
    script = STATIC / "live_plot.js"
    style = STATIC / "live_plot.css"
    return f"""
const base = new URL("app/static/", document.baseURI);
function once(tag, attributes) {{
  // One element per document: plotly.js is a UMD bundle that defines window.Plotly.
  const id = attributes.id;
  let element = document.getElementById(id);
  if (!element) {{
    element = Object.assign(document.createElement(tag), attributes);
    document.head.appendChild(element);
  }}
  return element;
}}
function plotlyReady() {{
  if (window.Plotly) return Promise.resolve();
  const script = once("script", {{id: "rnnviz-plotly", src: new URL("{plotly_js()}", base).href}});
  return new Promise((resolve, reject) => {{
    script.addEventListener("load", resolve, {{once: true}});
    const failed = () => reject(new Error("plotly.js did not load"));
    script.addEventListener("error", failed, {{once: true}});
    if (window.Plotly) resolve();
  }});
}}
function styled() {{
  once("link", {{id: "rnnviz-live-plot-css", rel: "stylesheet",
    href: new URL("live_plot.css?v={_version(style)}", base).href}});
}}
const moduleUrl = new URL("live_plot.js?v={_version(script)}", base).href;
const mapModuleUrl = new URL("map_plot.js?v={_version(STATIC / "map_plot.js")}", base).href;
"""


def _loader(module="moduleUrl"):
    """A component's inline module: load plotly.js and its own module once, then mount.

    module: the JavaScript name of the module's URL (moduleUrl: the plot; mapModuleUrl: the
    outcome maps)."""
    return (
        _assets_js()
        + f"""
export default async function (component) {{
  styled();
  const [{{ mount }}] = await Promise.all([import({module}), plotlyReady()]);
  return mount(component);
}}
"""
    )


def _preloader():
    """A component with nothing to show that starts loading the plot's assets.

    Mounted first in the sidebar, it starts plotly.js (4.8 MB to parse) while Streamlit is
    still drawing the page's widgets: the plot's own mount comes some 500 ms later (issue 7).
    """
    return (
        _assets_js()
        + """
export default function () {
  styled();
  plotlyReady().catch(() => {});  // the plot itself reports a failure to load
  import(moduleUrl).catch(() => {});
}
"""
    )


# Registered once, at import; the mount below re-registers it on whichever runtime runs the
# script (AppTest makes one per test). isolate_styles=False: in a shadow root plotly.js cannot
# see the styles it puts in the document head (modebar, hover labels, dragging all break).
COMPONENT = st.components.v2.component(NAME, js=_loader(), isolate_styles=False)
PRELOADER = st.components.v2.component(NAME + "_preload", js=_preloader(), isolate_styles=False)
MAPS = st.components.v2.component(NAME + "_maps", js=_loader("mapModuleUrl"), isolate_styles=False)


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
):
    """Mount (or update) the plot. parts: {name: (id, value)}; on_click(panel, x, y), and
    on_pin(panel, x, y) for a click with Shift;
    on_key(digit) for the digits 1 to 9 pressed over the page; start_frame: the iteration
    to show first (a link's ?frame=); present: sized for a projector; export_name: what the
    PNG button names its file."""
    sent, forget_sent = _changed_parts(key, parts)
    data = {"parts": sent, "present": bool(present)}
    if export_name:  # the PNG and SVG buttons name their files after the settings
        data["export_name"] = str(export_name)
    data["version"] = rnnviz.__version__  # and write it inside them
    if start_frame is not None:
        data["start_frame"] = int(start_frame)

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
        width="stretch",
        height="content",
    )


def map_plot(key, parts, on_click=None):
    """Mount (or update) the outcome maps. parts: {"maps": (id, value), "marks": (id, value)}
    from rnnviz/map_panels.py; on_click(panel, x, y) for a click on a cell."""
    sent, forget_sent = _changed_parts(key, parts)
    return MAPS(
        key=key,
        data={"parts": sent},
        on_missing_change=forget_sent,
        on_click_change=_click_callback(key, on_click),
        width="stretch",
        height="content",
    )
