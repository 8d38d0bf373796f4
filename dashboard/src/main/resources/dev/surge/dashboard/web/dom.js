// The page's elements, found by their data-testid, and small writers that touch the DOM only when
// what it shows changes.
import { fmt } from './format.js';

export const byId = (id) => document.querySelector(`[data-testid="${id}"]`);

export function el(tag, cls, content) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  e.textContent = content;
  return e;
}

export function text(id, value) {
  const e = byId(id);
  if (e && e.textContent !== value) e.textContent = value;
}

// A count: shown with thousands separators, the raw number kept in data-value.
export function num(id, value) {
  const e = byId(id);
  if (!e) return;
  e.dataset.value = String(value);
  text(id, fmt(value));
}

export function bar(id, part, whole) {
  byId(id).style.width = `${whole > 0 ? Math.min(100, (100 * part) / whole) : 0}%`;
}
