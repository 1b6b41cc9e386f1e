"""Exports a person can keep: the run as CSV, the animated figure as a self-contained HTML page."""

import csv
import html
import io
import json

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


def live_html(parts, plotly_js, module_js, style, title="rnnviz", caption=""):
    """A standalone page that mounts the page's own plot code on the page's own data.

    parts: {name: value} as the live plot receives them (rnnviz.live); plotly_js, module_js,
    style: the text of plotly.min.js, the plot's module and its CSS. Everything is inline,
    so the file plays offline exactly as the page does; the module is imported from a blob.
    """
    data = {
        "parts": {name: {"id": name, "value": value} for name, value in parts.items()},
        "help": "Keys: Space plays and pauses · ← → one iteration (with Shift, ten) · Home, End",
    }
    return _LIVE_PAGE.format(
        title=html.escape(title),
        caption=html.escape(caption),
        style=style,
        plotly=_inline_script(plotly_js),
        # "<" as \u003c: still the same JSON, and no text in it can end the element
        data=json.dumps(data, allow_nan=False, separators=(",", ":")).replace("<", "\\u003c"),
        module=_inline_script(module_js),
    )


def _inline_script(text):
    """JavaScript safe inside a <script> element: "</script" would end the element early.

    In a JS string or regex "<\\/script" means the same; plotly.js and the module have none
    today, and the test keeps it so.
    """
    return text.replace("</script", "<\\/script")


_LIVE_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body {{ margin: 16px 24px; }} h1 {{ font: 600 20px system-ui, sans-serif; }}
.settings {{ font: 13px system-ui, sans-serif; color: #555; }}
{style}</style>
<script>{plotly}</script>
</head>
<body>
<h1>{title}</h1>
<p class="settings">{caption}</p>
<div id="plot"></div>
<script type="application/json" id="plot-data">{data}</script>
<script type="text/plain" id="plot-module">{module}</script>
<script type="module">
const source = document.getElementById("plot-module").textContent;
const url = URL.createObjectURL(new Blob([source], {{ type: "text/javascript" }}));
const {{ mount }} = await import(url);
mount({{
  parentElement: document.getElementById("plot"),
  data: JSON.parse(document.getElementById("plot-data").textContent),
  setTriggerValue() {{}},  // no server here: clicks have nowhere to go
  setStateValue() {{}},
}});
</script>
</body>
</html>
"""
