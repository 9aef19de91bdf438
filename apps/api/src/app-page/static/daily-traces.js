// One small chart per local day of the window, from the readings route.
import { drawChart, shadeTargetRange } from './chart-frame.js';
import { renderTable } from './data-table.js';
import { fixed, localDate } from './format.js';

/** Readings grouped by local day, every day of the window present (empty days too), oldest first. */
export function readingsByDay(readings, fromMs, toMs) {
  const days = new Map();
  for (let t = fromMs; t < toMs; t += 3_600_000) days.set(localDate(t), []);
  days.set(localDate(toMs - 1), days.get(localDate(toMs - 1)) ?? []);
  for (const reading of readings) {
    const epochMs = Date.parse(reading.timestamp);
    const midnight = new Date(epochMs).setHours(0, 0, 0, 0);
    days.get(localDate(epochMs))?.push({ seconds: (epochMs - midnight) / 1000, value: reading.glucose_value });
  }
  return days;
}

export function renderDailyTraces({ charts, table }, readings, window) {
  const days = readingsByDay(readings, window.fromMs, window.toMs);
  charts.replaceChildren();
  for (const [date, points] of days) {
    const figure = document.createElement('figure');
    figure.className = 'day';
    const caption = document.createElement('figcaption');
    caption.textContent = date;
    const plot = document.createElement('div');
    plot.className = 'day-chart';
    plot.dataset.date = date;
    figure.append(caption, plot);
    charts.append(figure);
    drawChart(
      plot,
      {
        height: 90,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false, range: [0, 86_400] }, y: { range: [40, 400] } },
        axes: [{ show: false }, { show: false }],
        series: [{}, { stroke: '#1d3f8f', width: 1, spanGaps: false, points: { show: false } }],
        hooks: { drawClear: [shadeTargetRange] },
      },
      [points.map((point) => point.seconds), points.map((point) => point.value)],
    );
  }
  renderTable(table, {
    name: 'daily-traces',
    caption: 'Readings per local day (mg/dL)',
    columns: ['Date', 'Readings', 'Lowest', 'Mean', 'Highest'],
    rows: [...days].map(([date, points]) => {
      const values = points.map((point) => point.value);
      const mean = values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
      return [date, values.length, values.length === 0 ? fixed(null) : Math.min(...values), fixed(mean), values.length === 0 ? fixed(null) : Math.max(...values)];
    }),
  });
}
