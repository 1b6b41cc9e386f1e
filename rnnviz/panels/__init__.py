"""The plot's panels, each a module that builds its view and its layer of a run.

surface: the cost picture and the path; gradient: dE/dS_k through time; run_chart: cost and
steps per iteration. rnnviz/live.py assembles them into the parts the page sends; the outcome
maps are a panel of their own in rnnviz/map_panels.py.
"""
