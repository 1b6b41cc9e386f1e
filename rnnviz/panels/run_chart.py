"""The run chart: cost and step sizes per iteration, and the current iteration's line."""

from rnnviz import palette
from rnnviz.parts import axis, base_layout, finite_list, log_axis_range


def view(present=False):
    """The run chart's axes: {"traces", "layout"}."""
    run_layout = base_layout(
        present,
        xaxis=axis("iteration", present, zeroline=False),
        yaxis=axis("", present, type="log", exponentformat="power"),
    )
    return {"traces": [], "layout": run_layout}


def run(run, steps, step_name):
    """(traces, moving, layout) of one run: its costs and steps (k, 2) named step_name."""
    count = len(run.weights)
    ends = [run.costs[0], run.costs[-1], *steps[:1].ravel(), *steps[-1:].ravel()]
    run_range = log_axis_range(run.costs, *steps.T, keep_visible=ends)
    run_traces = [
        dict(
            type="scatter",
            uid="cost",
            name="cost",
            x0=0,
            dx=1,
            y={"series": "cost"},
            mode="lines",
            line=dict(color=palette.INK),
        )
    ]
    if count > 1:  # the step leaving iterate i is drawn at iteration i
        for weight, colour in palette.WEIGHT_COLOURS.items():
            run_traces.append(
                dict(
                    type="scatter",
                    uid=f"step-{weight}",
                    name=f"{step_name}<sub>{weight}</sub>",
                    x0=0,
                    dx=1,
                    y={"series": f"step_{weight}"},
                    mode="lines",
                    line=dict(color=colour, width=1.2),
                )
            )
    run_traces.append(
        dict(
            type="scatter",
            uid="current-iteration",
            name="current iteration",
            y=[10.0 ** run_range[0], 10.0 ** run_range[1]],
            mode="lines",
            line=dict(color=palette.ALERT, width=1.5),
            showlegend=False,
            hoverinfo="skip",
        )
    )
    moving = [{"panel": "run", "trace": "current-iteration", "x": "iteration"}]
    layout = {
        "xaxis": {"range": [0, max(count - 1, 1)]},
        "yaxis": {"range": finite_list(run_range)},
    }
    return run_traces, moving, layout
