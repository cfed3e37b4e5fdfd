// @ts-check
// The start dialog of a user robot: which enabled account of the robot's exchange trades (or ADD NEW KEY +
// when there is none), the volume (the API's error, with the market minimum, shown under it), and the risk
// confirmation that must be ticked before the robot starts. On a futures exchange a leverage (prefilled with
// the one in effect when known) is set on the exchange before the start; empty keeps the exchange's. Following
// a robot creates the user robot, then starts it; starting a stopped one saves a changed volume first. The
// stop dialog asks close or keep.
import { h, uid } from '../dom.js';
import * as accounts from '../accounts.js';
import { exchanges } from '../exchanges.js';
import { field, messageBox, showApiError, whileBusy } from '../ui.js';
import { VOLUME_TYPES, changeVolume, createUserRobot, startUserRobot } from '../user-robots.js';

/**
 * A modal <dialog> added to the page; `close` removes it. Escape cancels.
 * @param {string} title
 * @param {() => void} onCancel
 */
function modal(title, onCancel) {
  const titleId = uid('dlg');
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId }, h('h2', { id: titleId, class: 'dialog__title' }, title));
  dialog.addEventListener('cancel', (e) => {
    e.preventDefault();
    onCancel();
  });
  return { dialog, close: () => { dialog.close(); dialog.remove(); } };
}

/** @param {string} exchange */
function accountChoice(exchange) {
  const enabled = accounts.list().filter((a) => a.status === 'enabled' && a.exchange === exchange);
  const select = h('select', { name: 'account' }, enabled.map((a) => h('option', { value: String(a.id) }, `${a.name} (${a.exchange_name})`)));
  const f = field({ label: 'Account', input: select, hint: 'Only enabled keys of this exchange can trade.' });
  return { f, enabled };
}

/** @param {import('../user-robots.js').Volume | undefined} volume */
function volumeFields(volume) {
  const type = h('select', { name: 'volume_type' }, VOLUME_TYPES.map(([v, label]) => h('option', { value: v, selected: volume?.type === v }, label)));
  const value = h('input', { type: 'text', name: 'volume', inputmode: 'decimal', required: true, autocomplete: 'off', value: volume?.value ?? '' });
  return { type: field({ label: 'Volume type', input: type }), value: field({ label: 'Volume', input: value, hint: 'A decimal number; below the market minimum the server says the minimum.' }) };
}

/**
 * Hidden until the exchange is known to trade futures.
 * @param {string} exchange @param {number | null | undefined} leverage
 */
function leverageField(exchange, leverage) {
  const input = h('input', { type: 'number', name: 'leverage', min: '1', max: '125', step: '1', inputmode: 'numeric', autocomplete: 'off', value: leverage ?? '' });
  const f = field({ label: 'Leverage', input, optional: true, hint: 'Set on the exchange for this market before the robot starts (1–125); empty keeps the leverage set there.' });
  f.wrap.hidden = true;
  exchanges().then((list) => { f.wrap.hidden = !list.find((x) => x.id === exchange)?.permissions?.futures; }).catch(() => {});
  return f;
}

/**
 * @param {{ robot: { id: number, name: string, exchange: string }, userRobot?: import('../user-robots.js').UserRobot }} options
 * @returns {Promise<number | null>} the started user robot's id, or null when cancelled
 */
export function startDialog({ robot, userRobot }) {
  return new Promise((resolve) => {
    let id = userRobot?.id ?? null;
    const m = modal(`Start ${robot.name}`, () => finish(null));
    /** @param {number | null} result */
    function finish(result) {
      m.close();
      resolve(result);
    }
    const choice = userRobot ? null : accountChoice(robot.exchange);
    const volume = volumeFields(userRobot?.volume);
    const leverage = leverageField(robot.exchange, userRobot?.leverage);
    const risk = h('input', { type: 'checkbox', name: 'risk' });
    const box = messageBox();
    const cancel = h('button', { type: 'button', class: 'btn btn--ghost' }, 'Cancel');
    const start = h('button', { type: 'submit', class: 'btn' }, 'Start robot');
    cancel.addEventListener('click', () => finish(null));
    const noAccount = choice && !choice.enabled.length;
    const none = h('p', { class: 'msg msg--warn' }, `No enabled key on ${robot.exchange} yet. Add one, then come back.`);
    if (noAccount) exchanges().then((list) => { none.textContent = `No enabled key on ${list.find((x) => x.id === robot.exchange)?.name ?? robot.exchange} yet. Add one, then come back.`; }).catch(() => {});
    const addKey = h('a', { href: '/profile/keys/new', class: 'btn', on: { click: () => finish(null) } }, 'ADD NEW KEY +');
    const form = h('form', { class: 'form', novalidate: true },
      noAccount ? none : choice?.f.wrap,
      noAccount ? h('p', {}, addKey) : null,
      volume.type.wrap, volume.value.wrap, noAccount ? null : leverage.wrap,
      h('label', { class: 'risk' }, risk, ' I understand that this robot sends real orders on my exchange account and that I can lose money.'),
      box.el,
      h('div', { class: 'dialog__actions' }, cancel, noAccount ? null : start));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      whileBusy(start, 'Starting…', submit);
    });
    async function submit() {
      volume.value.clearError();
      leverage.clearError();
      box.hide();
      if (!risk.checked) return box.show('Tick the risk confirmation to start the robot.');
      const v = { type: /** @type {import('../user-robots.js').VolumeType} */ (volume.type.input.value), value: volume.value.input.value.trim() };
      try {
        if (id === null) id = (await createUserRobot({ robot_id: robot.id, account_id: Number(choice?.f.input.value), volume: v })).id;
        else if (v.type !== userRobot?.volume.type || v.value !== userRobot?.volume.value) await changeVolume(id, v);
        const lev = leverage.wrap.hidden ? '' : leverage.input.value.trim();
        await startUserRobot(id, lev === '' ? null : Number(lev));
        finish(id);
      } catch (err) {
        showApiError(err, { volume: volume.value, account_id: choice?.f ?? volume.value, leverage }, box);
      }
      return undefined;
    }
    m.dialog.append(form);
    document.body.append(m.dialog);
    m.dialog.showModal();
    (noAccount ? addKey : volume.value.input).focus();
  });
}

/**
 * Stop asks what becomes of an open position: closed at market, or kept on the exchange and detached.
 * @param {string} name
 * @returns {Promise<'close' | 'keep' | null>}
 */
export function stopDialog(name) {
  return new Promise((resolve) => {
    const m = modal(`Stop ${name}`, () => finish(null));
    /** @param {'close' | 'keep' | null} result */
    function finish(result) {
      m.close();
      resolve(result);
    }
    const button = (/** @type {string} */ label, /** @type {'close' | 'keep' | null} */ result, /** @type {string} */ cls) => h('button', { type: 'button', class: cls, on: { click: () => finish(result) } }, label);
    const cancel = button('Cancel', null, 'btn btn--ghost');
    m.dialog.append(
      h('p', {}, 'What should happen to the robot\'s open position, if it has one?'),
      h('div', { class: 'dialog__actions' }, cancel, button('Keep the position', 'keep', 'btn'), button('Close the position', 'close', 'btn btn--danger')));
    document.body.append(m.dialog);
    m.dialog.showModal();
    cancel.focus();
  });
}
