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
import { clearCanvases, drawCosts, drawGradient, drawPaths } from "./preview_canvas.js";

// The run the knob's value gives, drawn over the plots (one per screen refresh at most).
export function previewKnob(state, spec, value) {
  const base = state.stageSettings;
  if (spec.sets && base) previewSettings(state, settingsWith(base, spec.sets, value));
}

// The run of settings (RunSettings as JSON), drawn over the plots at the next screen refresh;
// at once if the input's time is given (its sender waited for the refresh: map_hover.js).
export function previewSettings(state, settings, inputAt) {
  const objective = ((state.parts.view || {}).value || {}).objective;
  if (!objective) return;
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
  if (!state.ready) { // the plots are being drawn anew (a run arrived): the next refresh, then
    preview.frame = requestAnimationFrame(() => drawPreview(state));
    return;
  }
  const view = state.parts.view.value;
  const run = train(view.objective, preview.settings);
  preview.run = run;
  preview.racers = racersWith(state, view.objective, preview.settings);
  preview.matched = undefined;
  state.el.box.classList.add("lp-previewing");
  drawRun(state, run, preview.racers, Math.min(state.index, Math.max(run.costs.length - 1, 0)), false);
  preview.drawn += 1;
  // for the tests and the bench (bench/drag.py): the last one's time to train and draw, and
  // from its input event; then how many drawn (which the bench watches)
  const now = performance.now();
  state.el.box.dataset.previewMs = (now - started).toFixed(2);
  state.el.box.dataset.previewLatency = (now - preview.inputAt).toFixed(2);
  state.el.box.dataset.previewDrawn = String(preview.drawn);
}

// The racers of the run with these settings: each its own optimiser from the same start and
// for as long (rnnviz/racer_grammar.py racer_settings), so a start dragged or a length changed
// moves them too.
function racersWith(state, objective, settings) {
  return (state.stageRacers || []).map((racer) => {
    const own = { ...racer.settings, w0: [...settings.w0], iterations: settings.iterations };
    return { ...racer, settings: own, run: train(objective, own) };
  });
}

// The run (the stepper's) and its racers at iterate i, in every view: kept, it is the run
// shown (the offline lecture), with its current iterate marked and the readout's numbers at i.
function drawRun(state, run, racers, i, kept) {
  const view = state.parts.view.value;
  const count = run.costs.length;
  const runs = [{ run, colour: null, dash: "solid" }, ...racers];
  drawPaths(state.plots.surface, runs, kept ? i : null);
  drawCosts(state.plots.run, runs, i);
  drawGradient(state.plots.gradient, view.pointer_probe, run, i);
  const readout = state.texts.find((t) => t.name === "readout");
  if (readout) readout.el.replaceChildren(...readoutLines(run, i, kept).map((text) => {
    const line = document.createElement("div"); // one line each, as the readout's own are
    line.textContent = text;
    line.title = text;
    return line;
  }));
  const badge = state.texts.find((t) => t.name === "badge");
  const probe = view.pointer_probe;
  if (badge && probe && count) {
    const r = Math.abs(run.weights[2 * i + 1]);
    const growth = r > 1 + 1e-9 ? probe.growth.above : r < 1 - 1e-9 ? probe.growth.below : probe.growth.one;
    const line = document.createElement("div");
    line.textContent = `${kept ? "" : "preview: "}${growth}, ×${formatG(r, 4)} per step back`;
    badge.el.replaceChildren(line);
  }
}

