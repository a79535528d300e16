/** A child of h(): elements, or values shown as text (never parsed as HTML); null/undefined/false are skipped. */
export type Child = Node | string | number | null | undefined | false;

/** Properties h() sets: a class, attributes (never event handlers), dataset entries and listeners. */
export interface Props {
  class?: string;
  attrs?: Record<string, string>;
  data?: Record<string, string>;
  on?: Partial<Record<keyof HTMLElementEventMap, (e: Event) => void>>;
  title?: string;
}

/**
 * Make an element: all text goes in as text nodes, so record values can never become markup.
 * @example h('td', { class: 'num' }, count)
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.title) el.title = props.title;
  for (const [k, v] of Object.entries(props.attrs ?? {})) {
    if (/^on/i.test(k)) throw new Error(`h(): event handler attributes are not allowed (${k})`);
    el.setAttribute(k, v);
  }
  for (const [k, v] of Object.entries(props.data ?? {})) el.dataset[k] = v;
  for (const [k, fn] of Object.entries(props.on ?? {})) el.addEventListener(k, fn as EventListener);
  append(el, ...children);
  return el;
}

/** Append children (text as text nodes). */
export function append(el: Element, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Replace an element's children. */
export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, ...children);
}

/** The element with this id (it must exist). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing`);
  return el as T;
}
