// Key metrics with the data sufficiency behind them.
import { sufficiency } from './consensus-targets.js';
import { fixed } from './format.js';

export function renderKeyMetrics(list, note, stats) {
  const enough = sufficiency(stats);
  const figures = [
    ['mean', 'Mean glucose', `${fixed(stats.mean)} mg/dL`],
    ['gmi', 'GMI', stats.gmi === null ? fixed(null) : `${fixed(stats.gmi)} %${enough.sufficient ? '' : ' (insufficient data)'}`],
    ['cv', 'Coefficient of variation', `${fixed(stats.cv)} %`],
    ['sd', 'Standard deviation', `${fixed(stats.sd)} mg/dL`],
    ['sufficiency', 'CGM active', `${fixed(stats.data_sufficiency.percent)} %`],
    ['count', 'Readings', String(stats.count)],
  ];
  list.replaceChildren(
    ...figures.map(([key, label, value]) => {
      const item = document.createElement('div');
      item.dataset.metric = key;
      const term = document.createElement('dt');
      term.textContent = label;
      const definition = document.createElement('dd');
      definition.textContent = value;
      item.append(term, definition);
      return item;
    }),
  );
  note.textContent = enough.sufficient
    ? 'Enough data for the consensus figures: at least 14 days with at least 70 % CGM time.'
    : `Not enough data for GMI and the consensus figures: ${enough.reason}.`;
  note.classList.toggle('warning', !enough.sufficient);
}
