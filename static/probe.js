// Under the pointer on a panel, a row drawn in another: the view's pointer_probe says where.
// Row k is |a| |y|^(T-k) with a = x q(y) - c at the pointer's data point (x, y): a geometric
// row whose first term is a polynomial (coefficients q, ascending) in y times x, less c.

import { dataAt } from "./clicks.js";
import { reportError } from "./mount.js";
import { formatG } from "./series.js";

const probeOf = (state) => ((state.parts.view || {}).value || {}).pointer_probe;

// Follows the pointer over each of state.plots (on: the panels' listener group, mount.js),
// drawing at most once per screen refresh.
export function wirePointer(state, on) {
  let latest = null;
  const show = () => {
    state.pointerFrame = 0;
    const p = probeOf(state);
    if (!p || !state.ready || state.destroyed || !state.plots[p.from]) return;
    const gd = state.plots[p.from];
    const point = latest && dataAt(gd, latest);
    const [xlo, xhi] = gd._fullLayout.xaxis.range;
    const [ylo, yhi] = gd._fullLayout.yaxis.range;
    const inside = point && point.x >= Math.min(xlo, xhi) && point.x <= Math.max(xlo, xhi) &&
      point.y >= Math.min(ylo, yhi) && point.y <= Math.max(ylo, yhi);
    drawPointer(state, p, inside ? point : null);
  };
  for (const [panel, gd] of Object.entries(state.plots)) {
    on(gd, "pointermove", (event) => {
      const p = probeOf(state);
      if (!p || p.from !== panel || event.buttons) return; // a drag is a zoom, not a probe
      latest = event;
      if (!state.pointerFrame) state.pointerFrame = requestAnimationFrame(show);
    });
    on(gd, "pointerleave", () => {
      latest = null;
      if (!state.pointerFrame) state.pointerFrame = requestAnimationFrame(show);
    });
  }
}

function polynomial(coefficients, y) {
  let sum = 0;
  for (let j = coefficients.length - 1; j >= 0; j--) sum = sum * y + coefficients[j];
  return sum;
}

function drawPointer(state, p, point) {
  const index = (state.traceIndex[p.panel] || {})[p.trace];
  if (index === undefined) return;
  const T = p.exponents;
  const y = new Array(T + 1).fill(null);
  const text = new Array(T + 1).fill("");
  if (point) {
    const a = Math.abs(point.x * polynomial(p.coefficients, point.y) - p.offset);
    const r = Math.abs(point.y);
    for (let k = 0; k <= T; k++) {
      const v = a * r ** (T - k);
      y[k] = Number.isFinite(v) && v > 0 ? v : null;
    }
    const growth = r > 1 + 1e-9 ? p.growth.above : r < 1 - 1e-9 ? p.growth.below : p.growth.one;
    text[T] = p.badge.replace("{x:.2f}", point.x.toFixed(2)).replace("{y:.2f}", point.y.toFixed(2))
      .replace("{growth}", growth).replace("{ratio:.4g}", formatG(r, 4));
  }
  state.pointerShown = point;
  window.Plotly.restyle(state.plots[p.panel], { y: [y], text: [text] }, [index]).catch(reportError);
}
