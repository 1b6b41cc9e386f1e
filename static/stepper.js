// The run of rnnviz.train.run(X, t, settings), taken in the browser to the last bit (issue 18).
// No DOM, no plotly.js: pure functions of plain values, like rnnviz/train.py and optim.py.
//
// Every number is the Python run's own: the same IEEE operations in the same order (JavaScript
// never fuses a*b+c, nor do numpy's ufuncs or Python's floats). So no Math.pow or ** (Adam's
// b^count is a running product), no sum but a left-to-right one, polynomials by Horner's rule.
//
// train(objective, settings) -> trajectory
//   objective: rnnviz.model.browser_objective(X, t), plain JSON:
//     {n, T, sums_horner: (2T-1) rows [A, A'/2, B, B'] * 2/n, highest power first,
//      samples_horner: n rows of T, each sample's P_i coefficients highest power first,
//      t: n targets}
//   settings: shaped like rnnviz.train.RunSettings:
//     {optimizer: "rprop" | "sgd" | "momentum" | "rmsprop" | "adam",
//      hyperparameters: {name: value} as optim.py's arguments (eta_p, eta_n, delta0, variant,
//        delta_min, delta_max; learning_rate, beta, decay, b1, b2, eps); missing or null: its
//        default there (delta_max may be Infinity),
//      clip_norm: null or the gradient-norm cap, w0: [w_x, w_rec], iterations: updates to take}
//   trajectory: the fields of rnnviz.train.Trajectory, rows flattened row-major:
//     {weights: Float64Array (kept*2), costs: Float64Array (kept), gradients: (kept*2),
//      step_sizes: Float64Array (k*2) for rprop or null, sign_flips: Uint8Array (k*2),
//      diverged_at: the first row not finite, or null,
//      divergence: null or {weights, cost, gradient} at that row (what Python's reason says)}
//   where kept = diverged_at ?? iterations + 1 rows are finite and k = max(kept - 1, 0).

const RPROP_VARIANTS = ["tutorial", "rprop+", "rprop-", "irprop+", "irprop-"];

// np.sign: +0 for either zero (Math.sign(-0) is -0), NaN for NaN.
const sign = (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : x);

// np.clip(x, lo, hi): x itself unless strictly outside (np.clip(-0.0, 0.0, h) is -0.0), NaN kept.
const clip = (x, lo, hi) => (x < lo ? lo : x > hi ? hi : x);

const given = (hyper, name, fallback) => (hyper[name] ?? fallback);

/** The objective with its Horner rows as flat arrays, and dP's coefficients worked out once. */
export function prepare(objective) {
  const { n, T } = objective;
  const sums = Float64Array.from(objective.sums_horner.flat());
  const P = new Float64Array(n * T);
  const dP = new Float64Array(n * T);
  objective.samples_horner.forEach((row, i) => {
    for (let k = 0; k < T; k++) {
      P[i * T + k] = row[k];
      // d/dr of x_{k-1} r^(T-k): make_objective's reversed_X[:, m] * m with m = T - k
      if (k > 0) dP[i * T + k] = row[k - 1] * (T - k);
    }
  });
  return { n, T, sums, P, dP, t: Float64Array.from(objective.t) };
}

/** rnnviz.model.gradient_from_sums for one pair: sums_at by Horner, then the two products. */
export function gradientFromSums(model, wx, wr) {
  const s = model.sums;
  let [A, halfDA, B, dB] = [s[0], s[1], s[2], s[3]];
  for (let j = 4; j < s.length; j += 4) {
    A = A * wr + s[j];
    halfDA = halfDA * wr + s[j + 1];
    B = B * wr + s[j + 2];
    dB = dB * wr + s[j + 3];
  }
  return [wx * A - B, wx * (wx * halfDA - dB)];
}

/** rnnviz.model.in_order_cost_and_gradient for one pair: [E, dE/dw_x, dE/dw_rec]. */
export function costAndGradient(model, wx, wr) {
  const { n, T, P: cP, dP: cdP, t } = model;
  let sumE = 0;
  let sumX = 0;
  let sumRec = 0;
  for (let i = 0; i < n; i++) {
    // S_k = x_k + S_{k-1} w_rec and its derivative in w_rec, from dP's top coefficient 0
    let p = cP[i * T];
    let dp = 0;
    for (let k = 1; k < T; k++) {
      p = p * wr + cP[i * T + k];
      dp = dp * wr + cdP[i * T + k];
    }
    const residual = wx * p - t[i]; // y_i - t_i
    // sums in sample order, from the first term itself (0 + -0 would be +0)
    const [e, x, rec] = [residual * residual, residual * p, residual * dp];
    sumE = i === 0 ? e : sumE + e;
    sumX = i === 0 ? x : sumX + x;
    sumRec = i === 0 ? rec : sumRec + rec;
  }
  return [sumE / n, sumX * (2 / n), sumRec * wx * (2 / n)];
}

