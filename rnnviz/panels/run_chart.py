"""The run chart: cost and step sizes per iteration, and the current iteration's line."""

from rnnviz import palette
from rnnviz.parts import MAIN, axis, base_layout, finite_list, log_axis_range


def view(present=False):
    """The run chart's axes: {"traces", "layout"}."""
    run_layout = base_layout(
        present,
        xaxis=axis("iteration", present, zeroline=False),
        yaxis=axis("", present, type="log", exponentformat="power"),
    )
    return {"traces": [], "layout": run_layout}


def run(run, steps, step_name, runner=MAIN):
    """(traces, moving, layout) of one run: its costs and steps (k, 2) named step_name.

    The main run's cost is a black line with each weight's step beside it and the current
    iteration's line; a racer's (runner) is its cost alone, in its colour and dash."""
    count = len(run.weights)
    ends = [run.costs[0], run.costs[-1], *steps[:1].ravel(), *steps[-1:].ravel()]
    run_range = log_axis_range(run.costs, *steps.T, keep_visible=ends)
    cost = dict(
        type="scatter",
        uid=runner.name("cost"),
        name="cost",
        x0=0,
        dx=1,
        y={"series": runner.name("cost")},
        mode="lines",
        line=dict(color=palette.INK),
    )
    layout = {
        "xaxis": {"range": [0, max(count - 1, 1)]},
        "yaxis": {"range": finite_list(run_range)},
    }
    if not runner.main:
        cost["name"] = f"{runner.label}: cost"
        cost["line"] = dict(color=runner.colour, width=1.5, dash=runner.dash)
        return [cost], [], layout
    run_traces = [cost]
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
    run_traces.append(current_iteration(run_range))
    moving = [{"panel": "run", "trace": "current-iteration", "x": "iteration"}]
    return run_traces, moving, layout


def current_iteration(log_range):
    """The current iteration's line, spanning log_range ([lo, hi] in decades) of the chart."""
    return dict(
        type="scatter",
        uid="current-iteration",
        name="current iteration",
        y=[10.0 ** log_range[0], 10.0 ** log_range[1]],
        mode="lines",
        line=dict(color=palette.ALERT, width=1.5),
        showlegend=False,
        hoverinfo="skip",
    )
