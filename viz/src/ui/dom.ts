// Small DOM helpers. Scenario data only ever reaches the page through textContent (d3's .text()),
// never through innerHTML, so names with markup stay text.
import { select, type Selection } from 'd3-selection';

export type Sel<E extends Element = HTMLElement> = Selection<E, unknown, null, undefined>;

/** Appends `<tag class=cls>text</tag>` to a parent. */
export function add<K extends keyof HTMLElementTagNameMap, P extends Element>(parent: Sel<P>, tag: K, cls?: string, text?: string): Sel<HTMLElementTagNameMap[K]> {
  const el = parent.append(tag) as unknown as Sel<HTMLElementTagNameMap[K]>;
  if (cls) el.attr('class', cls);
  if (text !== undefined) el.text(text);
  return el;
}

export function byId(id: string): Sel {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return select(el);
}

/** `1.234 ms`, `12.3 ms`, `1.2 s`. */
export function ms(x: number): string {
  if (!Number.isFinite(x)) return '–';
  if (x >= 1000) return `${(x / 1000).toFixed(2)} s`;
  if (x >= 100) return `${x.toFixed(0)} ms`;
  if (x >= 10) return `${x.toFixed(1)} ms`;
  return `${x.toFixed(x < 1 ? 3 : 2)} ms`;
}

export function pct(x: number): string {
  return `${(x * 100).toFixed(x < 0.01 ? 2 : 1)}%`;
}

/** A panel with a heading; returns its body. */
export function panel<P extends Element>(parent: Sel<P>, title: string, id?: string): Sel<HTMLDivElement> {
  const p = add(parent, 'section', 'panel');
  if (id) p.attr('id', id);
  add(p, 'h2', undefined, title);
  return add(p, 'div', 'panel-body');
}