// The readout: a preview's end in one line; a kept run's iterate i as the page's readout
// says it (rnnviz/live.py _readout), and where it diverged.
function readoutLines(run, i, kept) {
  const count = run.costs.length;
  const diverged = run.diverged_at === null ? "" : ` · diverges at iteration ${run.diverged_at}`;
  if (!count) return [`the cost overflows at the start${diverged}`];
  const w = (k) => [run.weights[2 * k], run.weights[2 * k + 1]];
  if (!kept) {
    const [wx, wr] = w(count - 1);
    return [`preview: ${count - 1} iterations, ends at (${formatG(wx, 4)}, ${formatG(wr, 4)}),`
      + ` cost ${formatG(run.costs[count - 1], 4)}${diverged}`];
  }
  const [wx, wr] = w(i);
  const lines = [`iteration ${i} of ${count - 1} | cost ${formatG(run.costs[i], 4)}`
    + ` | w = (${wx.toFixed(4)}, ${wr.toFixed(4)})${diverged}`];
  let gradient = `gradient (${formatG(run.gradients[2 * i], 3)}, ${formatG(run.gradients[2 * i + 1], 3)})`;
  if (count > 1) { // the step leaving iterate i (the last one's at the end), as train.weight_steps
    const j = Math.min(i, count - 2);
    const steps = run.step_sizes
      ? [run.step_sizes[2 * j], run.step_sizes[2 * j + 1]]
      : [0, 1].map((k) => Math.abs(run.weights[2 * (j + 1) + k] - run.weights[2 * j + k]));
    gradient += ` | ${run.step_sizes ? "step size δ" : "step |Δw|"} (${formatG(steps[0], 3)}, ${formatG(steps[1], 3)})`;
  }
  return [...lines, gradient];
}

// A knob released, a start dropped, a map's cell clicked: the run the hand chose. On the page
// the server draws it (its run replaces the preview: live_plot.js); with no server (the
// offline lecture) the preview is kept as the run shown.
export function settle(state, trigger, value) {
  if (state.component.offline) {
    keepPreview(state);
    return;
  }
  awaitRun(state);
  state.component.setTriggerValue(trigger, value);
}

// A run asked of the server (a knob set, a start dropped, a map's cell clicked): the preview
// stays until it arrives.
export function awaitRun(state) {
  state.awaitingRun = true;
  state.runsAsked = (state.runsAsked || 0) + 1;
}

// The server's run has arrived (live_plot.js). Keys pressed faster than the server answers
// ask for several runs: one for an earlier value leaves the preview of the latest on screen
// (it would jump back, then forward). Returns whether the preview is done with.
export function runArrived(state) {
  state.runsAsked = Math.max((state.runsAsked || 0) - 1, 0);
  const preview = state.preview;
  const pending = preview && (preview.run || preview.frame); // drawn, or about to be
  const outrun = state.awaitingRun && pending && state.runsAsked > 0
    && !sameValue(state.stageSettings, preview.settings);
  if (outrun) return false;
  state.awaitingRun = false;
  state.runsAsked = 0;
  endPreview(state);
  return true;
}

// Plain JSON values equal (objects whatever their keys' order, numbers by ===).
function sameValue(a, b) {
  if (a === b) return true;
  if (!a || !b || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => sameValue(a[k], b[k]));
}

// The preview becomes the run on screen (no server): the player plays it, the scrubber and the
// keys step through it, and the next knob moves from its settings.
export function keepPreview(state) {
  const preview = state.preview;
  if (!preview || !preview.settings) return;
  if (preview.frame || !preview.run) drawPreview(state); // the hand's last value, drawn now
  const run = preview.run;
  state.kept = { run, settings: preview.settings, racers: preview.racers };
  preview.run = null; // the preview is over: what it drew is the kept run
  state.stageSettings = preview.settings;
  state.el.box.classList.add("lp-previewing", "lp-kept");
  // for the tests: the settings kept and the run's last iterate, every bit (JSON's numbers
  // are the shortest that read back the same, in Python too)
  const end = Math.max(run.costs.length - 1, 0);
  state.el.box.dataset.keptSettings = JSON.stringify(preview.settings);
  state.el.box.dataset.keptEnd = JSON.stringify([run.weights[2 * end], run.weights[2 * end + 1]]);
  state.el.notes.replaceChildren(...keptNotes(state));
  renderKept(state, state.index);
}

