/**
 * The only way the viewer makes elements: text goes in through `textContent`, never as HTML, so chain- and
 * label-supplied strings (label names, NEM messages, addresses) can never become markup.
 * @example el('td', { class: 'amount' }, '1,000 XEM')
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

/** Replaces an element's children. */
export function fill(parent: Element, ...children: (Node | string)[]): void {
  parent.replaceChildren(...children.map((c) => (typeof c === 'string' ? document.createTextNode(c) : c)));
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`#${id} missing from index.html`);
  return e as T;
}
