// How figures are shown: one decimal, an en dash for "no data".

export const NO_DATA = '–';

export function fixed(value, digits = 1) {
  return value === null || value === undefined || Number.isNaN(value) ? NO_DATA : value.toFixed(digits);
}

/** `YYYY-MM-DD` of an instant on the browser's clock. */
export function localDate(epochMs) {
  const date = new Date(epochMs);
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
