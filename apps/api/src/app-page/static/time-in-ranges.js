// The time-in-ranges stacked bar, the consensus targets beside it, and its table.
import { consensusTargets } from './consensus-targets.js';
import { renderTable } from './data-table.js';
import { fixed } from './format.js';

export const RANGES = [
  { key: 'very_high', label: 'Very high > 250' },
  { key: 'high', label: 'High 181–250' },
  { key: 'in_range', label: 'In range 70–180' },
  { key: 'low', label: 'Low 54–69' },
  { key: 'very_low', label: 'Very low < 54' },
];

export function renderTimeInRanges({ bar, targets, table }, stats) {
  const ranges = stats.time_in_ranges;
  bar.replaceChildren(
    ...RANGES.map(({ key, label }) => {
      const segment = document.createElement('div');
      segment.className = `tir-segment tir-${key}`;
      segment.style.flexGrow = String(ranges[key] ?? 0);
      segment.title = `${label}: ${fixed(ranges[key])} %`;
      const text = document.createElement('span');
      text.textContent = `${fixed(ranges[key], 0)} %`;
      segment.append(text);
      return segment;
    }),
  );
  bar.dataset.drawnPoints = String(RANGES.filter(({ key }) => ranges[key] !== null).length);
  targets.replaceChildren(
    ...consensusTargets(stats).map((target) => {
      const item = document.createElement('li');
      item.dataset.target = target.key;
      item.className = target.met === null ? '' : target.met ? 'met' : 'missed';
      const verdict = target.met === null ? 'no data' : target.met ? 'met' : 'not met';
      item.textContent = `${target.label}: ${fixed(target.value)} % (target ${target.target}) — ${verdict}`;
      return item;
    }),
  );
  renderTable(table, {
    name: 'time-in-ranges',
    caption: 'Percent of CGM time in each glucose range (mg/dL)',
    columns: ['Range', 'Percent of time'],
    rows: RANGES.map(({ key, label }) => [label, fixed(ranges[key])]),
  });
}
