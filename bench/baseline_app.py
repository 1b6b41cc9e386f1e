"""The floor for page-load timing: a Streamlit page with one tiny chart that DRAWN_JS accepts.

It has what bench.browser waits for (an SVG, a layout image, a path of two points drawn as a
line) and nothing else, so the dashboard's load time can be read as a ratio to it.
"""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from rnnviz import surface_image

st.set_page_config(page_title="baseline", layout="wide")
image = surface_image.png_data_uri(
    surface_image.log_cost_rgb(np.ones((2, 2)), 0.0, 1.0, contours=False)
)
figure = go.Figure(
    go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="baseline path"),
    layout=dict(images=[dict(source=image, xref="x", yref="y", x=0, y=1, sizex=1, sizey=1)]),
)
st.plotly_chart(figure, theme=None)
