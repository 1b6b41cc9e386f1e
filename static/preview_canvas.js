// A previewed run drawn on canvases laid over the plots' areas (preview.js): a path given to
// plotly.js replots the whole surface (40-50 ms), a canvas redraws in well under one. Each
// draw takes the runs to show, the main run first (in the preview's colour), then its racers
// (each in its own colour and dash, as the page draws them: dashboard/stage.py).

// canvas dashes for plotly.js's dash names (the racers' lines)
const DASHES = { solid: [], dash: [9, 5], dot: [2, 4], dashdot: [9, 4, 2, 4] };

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
  return { ctx, x: (v) => xa.d2p(v), y: (v) => ya.d2p(v), colour, log: ya.type === "log", height: ya._length };
}

function polyline(ctx, points) {
  ctx.beginPath();
  points.forEach(([x, y], k) => (k ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
  ctx.stroke();
}

const dot = (ctx, [x, y], radius) => {
  ctx.beginPath();
  ctx.arc(x, y, radius, 0, 2 * Math.PI);
};

// The paths on the surface (gd): each run's {run, colour, dash} (colour null: the preview's),
// with a ring at its start and a dot at its end; at, if not null, a kept run's current
// iterate, marked on each.
export function drawPaths(gd, runs, at) {
  const c = canvasOver(gd);
  if (!c) return;
  for (const { run, colour, dash } of [...runs].reverse()) { // the main run on top
    const ink = colour || c.colour("preview");
    const points = [];
    for (let k = 0; k < run.costs.length; k++) points.push([c.x(run.weights[2 * k]), c.y(run.weights[2 * k + 1])]);
    c.ctx.lineWidth = colour ? 2 : 3;
    c.ctx.strokeStyle = ink;
    c.ctx.fillStyle = ink;
    c.ctx.setLineDash(DASHES[dash] || []);
    polyline(c.ctx, points);
    c.ctx.setLineDash([]);
    if (!points.length) continue;
    dot(c.ctx, points[0], 7);
    c.ctx.stroke();
    dot(c.ctx, points[points.length - 1], 7);
    c.ctx.fill();
    const here = at === null ? null : points[Math.min(at, points.length - 1)];
    if (here) { // larger, ringed
      c.ctx.fillStyle = colour || c.colour("preview-ink");
      dot(c.ctx, here, 9);
      c.ctx.fill();
      c.ctx.stroke();
    }
  }
}

// The costs in the run chart (gd), each run's line, and iteration i's.
export function drawCosts(gd, runs, i) {
  const c = canvasOver(gd);
  if (!c) return;
  for (const { run, colour, dash } of [...runs].reverse()) {
    const points = [];
    for (let k = 0; k < run.costs.length; k++) if (run.costs[k] > 0 || !c.log) points.push([c.x(k), c.y(run.costs[k])]);
    c.ctx.lineWidth = colour ? 2 : 3;
    c.ctx.strokeStyle = colour || c.colour("preview-ink");
    c.ctx.setLineDash(DASHES[dash] || []);
    polyline(c.ctx, points);
  }
  c.ctx.setLineDash([]);
  c.ctx.strokeStyle = c.colour("accent");
  c.ctx.lineWidth = 1.5;
  polyline(c.ctx, [[c.x(i), 0], [c.x(i), c.height]]);
}

// dE/dS_k at iterate i: dE/dS_T = w_x q(w_rec) - c (the view's pointer polynomial), times
// w_rec^(T-k) for each step back, as the gradient view draws it.
export function drawGradient(gd, p, run, i) {
  const c = canvasOver(gd);
  if (!c || !p || !run.costs.length) return;
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

// The canvases gone: the plots beneath are the run on screen again.
export function clearCanvases(plots) {
  for (const gd of Object.values(plots)) gd.querySelector(":scope > canvas.lp-preview")?.remove();
}