// What the notes say of a kept run (in place of the server's run's notes).
export function keptNotes(state) {
  const run = state.kept.run;
  const note = document.createElement("p");
  note.textContent = "Trained in this page (no server): the path, the cost and the gradient "
    + "through time are this run's (and its racers' paths and costs); the step colours and sign "
    + "flips are the story's."
    + (run.diverged_at === null ? "" : ` It diverges at iteration ${run.diverged_at}: the path `
      + "ends at the last finite iterate.");
  note.title = note.textContent;
  return [note];
}

// Iterate i of the kept run on screen (player.js's render, while a run is kept); a preview
// being drawn over it keeps the canvases until it ends.
export function renderKept(state, i) {
  const run = state.kept.run;
  const count = run.costs.length;
  // (while the plots are redrawn the iterate waits: the redraw renders it)
  state.index = Math.max(0, Math.min(count - 1, Math.round(i)));
  if (!state.ready || state.destroyed) return;
  state.el.scrub.max = String(Math.max(count - 1, 0));
  state.el.scrub.value = String(state.index);
  state.el.iteration.textContent = `${state.index} / ${Math.max(count - 1, 0)}`;
  if (!state.preview?.run) drawRun(state, run, state.kept.racers, state.index, true);
}

// How many iterates the run on screen has: the kept one's, or the server's.
export const shownCount = (state) => (state.kept
  ? state.kept.run.costs.length : (state.run ? state.run.count : 0));

// The server's run has arrived: the preview goes, and says whether it was the same run (or,
// compare false, it was only a look: the pointer left a map). A run kept with no server (the
// offline lecture) is drawn again where the preview was.
export function endPreview(state, compare = true) {
  const preview = state.preview;
  if (!preview) return;
  cancelAnimationFrame(preview.frame); // a preview about to be drawn is not wanted either
  preview.frame = 0;
  if (!preview.run) return;
  const run = preview.run;
  preview.run = null;
  if (state.kept) {
    renderKept(state, state.index);
    return;
  }
  state.el.box.classList.remove("lp-previewing");
  clearCanvases(state.plots);
  if (!compare) return;
  // each run drawn against the server's of the same name (a racer's series are r<n>_w_x...)
  const differs = [{ run, settings: preview.settings, prefix: "" }, ...(preview.racers || [])]
    .map(({ run: drawn, settings, prefix }) => ({ settings, ...differsFrom(state.series, prefix, drawn) }))
    .filter((result) => result.at !== null);
  preview.matched = differs.length === 0;
  state.el.box.dataset.previewMatched = String(preview.matched);
  state.el.box.dataset.previewRuns = String(1 + (preview.racers || []).length);
  // where they parted, if they did: the settings and the first iterate that differs
  state.el.box.dataset.previewDiffers = differs.length ? JSON.stringify(differs[0]) : "";
}

// The first iterate where the drawn run's weights are not the server's series' (prefix: a
// racer's), bit for bit (float64: rnnviz/live.py), or at null if none.
function differsFrom(series, prefix, run) {
  const wx = series[`${prefix}w_x`]?.raw;
  const wr = series[`${prefix}w_rec`]?.raw;
  const kept = run.costs.length;
  const sizes = { drawn: kept, server: wx ? wx.length : null };
  if (!wx || !wr || wx.length !== kept) return { at: -1, ...sizes };
  for (let k = 0; k < kept; k++) {
    if (!Object.is(wx[k], run.weights[2 * k]) || !Object.is(wr[k], run.weights[2 * k + 1])) return { at: k, ...sizes };
  }
  return { at: null, ...sizes };
}

// A new scene drawn (the offline lecture's story): a run kept in the page goes with the old.
export function forgetKept(state) {
  if (!state.kept) return;
  state.kept = null;
  state.el.box.classList.remove("lp-previewing", "lp-kept");
  clearCanvases(state.plots);
}