/** rnnviz.optim.clip_by_global_norm for one gradient pair. */
export function clipByGlobalNorm(g, maxNorm) {
  const norm = Math.sqrt(g[0] * g[0] + g[1] * g[1]);
  if (!(norm > maxNorm)) return g;
  const scale = maxNorm / norm;
  return [g[0] * scale, g[1] * scale];
}

// Each optimiser as optim.py has it: init() -> state, update(g, state, cost) -> [updates, state],
// per weight j in 0 and 1; states are fresh objects, never changed in place.
function rprop(hyper) {
  const etaP = given(hyper, "eta_p", 1.2);
  const etaN = given(hyper, "eta_n", 0.5);
  const variant = given(hyper, "variant", "tutorial");
  if (!RPROP_VARIANTS.includes(variant)) throw new Error(`unknown Rprop variant ${variant}`);
  const textbook = variant !== "tutorial";
  const lo = given(hyper, "delta_min", textbook ? 1e-6 : 0);
  const hi = given(hyper, "delta_max", textbook ? 50 : Infinity);
  const delta0 = given(hyper, "delta0", 0.001);
  const init = () => ({ delta: [delta0, delta0], prevGrad: [0, 0], prevUpdate: [0, 0], prevCost: Infinity });

  function tutorial(g, state) {
    const s = [sign(g[0]), sign(g[1])];
    const delta = [0, 1].map((j) => state.delta[j] * (s[j] === state.prevGrad[j] ? etaP : etaN));
    const updates = [0, 1].map((j) => -s[j] * delta[j]);
    return [updates, { ...state, delta, prevGrad: s }];
  }

  function update(g, state, cost) {
    if (!textbook) return tutorial(g, state);
    const delta = [];
    const updates = [];
    const prevGrad = [];
    for (const j of [0, 1]) {
      const agreement = state.prevGrad[j] * g[j]; // > 0: same sign, < 0: flipped, 0: no memory
      const [same, flipped] = [agreement > 0, agreement < 0];
      delta[j] = clip(state.delta[j] * (same ? etaP : flipped ? etaN : 1.0), lo, hi);
      const step = -sign(g[j]) * delta[j];
      if (variant === "rprop-") {
        [updates[j], prevGrad[j]] = [step, g[j]];
        continue;
      }
      updates[j] = flipped ? 0.0 : step;
      prevGrad[j] = flipped ? 0.0 : g[j];
      if (variant === "rprop+" && flipped) updates[j] = -state.prevUpdate[j];
      if (variant === "irprop+" && flipped && (cost ?? -Infinity) > state.prevCost) {
        updates[j] = -state.prevUpdate[j];
      }
    }
    const prevCost = cost ?? state.prevCost;
    return [updates, { delta, prevGrad, prevUpdate: updates, prevCost }];
  }

  return { name: `rprop (${variant})`, init, update, needsCost: variant === "irprop+", rprop: true };
}

function sgd(hyper) {
  const lr = given(hyper, "learning_rate", 1e-3);
  return { init: () => ({}), update: (g, state) => [g.map((gj) => -lr * gj), state] };
}

function momentum(hyper) {
  const [lr, beta] = [given(hyper, "learning_rate", 1e-3), given(hyper, "beta", 0.9)];
  function update(g, state) {
    const m = [0, 1].map((j) => beta * state.m[j] + g[j]);
    return [m.map((mj) => -lr * mj), { m }];
  }
  return { init: () => ({ m: [0, 0] }), update };
}

function rmsprop(hyper) {
  const lr = given(hyper, "learning_rate", 1e-3);
  const [decay, eps] = [given(hyper, "decay", 0.9), given(hyper, "eps", 1e-8)];
  function update(g, state) {
    const v = [0, 1].map((j) => decay * state.v[j] + (1.0 - decay) * g[j] * g[j]);
    return [[0, 1].map((j) => (-lr * g[j]) / (Math.sqrt(v[j]) + eps)), { v }];
  }
  return { init: () => ({ v: [0, 0] }), update };
}

