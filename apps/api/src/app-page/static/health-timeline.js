// The recovery log on one timeline: pain, medication doses, activities, blood pressure, O2 and sleep, one row each, x axes aligned.
import { drawChart } from './chart-frame.js';
import { renderTable } from './data-table.js';
import { NO_DATA, fixed } from './format.js';

const PALETTE = ['#1d3f8f', '#b3261e', '#2e7d32', '#8e44ad', '#e67e22', '#00838f'];

/** Epoch seconds of a `YYYY-MM-DD`'s local midnight. */
const dayStart = (date) => new Date(`${date}T00:00:00`).getTime() / 1000;

/** Every name used in `field` (a `{ name: number }` map) over the summaries, first seen first. */
const namesIn = (summaries, field) => [...new Set(summaries.flatMap((summary) => Object.keys(summary[field])))];

function rows(summaries) {
  const medications = namesIn(summaries, 'medication_doses');
  const activities = namesIn(summaries, 'activity_minutes');
  const pick = (read) => summaries.map((summary) => read(summary) ?? null);
  return [
    { key: 'pain', title: 'Pain (0–10)', range: [0, 10], series: [['Highest', pick((s) => s.max_pain_level)], ['Mean of entries', pick((s) => s.mean_max_pain)]] },
    { key: 'medications', title: 'Medication doses per day', dots: true, series: medications.map((name) => [name, pick((s) => s.medication_doses[name])]) },
    { key: 'activities', title: 'Activity minutes per day', dots: true, series: activities.map((name) => [name, pick((s) => s.activity_minutes[name])]) },
    { key: 'blood-pressure', title: 'Blood pressure (mmHg, daily mean)', series: [['Systolic', pick((s) => s.mean_systolic)], ['Diastolic', pick((s) => s.mean_diastolic)]] },
    { key: 'o2', title: 'O2 saturation (%, daily lowest)', series: [['Lowest O2', pick((s) => s.min_o2_percent)]] },
    { key: 'sleep', title: 'Sleep (hours)', series: [['Sleep', pick((s) => (s.sleep_minutes === null ? null : s.sleep_minutes / 60))]] },
  ];
}

/** Whether any of a row's series has a value. */
const hasValues = (row) => row.series.some(([, values]) => values.some((value) => value !== null));

export function renderHealthTimeline({ chart, table }, summaries, window) {
  const xs = summaries.map((summary) => dayStart(summary.date));
  const xRange = [window.fromMs / 1000, window.toMs / 1000];
  chart.replaceChildren();
  // No entries at all: the note says so, and no empty chart is drawn.
  for (const row of summaries.length === 0 ? [] : rows(summaries)) {
    const heading = document.createElement('h4');
    heading.textContent = row.title;
    const plot = document.createElement('div');
    plot.className = 'timeline-row';
    plot.dataset.row = row.key;
    chart.append(heading, plot);
    if (!hasValues(row)) {
      plot.classList.add('empty');
      plot.textContent = 'None in this window.';
      plot.dataset.drawnPoints = '0';
      continue;
    }
    drawChart(
      plot,
      {
        height: 110,
        cursor: { sync: { key: 'recovery-timeline' } },
        // The legend names the series; the values are in the table view (a live legend shows "--" until hovered).
        legend: { live: false },
        scales: { x: { time: true, range: xRange }, y: row.range === undefined ? {} : { range: row.range } },
        axes: [{}, { size: 50 }],
        series: [
          {},
          ...row.series.map(([label], index) => ({
            label,
            stroke: PALETTE[index % PALETTE.length],
            width: 2,
            spanGaps: true,
            ...(row.dots ? { paths: () => null, points: { show: true, size: 8, fill: PALETTE[index % PALETTE.length] } } : {}),
          })),
        ],
      },
      [xs, ...row.series.map(([, values]) => values)],
    );
  }
  const listed = (map, unit) => Object.entries(map).map(([name, count]) => `${name} ${count}${unit}`).join(', ') || NO_DATA;
  renderTable(table, {
    name: 'recovery-log',
    caption: 'Recovery log by day',
    columns: ['Date', 'Highest pain', 'Mean pain', 'Medication doses', 'Activities', 'Blood pressure', 'Lowest O2 %', 'Sleep hours'],
    rows: summaries.map((s) => [
      s.date,
      s.max_pain_level ?? NO_DATA,
      fixed(s.mean_max_pain),
      listed(s.medication_doses, '×'),
      listed(s.activity_minutes, ' min'),
      s.mean_systolic === null ? NO_DATA : `${fixed(s.mean_systolic, 0)}/${fixed(s.mean_diastolic, 0)}`,
      s.min_o2_percent ?? NO_DATA,
      s.sleep_minutes === null ? NO_DATA : fixed(s.sleep_minutes / 60),
    ]),
  });
}
