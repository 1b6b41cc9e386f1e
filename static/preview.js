// A run previewed under the hand (issue 18): while a stage knob moves, the browser trains the
// run itself (stepper.js: the server's run to the last bit) and draws it at every input event,
// on canvases laid over the plots (a path given to plotly.js replots the whole surface, 40-50
// ms): the path and its end on the surface, the cost in the run chart, the gradient through
// time at the iterate shown, and the readout. Released, the knob sets the control on the
// server (stage.js), whose run then replaces the preview; the two must be the same run
// (state.preview.matched says whether they were: the tests read it). Knobs of the data (the
// sequence length, say) set nothing here: they wait for the server.

import { train } from "./stepper.js";
import { formatG } from "./series.js";

// The run the knob's value gives, drawn over the plots (one per screen refresh at most).
export function previewKnob(state, spec, value) {
  const base = state.stageSettings;
  if (spec.sets && base) previewSettings(state, settingsWith(base, spec.sets, value));
}

// The run of settings (RunSettings as JSON), drawn over the plots at the next screen refresh;
// at once if the input's time is given (its sender waited for the refresh: map_hover.js).
export function previewSettings(state, settings, inputAt) {
  const objective = ((state.parts.view || {}).value || {}).objective;
  if (!objective || !state.ready) return;
  state.preview = state.preview || { drawn: 0 };
  state.preview.settings = settings;
  if (inputAt !== undefined) {
    cancelAnimationFrame(state.preview.frame);
    state.preview.inputAt = inputAt;
    drawPreview(state);
  } else if (!state.preview.frame) {
    state.preview.inputAt = performance.now(); // the oldest input this draw answers
    state.preview.frame = requestAnimationFrame(() => drawPreview(state));
  }
}

// What the knob changes, as specs.run_settings reads the control (dashboard/stage.py `sets`).
function settingsWith(base, sets, value) {
  const settings = { ...base, hyperparameters: { ...base.hyperparameters }, w0: [...base.w0] };
  if (sets.hyper) settings.hyperparameters[sets.hyper] = value;
  else if (sets.clip_norm) settings.clip_norm = value === sets.off ? null : value;
  else if ("w0" in sets) settings.w0[sets.w0] = value;
  else if (sets.iterations) settings.iterations = value;
  return settings;
}

function drawPreview(state) {
  const started = performance.now();
  const preview = state.preview;
  preview.frame = 0;
  const view = state.parts.view.value;
  const run = train(view.objective, preview.settings);
  preview.run = run;
  preview.matched = undefined;
  state.el.box.classList.add("lp-previewing");
  const kept = run.costs.length;
  const i = Math.min(state.index, Math.max(kept - 1, 0));
  drawPath(state, run, kept);
  drawCost(state, run, kept, i);
  drawGradient(state, view, run, kept, i);
  const readout = state.texts.find((t) => t.name === "readout");
  if (readout) {
    const end = kept - 1;
    const where = kept
      ? `ends at (${formatG(run.weights[2 * end], 4)}, ${formatG(run.weights[2 * end + 1], 4)}),`
        + ` cost ${formatG(run.costs[end], 4)}`
      : "the cost overflows at the start";
    const diverged = run.diverged_at === null ? "" : ` · diverges at iteration ${run.diverged_at}`;
    const line = document.createElement("div"); // one line, as the readout's own are
    line.textContent = `preview: ${kept ? end : 0} iterations, ${where}${diverged}`;
    line.title = line.textContent;
    readout.el.replaceChildren(line);
  }
  const badge = state.texts.find((t) => t.name === "badge");
  const probe = view.pointer_probe;
  if (badge && probe && kept) {
    const r = Math.abs(run.weights[2 * i + 1]);
    const growth = r > 1 + 1e-9 ? probe.growth.above : r < 1 - 1e-9 ? probe.growth.below : probe.growth.one;
    const line = document.createElement("div");
    line.textContent = `preview: ${growth}, ×${formatG(r, 4)} per step back`;
    badge.el.replaceChildren(line);
  }
  preview.drawn += 1;
  // for the tests and the bench (bench/drag.py): the last one's time to train and draw, and
  // from its input event; then how many drawn (which the bench watches)
  const now = performance.now();
  state.el.box.dataset.previewMs = (now - started).toFixed(2);
  state.el.box.dataset.previewLatency = (now - preview.inputAt).toFixed(2);
  state.el.box.dataset.previewDrawn = String(preview.drawn);
}

