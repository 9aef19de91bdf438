// The AGP: 5–95 % and 25–75 % bands and the median by hour of the day, from the stats route's `hourly[]`.
import { drawChart, shadeTargetRange } from './chart-frame.js';
import { renderTable } from './data-table.js';
import { fixed } from './format.js';

const PERCENTILES = ['p5', 'p25', 'p50', 'p75', 'p95'];
const hourLabel = (hour) => `${String(hour).padStart(2, '0')}:00`;

export function renderAgp({ chart, table }, stats) {
  const hours = stats.hourly.map((row) => row.hour);
  const series = PERCENTILES.map((key) => stats.hourly.map((row) => row[key]));
  const line = (label, stroke, width = 1) => ({ label, stroke, width, spanGaps: false, points: { show: false } });
  drawChart(
    chart,
    {
      height: 280,
      // The legend names the series; values by hour are in the table view (a live legend shows "--" until hovered, and in print).
      legend: { live: false },
      scales: { x: { time: false, range: [0, 23] }, y: { range: [40, 350] } },
      axes: [{ values: (_u, ticks) => ticks.map(hourLabel), incrs: [1, 3, 6] }, { label: 'mg/dL', size: 50 }],
      series: [
        { label: 'Hour' },
        line('5 %', 'rgba(70, 110, 190, 0.5)'),
        line('25 %', 'rgba(70, 110, 190, 0.8)'),
        line('Median', '#1d3f8f', 3),
        line('75 %', 'rgba(70, 110, 190, 0.8)'),
        line('95 %', 'rgba(70, 110, 190, 0.5)'),
      ],
      bands: [
        { series: [5, 1], fill: 'rgba(70, 110, 190, 0.15)' },
        { series: [4, 2], fill: 'rgba(70, 110, 190, 0.35)' },
      ],
      hooks: { drawClear: [shadeTargetRange] },
    },
    [hours, ...series],
  );
  renderTable(table, {
    name: 'agp',
    caption: `Glucose percentiles by hour of the day (mg/dL, ${stats.time_zone})`,
    columns: ['Hour', '5 %', '25 %', 'Median', '75 %', '95 %'],
    rows: stats.hourly.map((row) => [hourLabel(row.hour), ...PERCENTILES.map((key) => fixed(row[key]))]),
  });
}
