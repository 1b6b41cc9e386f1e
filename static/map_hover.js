// A run previewed from the outcome maps (issue 18, as Distill's "Why Momentum Really Works"
// does it): the pointer over a cell of the (eta_p, eta_n) map or of the start-point map draws
// that cell's run on the live plot, as the browser trains it; a click keeps it (the page sets
// the controls, whose run then replaces the preview). The maps and the live plot are two
// components: the maps say what to preview with a window event the plot listens for
// (live_plot.js): {settings, at} (at: the pointer event's time), {settings: null} when the
// pointer leaves, {kept: true} on a click.

import { dataAt, keptAsSet } from "./clicks.js";

export const PREVIEW_EVENT = "rnnviz:preview";

// on: the map's listener group; gd its plot; hoverOf(): the map's {settings, sets: "eta" or
// "w0", ranges} (dashboard/maps.py), or nothing (no preview).
// Returns what the preview shows, {x, y} (kept as a click keeps it), or null: a click sends
// that, so the run it sets is the run drawn (a click's coordinates are whole pixels, a
// pointer move's are not: the two could fall either side of a hundredth).
export function wireMapHover(on, gd, hoverOf) {
  let latest = null;
  let frame = 0;
  let shown = null;
  const send = () => {
    frame = 0;
    const point = latest && dataAt(gd, latest);
    const [xlo, xhi] = (gd._fullLayout.xaxis || {}).range || [];
    const [ylo, yhi] = (gd._fullLayout.yaxis || {}).range || [];
    const inside = point && point.x >= Math.min(xlo, xhi) && point.x <= Math.max(xlo, xhi)
      && point.y >= Math.min(ylo, yhi) && point.y <= Math.max(ylo, yhi);
    let settings = null;
    shown = null;
    const hover = hoverOf();
    if (inside && hover) {
      const pair = [keptAsSet(point.x, hover.ranges[0]), keptAsSet(point.y, hover.ranges[1])];
      shown = { x: pair[0], y: pair[1] };
      const base = hover.settings;
      settings = hover.sets === "eta"
        ? { ...base, hyperparameters: { ...base.hyperparameters, eta_p: pair[0], eta_n: pair[1] } }
        : { ...base, w0: pair };
    }
    window.dispatchEvent(new CustomEvent(PREVIEW_EVENT, { detail: { settings, at: latest?.timeStamp } }));
  };
  on(gd, "pointermove", (event) => {
    if (event.buttons) return; // a drag is a zoom
    latest = event;
    if (!frame) frame = requestAnimationFrame(send);
  });
  on(gd, "pointerleave", () => {
    latest = null;
    if (!frame) frame = requestAnimationFrame(send);
  });
  return () => shown;
}

// A click on a map: the live plot keeps its preview until the page's run arrives.
export function keepPreview() {
  window.dispatchEvent(new CustomEvent(PREVIEW_EVENT, { detail: { kept: true } }));
}
