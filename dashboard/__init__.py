"""The page's Streamlit side: widgets drawn from rnnviz.specs, the cached computation, the
stories and the URL, the maps, the exports and the plot's component. app.py reads as the
page's table of contents and calls these; the maths stays in rnnviz/, which never imports
Streamlit.
"""
