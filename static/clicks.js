// A click on a plot's area, for the live plot and the outcome maps alike: the exact data point
// under the pointer, read through the axes' own pixel-to-data maps (a heatmap's own click
// gives only a cell's centre, and none at all on a layout-image background).

// The data coordinates {x, y} under a pointer event on a plot (null off its axes).
export function dataAt(gd, event) {
  const layout = gd._fullLayout;
  if (!layout || !layout.xaxis) return null;
  const box = gd.getBoundingClientRect();
  const x = layout.xaxis.p2d(event.clientX - box.left - layout.xaxis._offset);
  const y = layout.yaxis.p2d(event.clientY - box.top - layout.yaxis._offset);
  return Number.isFinite(x) && Number.isFinite(y) ? { x, y } : null;
}

// onClick(point, event) for a click, not a drag (a zoom), that began on the plot area (the
// .nsewdrag layer, not the modebar or an axis). "click", not "pointerup": plotly.js lays a
// cover over the page while the button is down, so the pointerup lands outside the plot.
// A tap on a touch screen is a click too (issue 17): plotly.js's drag layer cancels the
// touch's default, so no click follows it; but a touch pointer stays captured by the element
// it went down on, so its pointerup does reach the plot, and counts instead.
// on: a listener group's on (mount.js), so the cleanup removes every listener.
export function wireClicks(on, gd, onClick) {
  let down = null;
  on(gd, "pointerdown", (event) => {
    const onPlotArea = event.target instanceof Element && event.target.closest(".nsewdrag");
    down = onPlotArea ? { x: event.clientX, y: event.clientY } : null;
  }, { capture: true });
  const release = (event) => {
    if (!down || Math.hypot(event.clientX - down.x, event.clientY - down.y) > 4) return;
    down = null; // once: a click that may still follow a tap finds nothing to do
    const point = dataAt(gd, event);
    if (point) onClick(point, event);
  };
  on(gd, "click", release, { capture: true });
  on(gd, "pointerup", (event) => {
    if (event.pointerType === "touch") release(event);
  }, { capture: true });
  on(gd, "pointercancel", () => { down = null; }, { capture: true }); // a pan or pinch
}

// A coordinate as the page keeps a clicked one (dashboard/stage.py set_from_point): inside
// [lo, hi], to two decimals; so a run previewed at a point is the run a click there sets.
export const keptAsSet = (value, [lo, hi]) => Number(Math.min(Math.max(value, lo), hi).toFixed(2));
