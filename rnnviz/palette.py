"""One palette for every picture rnnviz draws: the page's panels, the maps, the animations
and the plot's CSS (static/live_plot.css reads these as CSS custom properties).

Colours are "#rrggbb" (rgb() turns one into a tuple for Pillow); a marker is a plotly.js
symbol name, which the animations draw by the same name.
"""

import plotly.colors

# The surface picture and its colour bar: viridis, dark for low cost.
SURFACE_COLORSCALE = [
    [i / (len(plotly.colors.sequential.Viridis) - 1), colour]
    for i, colour in enumerate(plotly.colors.sequential.Viridis)
]
OVERFLOW = "#ececec"  # cost beyond float64: a light grey, named in the caption

# The main run on the surface.
STEP_COLORSCALE = [[0.0, "#ffffff"], [0.5, "#ffb000"], [1.0, "#ff2d55"]]  # short to long steps
CURRENT = "#00e5ff"  # the current iterate: a cyan used nowhere else ("you are here")
CURRENT_MARKER = "hexagram"
ALERT = "#ff2d55"  # the current iteration's line, arrows to the view's edge
# Sign-flip crosses: a periwinkle the step colours (white to orange to red) never take, far
# from the cyan and the racers' colours (tests/test_live.py measures the distances).
FLIP = "#8c9eff"
END = "#ffd700"  # the gold end star
MAIN_PATH = "white"  # the main run's path and start on the surface
MAIN_PATH_FAINT = "rgba(255,255,255,0.6)"  # ... outside presenter mode, the surface showing through
MAIN_LINE = "#0b2545"  # the main run where white would not show (charts on white, outlines)
VALLEY = "rgba(255,255,255,0.85)"  # the valley floor, dotted over the surface

# Racers: colours that read on viridis and on white (not orange or red: the main path's
# steps run white to orange to red), each with a shape of its own (never colour alone); their
# cost lines dashed (the black racer's would read as the main run's black line).
RACER_STYLES = (
    ("#ff4dd2", "square"),
    ("#111111", "diamond"),
    ("#7fff00", "triangle-up"),
)
RACER_DASHES = ("dash", "dot", "dashdot")

# The gradient through time.
SIGN_COLORSCALE = [[0.0, "#d62728"], [1.0, "#1f77b4"]]  # red: dE/dS_k < 0, blue: > 0
# ... and by shape (never colour alone): the main run's dE/dS_k < 0 and > 0; a racer keeps its
# own shape, filled for > 0 and open ("-open") for < 0
SIGN_SYMBOLS = ("triangle-down", "triangle-up")
PROBE_COLOURS = ("#d62728", "#1f77b4", "#e377c2", "#17becf", "#2ca02c", "#bcbd22")
WEIGHT_COLOURS = {"x": "#ff7f0e", "rec": "#9467bd"}  # the run chart's step per weight

# Text and lines on white.
INK = "#222222"
INK_SOFT = "#444444"  # the gradient's own line, the beyond-the-axis marks
INK_FAINT = "#555555"  # the pointer's row, notes' text
GUIDE = "#888888"  # dashed guides: the shape |w_rec|^(T-k)
GRID = "#c8c8c8"

# The outcome maps.
DIVERGED = "#9e9e9e"  # a map's diverged cells: grey, never coloured as a cost
UNREACHED = "#f3e5f5"  # a map's cells that never reached the tolerance

# The page's chrome (static/live_plot.css).
CSS = {
    "text": "#262730",  # Streamlit's own text colour
    "border": "#c7c9d1",
    "button": "#fafafa",
    "button-hover": "#eef0f6",
    "focus": "#1f6feb",
    "notice": "#fff3cd",
    "notice-text": "#7a4f01",
    "legend-dark": "#2f3e55",  # the surface's legend box, over the dark picture
    "legend-dark-text": "#f3f4f8",
    "help": "#6b6f7b",
    "muted": INK_FAINT,
    "ink-soft": INK_SOFT,  # a legend swatch whose trace names no colour
    "accent": ALERT,
    # a run previewed while a knob moves (static/preview.js): cyan on the surface, as the
    # current iterate ("you are here"), dark ink on the white charts
    "preview": CURRENT,
    "preview-ink": MAIN_LINE,
}


def rgb(colour):
    """(r, g, b) of a "#rrggbb" colour."""
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


CSS_BEGIN = "/* palette: made by `python -m rnnviz.palette` from rnnviz/palette.py */\n"
CSS_END = "/* end of the palette */\n"


def css_variables():
    """The CSS custom properties static/live_plot.css reads: one --rnnviz-NAME per colour,
    between the markers that say where they came from."""
    lines = [f"  --rnnviz-{name}: {colour};" for name, colour in CSS.items()]
    return CSS_BEGIN + ":root {\n" + "\n".join(lines) + "\n}\n" + CSS_END


def with_css_variables(stylesheet):
    """stylesheet with its palette block written anew (or put first, if it has none)."""
    if CSS_BEGIN in stylesheet:
        before, _, rest = stylesheet.partition(CSS_BEGIN)
        after = rest.partition(CSS_END)[2]
        return before + css_variables() + after
    return css_variables() + stylesheet


if __name__ == "__main__":  # python -m rnnviz.palette: the plot's CSS takes the palette anew
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "static" / "live_plot.css"
    path.write_text(with_css_variables(path.read_text(encoding="utf-8")), encoding="utf-8")
