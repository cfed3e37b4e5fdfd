// @ts-check
// Profile → Two-factor authentication: turn it on (a QR code and the secret for the authenticator app,
// then a first code; ten recovery codes shown once), turn it off, or get new recovery codes. The QR code is
// drawn here from the otpauth:// URI (qrcode-generator, served from this origin): the secret goes to no one.
import { h, mount } from '../dom.js';
import { get, post } from '../api.js';
import { paths } from '../api-paths.js';
import { whileBusy, messageBox, showApiError } from '../ui.js';
import { codeField, readCode, setTwoFactor } from '../two-factor.js';

/** @typedef {import('../two-factor.js').TwoFactorStatus} TwoFactorStatus */
/** POST /auth/2fa/enable and /auth/2fa/recovery-codes. @typedef {{ recovery_codes: string[] }} RecoveryCodes */

/** @type {Promise<QRCodeFactory> | null} */
let qrModule = null;

/** @param {string} text */
async function qrCanvas(text) {
  qrModule ??= import('/vendor/qrcode.mjs').then((m) => m.default);
  const qrcode = await qrModule;
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const n = qr.getModuleCount();
  const scale = 5;
  const quiet = 4;  // the standard's blank border, in modules
  const canvas = h('canvas', { class: 'qr', width: String((n + 2 * quiet) * scale), height: String((n + 2 * quiet) * scale), role: 'img', 'aria-label': 'QR code for your authenticator app' });
  const g = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  g.fillStyle = '#fff';
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.fillStyle = '#000';
  for (let r = 0; r < n; r += 1) {
    for (let c = 0; c < n; c += 1) if (qr.isDark(r, c)) g.fillRect((c + quiet) * scale, (r + quiet) * scale, scale, scale);
  }
  return canvas;
}

/** @param {string[]} codes */
function recoveryList(codes) {
  return h('div', { class: 'recovery' },
    h('p', {}, h('strong', {}, 'Save these recovery codes now.'),
      ' Each signs you in once if you lose your phone. They are shown only this once.'),
    h('ol', { class: 'recovery__codes', 'aria-label': 'Recovery codes' }, codes.map((c) => h('li', {}, h('code', {}, c)))));
}

export function twoFactorSection() {
  const body = h('div', {});
  const box = messageBox('error');
  const section = h('section', { class: 'panel', 'aria-labelledby': 'tfa-title', id: 'two-factor' },
    h('h2', { id: 'tfa-title' }, 'Two-factor authentication'), box.el, body);

  /**
   * @param {TwoFactorStatus} state
   * @param {HTMLElement | null} [extra]
   */
  function show(state, extra = null) {
    setTwoFactor(state.enabled);
    box.hide();
    if (state.enabled) mount(body, onView(state), extra);
    else mount(body, offView(), extra);
  }

  function load() {
    /** @type {Promise<TwoFactorStatus>} */ (get(paths.twoFactor)).then((s) => show(s)).catch((e) => box.show(`Could not load two-factor authentication: ${e.message}`));
  }

  function offView() {
    const start = h('button', { type: 'button', class: 'btn', id: 'tfa-start' }, 'Turn on');
    start.addEventListener('click', () => whileBusy(start, 'Preparing…', async () => {
      box.hide();
      try {
        /** @type {{ secret: string, otpauth_uri: string }} */
        const s = await post(paths.twoFactorSetup);
        mount(body, await setupView(s));
      } catch (e) {
        showApiError(e, {}, box);
      }
    }));
    return h('div', {},
      h('p', { class: 'status-line' }, h('span', { class: 'badge badge--disabled', 'data-tfa': 'off' }, 'Off')),
      h('p', { class: 'muted' }, 'With it on, signing in, adding or replacing exchange keys and linking Telegram also ask for a code from an authenticator app on your phone.'),
      start);
  }

  /** @param {{ secret: string, otpauth_uri: string }} s */
  async function setupView(s) {
    const code = codeField({ label: 'Code from the app', hint: 'Scan the QR code (or type the secret) in your authenticator app, then type the 6 digits it shows.' });
    const confirm = h('button', { type: 'submit', class: 'btn' }, 'Confirm and turn on');
    const cancel = h('button', { type: 'button', class: 'btn btn--ghost', on: { click: load } }, 'Cancel');
    const form = h('form', { class: 'form', novalidate: true, id: 'tfa-enable' }, code.wrap, h('div', { class: 'form__actions' }, confirm, cancel));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      code.clearError();
      const typed = readCode(code);
      if (!typed) return;
      whileBusy(confirm, 'Checking…', async () => {
        try {
          /** @type {RecoveryCodes} */
          const r = await post(paths.twoFactorEnable, { totp_code: typed });
          show({ enabled: true, recovery_codes_left: r.recovery_codes.length }, recoveryList(r.recovery_codes));
        } catch (err) {
          code.input.value = '';
          showApiError(err, { totp_code: code }, box);
        }
      });
    });
    return h('div', { class: 'tfa-setup' },
      await qrCanvas(s.otpauth_uri),
      h('p', {}, 'Secret: ', h('code', { class: 'tfa-secret' }, s.secret.replace(/(.{4})/g, '$1 ').trim())),
      form);
  }

  /** @param {TwoFactorStatus} state */
  function onView(state) {
    const code = codeField();
    const off = h('button', { type: 'button', class: 'btn btn--ghost', id: 'tfa-off' }, 'Turn off');
    const renew = h('button', { type: 'button', class: 'btn btn--ghost', id: 'tfa-renew' }, 'New recovery codes');
    /**
     * @template T
     * @param {HTMLButtonElement} button
     * @param {string} label
     * @param {string} path
     * @param {(answer: T) => void} after
     */
    const act = (button, label, path, after) => button.addEventListener('click', () => {
      code.clearError();
      const typed = readCode(code);
      if (!typed) return;
      whileBusy(button, label, async () => {
        try {
          after(await post(path, { totp_code: typed }));
        } catch (err) {
          code.input.value = '';
          showApiError(err, { totp_code: code }, box);
        }
      });
    });
    act(off, 'Turning off…', paths.twoFactorDisable, () => show({ enabled: false }));
    act(renew, 'Renewing…', paths.recoveryCodes, (/** @type {RecoveryCodes} */ r) => show({ enabled: true, recovery_codes_left: r.recovery_codes.length }, recoveryList(r.recovery_codes)));
    const left = state.recovery_codes_left ?? 0;
    return h('div', {},
      h('p', { class: 'status-line' }, h('span', { class: 'badge badge--enabled', 'data-tfa': 'on' }, 'On'),
        h('span', { class: 'muted' }, ` · ${left} recovery code${left === 1 ? '' : 's'} left`)),
      h('p', { class: 'muted' }, 'To turn it off or get new recovery codes, type a current code.'),
      code.wrap, h('div', { class: 'form__actions' }, off, renew));
  }

  load();
  return section;
}
