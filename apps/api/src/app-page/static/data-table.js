// The table view of a chart: the same figures the chart draws, for screen readers and for checking.

/**
 * Replaces `container`'s content with a table.
 * @param {HTMLElement} container
 * @param {{ caption: string, columns: string[], rows: (string | number)[][], name: string }} table
 */
export function renderTable(container, { caption, columns, rows, name }) {
  const table = document.createElement('table');
  table.dataset.table = name;
  table.createCaption().textContent = caption;
  const head = table.createTHead().insertRow();
  for (const column of columns) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = column;
    head.append(th);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    row.forEach((cell, index) => {
      const element = document.createElement(index === 0 ? 'th' : 'td');
      if (index === 0) element.scope = 'row';
      element.textContent = String(cell);
      tr.append(element);
    });
  }
  container.replaceChildren(table);
}
