// @ts-check
// Builds DOM nodes without ever parsing HTML: text goes in as text, so nothing a server or a user sent can
// become markup. Inline styles are refused (the Content-Security-Policy forbids them anyway).

/** @typedef {Node | string | number | boolean | null | undefined | Child[]} Child */
/**
 * Attributes by name, and four special keys: `class` (a string or a list, empty parts dropped), `text`,
 * `on` (event listeners by event name) and `dataset`.
 * @typedef {{ [attribute: string]: unknown, class?: string | (string | null | undefined | false)[],
 *   text?: string, on?: Record<string, (event: any) => void>, dataset?: Record<string, string | number | boolean> }} Props
 */

const PROPERTIES = new Set(['value', 'checked', 'disabled', 'hidden', 'selected', 'required', 'readOnly', 'open', 'multiple']);
let nextId = 0;

/** @param {string} [prefix] */
export function uid(prefix = 'el') {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/**
 * @param {Element} el
 * @param {Child} child
 */
function append(el, child) {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    for (const c of child) append(el, c);
  } else if (child instanceof Node) {
    el.append(child);
  } else {
    el.append(document.createTextNode(String(child)));
  }
}

// h('button', {class: 'btn', type: 'button', on: {click}}, 'Save')
/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Props | null} [props]
 * @param {Child[]} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'style' || key === 'innerHTML') throw new Error(`h(): ${key} is not allowed`);
    if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : String(value);
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'on') for (const [event, fn] of Object.entries(/** @type {Record<string, EventListener>} */ (value))) el.addEventListener(event, fn);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (PROPERTIES.has(key)) Reflect.set(el, key, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/**
 * @template {Element} E
 * @param {E} el
 * @param {Child[]} children
 * @returns {E}
 */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// A span read by screen readers only.
/** @param {string} text */
export function srOnly(text) {
  return h('span', { class: 'sr-only' }, text);
}
