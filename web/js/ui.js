// @ts-check
// Form parts shared by the pages: labelled fields with hints and errors, a secret input that can be
// revealed, buttons that cannot submit twice, a confirmation dialog, and message boxes.
import { h, uid, mount } from './dom.js';
import { ApiError } from './api.js';

/** @typedef {HTMLInputElement | HTMLSelectElement} FieldInput */
/**
 * @template {FieldInput} [I=HTMLInputElement]
 * @typedef {{ wrap: HTMLDivElement, input: I, hintEl: HTMLParagraphElement | null,
 *   setError(message: string): void, clearError(): void }} Field
 */
/** @typedef {{ setError(message: string): void, input: { focus(): void } }} ErrorTarget */
/**
 * @typedef {{ el: HTMLDivElement, show(text: string, extra?: import('./dom.js').Child, nextKind?: string): void,
 *   hide(): void }} MessageBox
 */

// A labelled input. Returns {wrap, input, setError(msg), clearError()}.
/**
 * @template {FieldInput} I
 * @param {{ label: string, input: I, hint?: string | null, optional?: boolean }} options
 * @returns {Field<I>}
 */
export function field({ label, input, hint = null, optional = false }) {
  const id = input.id || uid('f');
  input.id = id;
  const hintEl = hint !== null ? h('p', { class: 'field__hint', id: `${id}-hint` }, hint) : null;
  const errorEl = h('p', { class: 'field__error', id: `${id}-error`, hidden: true });
  const described = [hintEl ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' ');
  input.setAttribute('aria-describedby', described);
  const labelEl = h('label', { for: id, class: 'field__label' }, label, optional ? h('span', { class: 'field__optional' }, ' (optional)') : null);
  const control = input.closest('.secret') ?? input; // a secret input comes inside its Show/Hide wrapper
  const wrap = h('div', { class: 'field' }, labelEl, control, hintEl, errorEl);
  return {
    wrap,
    input,
    hintEl,
    setError(message) {
      errorEl.textContent = message;
      errorEl.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      wrap.classList.add('field--invalid');
    },
    clearError() {
      errorEl.textContent = '';
      errorEl.hidden = true;
      input.removeAttribute('aria-invalid');
      wrap.classList.remove('field--invalid');
    },
  };
}

// A password input with a Show/Hide button. Returns the input; its wrapper is input.closest('.secret').
/** @param {import('./dom.js').Props} [props] */
export function secretInput(props = {}) {
  const input = h('input', {
    type: 'password',
    class: 'secret__input',
    autocomplete: 'off',
    autocapitalize: 'off',
    spellcheck: 'false',
    'data-lpignore': 'true',
    ...props,
  });
  const toggle = h('button', { type: 'button', class: 'btn btn--ghost secret__toggle', 'aria-pressed': 'false' }, 'Show');
  toggle.addEventListener('click', () => {
    const show = input.type === 'password';
    input.type = show ? 'text' : 'password';
    toggle.textContent = show ? 'Hide' : 'Show';
    toggle.setAttribute('aria-pressed', String(show));
    toggle.setAttribute('aria-label', show ? 'Hide the secret' : 'Show the secret');
  });
  toggle.setAttribute('aria-label', 'Show the secret');
  h('div', { class: 'secret' }, input, toggle);
  // The secret goes back to hidden whenever it is cleared.
  input.addEventListener('tb-cleared', () => {
    input.type = 'password';
    toggle.textContent = 'Show';
    toggle.setAttribute('aria-pressed', 'false');
    toggle.setAttribute('aria-label', 'Show the secret');
  });
  return input;
}

/** @param {HTMLInputElement} input */
export function clearSecret(input) {
  input.value = '';
  input.dispatchEvent(new Event('tb-cleared'));
}

// Runs fn with the button disabled and relabelled; a second press while it runs does nothing. After a few
// seconds `slowEl` (if given) says the server is slow.
/** @type {WeakSet<HTMLButtonElement>} */
const running = new WeakSet();
/**
 * @template T
 * @param {HTMLButtonElement} button
 * @param {string} busyLabel
 * @param {() => Promise<T>} fn
 * @param {HTMLElement | null} [slowEl]
 * @returns {Promise<T | undefined>}
 */
export async function whileBusy(button, busyLabel, fn, slowEl = null) {
  if (running.has(button)) return undefined;
  running.add(button);
  const label = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = busyLabel;
  const slow = setTimeout(() => {
    if (slowEl) {
      slowEl.textContent = 'The server is slow to answer; still waiting…';
      slowEl.hidden = false;
    }
  }, 3000);
  try {
    return await fn();
  } finally {
    clearTimeout(slow);
    if (slowEl) {
      slowEl.textContent = '';
      slowEl.hidden = true;
    }
    running.delete(button);
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = label;
  }
}

export function slowNote() {
  return h('p', { class: 'slow-note', role: 'status', hidden: true });
}

// A message box: kind is error | ok | info | warn. Errors are announced at once.
/**
 * @param {string} [kind]
 * @returns {MessageBox}
 */
export function messageBox(kind = 'error') {
  const el = h('div', { class: `msg msg--${kind}`, hidden: true, role: kind === 'error' ? 'alert' : 'status' });
  return {
    el,
    show(text, extra = null, nextKind = kind) {
      el.className = `msg msg--${nextKind}`;
      mount(el, h('p', {}, text), extra);
      el.hidden = false;
    },
    hide() {
      el.hidden = true;
      el.replaceChildren();
    },
  };
}

// A modal confirmation (native <dialog>: focus is trapped, Escape cancels). Resolves true or false.
/**
 * @param {{ title: string, body: string, confirmLabel: string, danger?: boolean }} options
 * @returns {Promise<boolean>}
 */
export function confirmDialog({ title, body, confirmLabel, danger = true }) {
  return new Promise((resolve) => {
    const titleId = uid('dlg');
    const cancel = h('button', { type: 'button', class: 'btn btn--ghost', value: 'cancel' }, 'Cancel');
    const confirm = h('button', { type: 'button', class: danger ? 'btn btn--danger' : 'btn', value: 'confirm' }, confirmLabel);
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId },
      h('h2', { id: titleId, class: 'dialog__title' }, title),
      h('p', {}, body),
      h('div', { class: 'dialog__actions' }, cancel, confirm));
    let answered = false;
    /** @param {boolean} yes */
    const finish = (yes) => {
      if (answered) return;
      answered = true;
      dialog.close();
      dialog.remove();
      resolve(yes);
    };
    cancel.addEventListener('click', () => finish(false));
    confirm.addEventListener('click', () => finish(true));
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      finish(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

// Sends an error of the API to the field it names, or to the box; returns whether a field took it. Any
// other error (a bug of the page) goes to the box with its message.
/**
 * @param {unknown} error
 * @param {Record<string, ErrorTarget>} fields
 * @param {MessageBox | null} [box]
 */
export function showApiError(error, fields, box) {
  const e = error instanceof ApiError ? error : null;
  const f = e?.field ? fields[e.field] : undefined;
  if (e && f) {
    f.setError(e.plain);
    f.input.focus();
    box?.hide();
    return true;
  }
  let text = error instanceof Error ? error.message : String(error);
  if (e?.retryAfter && e.status === 429 && !/try again/i.test(text)) text += ` (try again in ${e.retryAfter} s)`;
  box?.show(text.charAt(0).toUpperCase() + text.slice(1));
  return false;
}