// The server's run has arrived: the preview goes, and says whether it was the same run (or,
// compare false, it was only a look: the pointer left a map).
export function endPreview(state, compare = true) {
  const preview = state.preview;
  if (!preview || !preview.run) return;
  cancelAnimationFrame(preview.frame);
  preview.frame = 0;
  if (!compare) {
    preview.run = null;
    state.el.box.classList.remove("lp-previewing");
    for (const gd of Object.values(state.plots)) gd.querySelector(":scope > canvas.lp-preview")?.remove();
    return;
  }
  const wx = state.series.w_x?.raw; // float64, exact (rnnviz/live.py)
  const wr = state.series.w_rec?.raw;
  const run = preview.run;
  const kept = run.costs.length;
  let same = Boolean(wx && wr && wx.length === kept);
  let k = 0;
  for (; same && k < kept; k++) {
    same = Object.is(wx[k], run.weights[2 * k]) && Object.is(wr[k], run.weights[2 * k + 1]);
  }
  preview.matched = same;
  state.el.box.dataset.previewMatched = String(same);
  // where they parted, if they did: the settings and the first iterate that differs
  state.el.box.dataset.previewDiffers = same ? "" : JSON.stringify({
    settings: preview.settings, drawn: kept, server: wx ? wx.length : null, at: k - 1,
  });
  preview.run = null;
  state.el.box.classList.remove("lp-previewing");
  for (const gd of Object.values(state.plots)) gd.querySelector(":scope > canvas.lp-preview")?.remove();
}

// A canvas over a plot's area, cleared, with the plot's data-to-pixel maps.
function canvasOver(gd) {
  const full = gd && gd._fullLayout;
  if (!full || !full.xaxis || !full.yaxis) return null;
  const xa = full.xaxis;
  const ya = full.yaxis;
  let canvas = gd.querySelector(":scope > canvas.lp-preview");
  if (!canvas) {
    canvas = document.createElement("canvas");
    canvas.className = "lp-preview";
    gd.append(canvas);
  }
  const ratio = window.devicePixelRatio || 1;
  Object.assign(canvas.style, {
    left: `${xa._offset}px`, top: `${ya._offset}px`, width: `${xa._length}px`, height: `${ya._length}px`,
  });
  canvas.width = Math.round(xa._length * ratio);
  canvas.height = Math.round(ya._length * ratio);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  const colour = (name) => getComputedStyle(gd).getPropertyValue(`--rnnviz-${name}`).trim();
  return { ctx, x: (v) => xa.d2p(v), y: (v) => ya.d2p(v), colour, log: ya.type === "log" };
}

function polyline(ctx, points) {
  ctx.beginPath();
  points.forEach(([x, y], k) => (k ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
  ctx.stroke();
}

function drawPath(state, run, kept) {
  const c = canvasOver(state.plots.surface);
  if (!c) return;
  const points = [];
  for (let k = 0; k < kept; k++) points.push([c.x(run.weights[2 * k]), c.y(run.weights[2 * k + 1])]);
  c.ctx.lineWidth = 3;
  c.ctx.strokeStyle = c.colour("preview");
  polyline(c.ctx, points);
  if (points.length) { // the start, as a ring (the end is a dot)
    c.ctx.beginPath();
    c.ctx.arc(points[0][0], points[0][1], 7, 0, 2 * Math.PI);
    c.ctx.stroke();
  }
  const end = points[points.length - 1];
  if (end) {
    c.ctx.fillStyle = c.colour("preview");
    c.ctx.beginPath();
    c.ctx.arc(end[0], end[1], 7, 0, 2 * Math.PI);
    c.ctx.fill();
  }
}

function drawCost(state, run, kept, i) {
  const c = canvasOver(state.plots.run);
  if (!c) return;
  const points = [];
  for (let k = 0; k < kept; k++) if (run.costs[k] > 0 || !c.log) points.push([c.x(k), c.y(run.costs[k])]);
  c.ctx.lineWidth = 3;
  c.ctx.strokeStyle = c.colour("preview-ink");
  polyline(c.ctx, points);
  c.ctx.strokeStyle = c.colour("accent");
  c.ctx.lineWidth = 1.5;
  polyline(c.ctx, [[c.x(i), 0], [c.x(i), c.ctx.canvas.height]]);
}

// dE/dS_k at iterate i: dE/dS_T = w_x q(w_rec) - c (the view's pointer polynomial), times
// w_rec^(T-k) for each step back, as the gradient view draws it.
function drawGradient(state, view, run, kept, i) {
  const p = view.pointer_probe;
  const c = canvasOver(state.plots.gradient);
  if (!c || !p || !kept) return;
  const wx = run.weights[2 * i];
  const wr = run.weights[2 * i + 1];
  let q = 0;
  for (let j = p.coefficients.length - 1; j >= 0; j--) q = q * wr + p.coefficients[j];
  const a = Math.abs(wx * q - p.offset);
  const points = [];
  for (let k = 0; k <= p.exponents; k++) {
    const v = a * Math.abs(wr) ** (p.exponents - k);
    if (Number.isFinite(v) && v > 0) points.push([c.x(k), c.y(v)]);
  }
  c.ctx.lineWidth = 3;
  c.ctx.strokeStyle = c.colour("preview-ink");
  polyline(c.ctx, points);
}
