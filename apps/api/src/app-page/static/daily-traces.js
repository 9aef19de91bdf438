// One small chart per local day of the window, from the readings route, each day drawn as soon as its readings arrive.
import { drawChart, shadeTargetRange } from './chart-frame.js';
import { renderTable } from './data-table.js';
import { fixed, localDate } from './format.js';

const CHART_OPTIONS = {
  height: 90,
  legend: { show: false },
  cursor: { show: false },
  scales: { x: { time: false, range: [0, 86_400] }, y: { range: [40, 400] } },
  // No time axis (each chart is one local day, midnight to midnight); a value axis at the target range's bounds and 300.
  axes: [{ show: false }, { size: 30, gap: 2, font: '10px sans-serif', splits: () => [70, 180, 300], ticks: { show: false }, grid: { stroke: '#e4e7ee', width: 1 } }],
  series: [{}, { stroke: '#1d3f8f', width: 1, spanGaps: false, points: { show: false } }],
  hooks: { drawClear: [shadeTargetRange] },
};

/** The local dates `[fromMs, toMs)` touches, oldest first. */
function datesIn(fromMs, toMs) {
  const dates = [];
  for (let day = new Date(fromMs); day.getTime() < toMs; day = new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1)) {
    dates.push(localDate(day.getTime()));
  }
  return dates;
}

/**
 * Readings (sorted by time) grouped by local day, every day of `[fromMs, toMs)`
 * present (empty days too), oldest first; each point is seconds since its
 * local midnight and the value.
 */
function readingsByDay(readings, fromMs, toMs) {
  const days = new Map(datesIn(fromMs, toMs).map((date) => [date, []]));
  // A day's bounds are computed once per day, not per reading.
  let dayStart = Infinity;
  let dayEnd = -Infinity;
  let points;
  for (const reading of readings) {
    const epochMs = Date.parse(reading.timestamp);
    if (epochMs < dayStart || epochMs >= dayEnd) {
      const date = new Date(epochMs);
      dayStart = new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
      dayEnd = new Date(date.getFullYear(), date.getMonth(), date.getDate() + 1).getTime();
      points = days.get(localDate(epochMs));
    }
    points?.push({ seconds: (epochMs - dayStart) / 1000, value: reading.glucose_value });
  }
  return days;
}

/**
 * Lays out one empty small chart per local day of `window`; `draw` plots the
 * days of a range as its readings arrive, `finish` writes the table view once
 * every range is in.
 */
export function dailyTraces({ charts, table }, window) {
  const days = new Map();
  const figures = datesIn(window.fromMs, window.toMs).map((date) => {
    const figure = document.createElement('figure');
    figure.className = 'day';
    const caption = document.createElement('figcaption');
    caption.textContent = date;
    const plot = document.createElement('div');
    plot.className = 'day-chart';
    plot.dataset.date = date;
    figure.append(caption, plot);
    days.set(date, { plot, points: [] });
    return figure;
  });
  charts.replaceChildren(...figures);
  table.replaceChildren();

  return {
    /** Draws the days of `[fromMs, toMs)` (whole local days but at the window's ends) from that range's readings. */
    draw(readings, fromMs, toMs) {
      for (const [date, points] of readingsByDay(readings, fromMs, toMs)) {
        const day = days.get(date);
        if (day === undefined) continue;
        day.points.push(...points);
        drawChart(day.plot, CHART_OPTIONS, [day.points.map((point) => point.seconds), day.points.map((point) => point.value)]);
      }
    },
    finish() {
      renderTable(table, {
        name: 'daily-traces',
        caption: 'Readings per local day (mg/dL)',
        columns: ['Date', 'Readings', 'Lowest', 'Mean', 'Highest'],
        rows: [...days].map(([date, { points }]) => {
          if (points.length === 0) return [date, 0, fixed(null), fixed(null), fixed(null)];
          let lowest = Infinity;
          let highest = -Infinity;
          let sum = 0;
          for (const { value } of points) {
            lowest = Math.min(lowest, value);
            highest = Math.max(highest, value);
            sum += value;
          }
          return [date, points.length, lowest, fixed(sum / points.length), highest];
        }),
      });
    },
  };
}
