"""rnnviz: why recurrent networks are hard to train, seen on a one-unit linear RNN.

The model S_k = x_k w_x + S_{k-1} w_rec counts the ones in binary sequences (Peter Roelants'
tutorial). Everything here is plain numpy and never imports Streamlit:

    X, t = make_dataset()                        # 20 sequences of length 10, seed 1
    run = train(X, t, rprop())                   # the tutorial's Rprop, 500 iterations
    run.weights[-1]                              # -> (1.00136, 0.99967)
    C = cost_surface(X, t, wx_values, wrec_values)
    gradient_through_time(X, t, w_x, w_rec)      # dE/dS_k: exploding or vanishing
"""

__version__ = "0.1.0"  # as pyproject.toml says (a test keeps them equal)

from rnnviz.data import make_dataset, parse_sequence
from rnnviz.model import (
    GradientThroughTime,
    backpropagate,
    backward_gradient,
    cost,
    cost_and_gradient,
    final_state_gradient,
    final_state_gradient_polynomial,
    forward_states,
    gradient_through_time,
    make_objective,
    output_gradient,
)
from rnnviz.optim import (
    OPTIMIZERS,
    RPROP_VARIANTS,
    Optimizer,
    adam,
    clip_by_global_norm,
    make_optimizer,
    momentum,
    rmsprop,
    rprop,
    sgd,
)
from rnnviz.surface import cost_surface, valley_floor
from rnnviz.train import RunSettings, Trajectory, run, train

__all__ = [
    "OPTIMIZERS",
    "RPROP_VARIANTS",
    "GradientThroughTime",
    "Optimizer",
    "RunSettings",
    "Trajectory",
    "__version__",
    "adam",
    "backpropagate",
    "backward_gradient",
    "clip_by_global_norm",
    "cost",
    "cost_and_gradient",
    "cost_surface",
    "final_state_gradient",
    "final_state_gradient_polynomial",
    "forward_states",
    "gradient_through_time",
    "make_dataset",
    "make_objective",
    "make_optimizer",
    "momentum",
    "output_gradient",
    "parse_sequence",
    "rmsprop",
    "rprop",
    "run",
    "sgd",
    "train",
    "valley_floor",
]
