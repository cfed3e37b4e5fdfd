// Builds DOM nodes without ever parsing HTML: text goes in as text, so nothing a server or a user sent can
// become markup. Inline styles are refused (the Content-Security-Policy forbids them anyway).

const PROPERTIES = new Set(['value', 'checked', 'disabled', 'hidden', 'selected', 'required', 'readOnly', 'open', 'multiple']);
let nextId = 0;

export function uid(prefix = 'el') {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

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
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'style' || key === 'innerHTML') throw new Error(`h(): ${key} is not allowed`);
    if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'on') for (const [event, fn] of Object.entries(value)) el.addEventListener(event, fn);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (PROPERTIES.has(key)) el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// A span read by screen readers only.
export function srOnly(text) {
  return h('span', { class: 'sr-only' }, text);
}
