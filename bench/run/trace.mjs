// Per-frame CPU time of the page's main thread from a Chromium trace: unlike wall-clock times it
// does not grow when other processes share the CPU (trace events carry the thread's CPU time,
// `tdur`, next to the wall duration, `dur`).
import { percentile } from './common.mjs';

/** Trace categories this module needs. */
export const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline'];

const RENDER = new Set(['UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'UpdateLayer']);

/** Splits the renderer's main thread into animation frames and sums, per frame, the CPU time of
 *  the frame's script (`FireAnimationFrame`: rAF callbacks and the microtasks they queue, i.e. the
 *  simulation and the Leptos updates) and of the browser's rendering (style, layout, paint,
 *  layerize, commit) that follows it. Returns stats in ms, and the overall wall/CPU ratio. */
export function frameCpu(traceJson) {
  const events = traceJson.traceEvents ?? traceJson;
  const mains = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const count = (m) => events.filter((e) => e.pid === m.pid && e.tid === m.tid && e.name === 'FireAnimationFrame').length;
  const main = mains.sort((a, b) => count(b) - count(a))[0];
  if (!main) return null;
  const mine = events
    .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && (e.name === 'FireAnimationFrame' || RENDER.has(e.name)))
    .sort((a, b) => a.ts - b.ts);
  const frames = [];
  let current = null;
  let coveredUntil = -Infinity;
  let wall = 0;
  let cpu = 0;
  for (const e of mine) {
    const end = e.ts + (e.dur ?? 0);
    if (e.ts < coveredUntil) continue; // nested in an event already counted
    coveredUntil = end;
    const t = (e.tdur ?? e.dur ?? 0) / 1000;
    wall += (e.dur ?? 0) / 1000;
    cpu += t;
    if (e.name === 'FireAnimationFrame') {
      if (!current || current.rendered) {
        current = { script: 0, render: 0, rendered: false };
        frames.push(current);
      }
      current.script += t;
    } else if (current) {
      current.render += t;
      current.rendered = true;
    }
  }
  // Tasks over 50 ms, by wall time (what PerformanceObserver reports) and by CPU time (what the
  // page itself cost): a task long only in wall time was waiting for a CPU held by other work.
  const tasks = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.name === 'RunTask');
  const longWall = tasks.filter((e) => (e.dur ?? 0) > 50_000);
  const longCpu = tasks.filter((e) => (e.tdur ?? e.dur ?? 0) > 50_000);
  const stats = (xs) => ({ n: xs.length, p50: percentile(xs, 0.5), p95: percentile(xs, 0.95), max: xs.length ? Math.max(...xs) : null });
  return {
    script_cpu_ms: stats(frames.map((f) => f.script)),
    render_cpu_ms: stats(frames.map((f) => f.render)),
    frame_cpu_ms: stats(frames.map((f) => f.script + f.render)),
    wall_over_cpu: cpu > 0 ? wall / cpu : null,
    long_tasks_wall: longWall.length,
    long_tasks_cpu: longCpu.length,
    longest_task_cpu_ms: tasks.length ? Math.max(...tasks.map((e) => (e.tdur ?? e.dur ?? 0) / 1000)) : null,
  };
}
