// The run's start dragged on the surface (issue 18): a press within reach of the start point
// takes hold of it (plotly.js's zoom box does not start, nor a click), the run follows the
// pointer as the browser trains it (preview.js), and the release sets the start on the server
// as a click there does. The start is kept as the server keeps a clicked point: inside its
// controls' ranges, to two decimals (dashboard/stage.py set_from_point), so the run drawn is
// the server's to the last bit.

import { dataAt, keptAsSet } from "./clicks.js";
import { endPreview, previewSettings, settle } from "./preview.js";

const REACH_PX = 16; // about the start marker's size

// Listens on the surface panel's box, in the capture phase: before the plot's own listeners
// (clicks.js, plotly.js's drag layer) see the press, so neither a click nor a zoom follows a
// drag. on: the panels' listener group.
export function wireStartDrag(state, on, section, gd) {
  let held = null;
  on(section, "pointerdown", (event) => {
    const settings = state.stageSettings;
    const start = state.stageStart;
    if (!settings || !start || event.button !== 0 || !state.ready) return;
    if (!(event.target instanceof Element && event.target.closest(".nsewdrag"))) return;
    const full = gd._fullLayout;
    const box = gd.getBoundingClientRect();
    const x = box.left + full.xaxis._offset + full.xaxis.d2p(settings.w0[0]);
    const y = box.top + full.yaxis._offset + full.yaxis.d2p(settings.w0[1]);
    if (!(Math.hypot(event.clientX - x, event.clientY - y) <= REACH_PX)) return;
    event.preventDefault(); // no zoom box, and no mouse events after it
    event.stopPropagation();
    section.setPointerCapture(event.pointerId);
    held = { id: event.pointerId, settings, start, w0: null };
  }, { capture: true });
  on(section, "pointermove", (event) => {
    if (!held || event.pointerId !== held.id) return;
    event.stopPropagation();
    const point = dataAt(gd, event);
    if (!point) return;
    held.w0 = [keptAsSet(point.x, held.start.ranges[0]), keptAsSet(point.y, held.start.ranges[1])];
    previewSettings(state, { ...held.settings, w0: held.w0 });
  }, { capture: true });
  const release = (event) => {
    if (!held || event.pointerId !== held.id) return;
    event.stopPropagation();
    const { w0 } = held;
    held = null;
    const moved = w0 && (w0[0] !== state.stageSettings.w0[0] || w0[1] !== state.stageSettings.w0[1]);
    if (!moved) {
      endPreview(state); // let go where it was: the run on screen stays
      return;
    }
    settle(state, "click", { panel: "surface", x: w0[0], y: w0[1] });
  };
  on(section, "pointerup", release, { capture: true });
  on(section, "pointercancel", release, { capture: true });
}
