// uPlot charts that size to their container, mark themselves drawn, and shade the glucose target range.
import uPlot from './vendor/uPlot.esm.js';

export { uPlot };

const charts = new Set();
/** Narrower than this a chart says nothing; its container scrolls instead. */
const MIN_WIDTH = 120;

/** Non-null y values over every series: what the chart has points for. */
function pointCount(data) {
  return data.slice(1).reduce((sum, series) => sum + series.filter((value) => value !== null && value !== undefined).length, 0);
}

/**
 * Draws a uPlot chart into `container` (replacing what it held). Once drawn,
 * the container carries `data-drawn-points`: how many values it plotted.
 */
export function drawChart(container, options, data) {
  container.replaceChildren();
  const width = Math.max(MIN_WIDTH, Math.floor(container.clientWidth || 600));
  const drawn = (u) => {
    container.dataset.drawnPoints = String(pointCount(u.data));
  };
  const hooks = { ...options.hooks, draw: [...(options.hooks?.draw ?? []), drawn] };
  const chart = new uPlot({ width, ...options, hooks }, data, container);
  charts.add({ chart, container });
  return chart;
}

/** Forgets the charts of a previous load (their elements are gone). */
export function destroyCharts() {
  for (const { chart } of charts) chart.destroy();
  charts.clear();
}

/** Before painting the series: the 70–180 mg/dL target band in light green. */
export function shadeTargetRange(u) {
  const top = u.valToPos(180, 'y', true);
  const bottom = u.valToPos(70, 'y', true);
  u.ctx.save();
  u.ctx.fillStyle = 'rgba(46, 160, 67, 0.10)';
  u.ctx.fillRect(u.bbox.left, top, u.bbox.width, bottom - top);
  u.ctx.restore();
}

addEventListener('resize', () => {
  for (const { chart, container } of charts) {
    const width = Math.max(MIN_WIDTH, Math.floor(container.clientWidth));
    if (width !== chart.width) chart.setSize({ width, height: chart.height });
  }
});
