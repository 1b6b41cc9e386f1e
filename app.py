"""rnnviz dashboard (placeholder until the dashboard issue lands)."""

import streamlit as st

from rnnviz import make_dataset, rprop, train

st.set_page_config(page_title="rnnviz", layout="wide")
st.title("rnnviz: why recurrent networks are hard to train")
run = train(*make_dataset(), rprop())
st.write("Tutorial Rprop ends at", tuple(round(float(w), 4) for w in run.weights[-1]))