function adam(hyper) {
  const lr = given(hyper, "learning_rate", 1e-3);
  const [b1, b2, eps] = [given(hyper, "b1", 0.9), given(hyper, "b2", 0.999), given(hyper, "eps", 1e-8)];
  function update(g, state) {
    // b1^count and b2^count as running products, as optim.adam carries them
    const [b1Power, b2Power] = [state.b1Power * b1, state.b2Power * b2];
    const m = [0, 1].map((j) => b1 * state.m[j] + (1.0 - b1) * g[j]);
    const v = [0, 1].map((j) => b2 * state.v[j] + (1.0 - b2) * g[j] * g[j]);
    const updates = [0, 1].map((j) => {
      const [mHat, vHat] = [m[j] / (1.0 - b1Power), v[j] / (1.0 - b2Power)];
      return (-lr * mHat) / (Math.sqrt(vHat) + eps);
    });
    return [updates, { m, v, b1Power, b2Power }];
  }
  return { init: () => ({ m: [0, 0], v: [0, 0], b1Power: 1.0, b2Power: 1.0 }), update };
}

const OPTIMIZERS = { rprop, sgd, momentum, rmsprop, adam };

/** The optimiser called name with its hyper-parameters ({name: value}; defaults as optim.py). */
export function makeOptimizer(name, hyperparameters = {}) {
  if (!(name in OPTIMIZERS)) throw new Error(`unknown optimiser ${name}`);
  return { needsCost: false, rprop: false, ...OPTIMIZERS[name](hyperparameters) };
}

/** rnnviz.train.run: iterations updates from w0, recorded as a Trajectory (see the header). */
export function train(objective, settings) {
  const model = prepare(objective);
  const optimizer = makeOptimizer(settings.optimizer, settings.hyperparameters ?? {});
  const iterations = settings.iterations;
  const clipNorm = settings.clip_norm ?? null;
  const weights = new Float64Array((iterations + 1) * 2);
  const deltas = new Float64Array(iterations * 2);
  const costs = new Float64Array(iterations + 1);
  const gradients = new Float64Array((iterations + 1) * 2);
  const evaluated = new Uint8Array(iterations + 1); // rows whose cost the loop worked out
  let w = [settings.w0[0], settings.w0[1]];
  let state = optimizer.init();
  let steps = iterations;
  for (let i = 0; i < iterations; i++) {
    weights.set(w, 2 * i);
    // Steps use the fast sums; where those overflow, the per-sample form decides.
    let g = gradientFromSums(model, w[0], w[1]);
    let E = null;
    if (optimizer.needsCost || !Number.isFinite(g[0] + g[1])) {
      [E, ...g] = costAndGradient(model, w[0], w[1]);
      costs[i] = E;
      gradients.set(g, 2 * i);
      evaluated[i] = 1;
      if (!(Number.isFinite(E) && Number.isFinite(g[0]) && Number.isFinite(g[1]))) {
        steps = i; // no step from a point whose cost or gradient overflowed
        break;
      }
    }
    if (clipNorm !== null) g = clipByGlobalNorm(g, clipNorm);
    let updates;
    [updates, state] = optimizer.update(g, state, E);
    if (optimizer.rprop) deltas.set(state.delta, 2 * i);
    w = [w[0] + updates[0], w[1] + updates[1]];
  }
  weights.set(w, 2 * steps);
  // What the run records is the per-sample cost and gradient of every row.
  for (let i = 0; i <= steps; i++) {
    if (evaluated[i]) continue;
    const [E, gx, gRec] = costAndGradient(model, weights[2 * i], weights[2 * i + 1]);
    costs[i] = E;
    gradients.set([gx, gRec], 2 * i);
  }
  return recorded(weights, costs, gradients, optimizer.rprop ? deltas : null, steps);
}

/** The trajectory's rows up to the first that is not finite, train()'s `finite` and flips. */
function recorded(weights, costs, gradients, deltas, steps) {
  let divergedAt = null;
  for (let i = 0; i <= steps && divergedAt === null; i++) {
    const row = [costs[i], gradients[2 * i], gradients[2 * i + 1], weights[2 * i], weights[2 * i + 1]];
    if (!row.every(Number.isFinite)) divergedAt = i;
  }
  const kept = divergedAt ?? steps + 1; // finite rows; 0 if w0 is not
  const k = Math.max(kept - 1, 0);
  const flips = new Uint8Array(k * 2);
  for (let i = 1; i < k; i++) {
    for (const j of [0, 1]) {
      flips[2 * i + j] = sign(gradients[2 * i + j]) * sign(gradients[2 * (i - 1) + j]) < 0 ? 1 : 0;
    }
  }
  const at = divergedAt;
  return {
    weights: weights.slice(0, 2 * kept),
    costs: costs.slice(0, kept),
    gradients: gradients.slice(0, 2 * kept),
    step_sizes: deltas === null ? null : deltas.slice(0, 2 * k),
    sign_flips: flips,
    diverged_at: divergedAt,
    divergence:
      at === null
        ? null
        : {
            weights: [weights[2 * at], weights[2 * at + 1]],
            cost: costs[at],
            gradient: [gradients[2 * at], gradients[2 * at + 1]],
          },
  };
}
