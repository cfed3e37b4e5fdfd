// @ts-check
// Sign in (and the way to register).
import { h, mount } from '../dom.js';
import { signIn } from '../session.js';
import { field, secretInput, whileBusy, messageBox, showApiError, slowNote } from '../ui.js';
import { codeField, readCode } from '../two-factor.js';

/** @param {string} search */
export function safeNext(search) {
  const next = new URLSearchParams(search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/signin') && !next.startsWith('/register') ? next : '/portfolio';
}

/** @type {import('../app.js').Page} */
export default {
  title: 'Sign in',
  render(main, { navigate, afterSignIn, notice }) {
    const email = field({ label: 'Email', input: h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true, inputmode: 'email' }) });
    const password = field({
      label: 'Password',
      input: secretInput({ name: 'password', autocomplete: 'current-password', required: true, class: 'secret__input' }),
    });
    // Shown once the server says two-factor authentication is on (after the right password).
    const code = codeField();
    code.wrap.hidden = true;
    const box = messageBox('error');
    const slow = slowNote();
    const submit = h('button', { type: 'submit', class: 'btn btn--wide' }, 'Sign in');
    const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'signin-title' },
      email.wrap, password.wrap, code.wrap, box.el, slow, submit);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      email.clearError();
      password.clearError();
      code.clearError();
      box.hide();
      const address = email.input.value.trim();
      if (!address) {
        email.setError('Type your email address.');
        email.input.focus();
        return;
      }
      if (!password.input.value) {
        password.setError('Type your password.');
        password.input.focus();
        return;
      }
      let totp = null;
      if (!code.wrap.hidden) {
        totp = readCode(code);
        if (!totp) return;
      }
      await whileBusy(submit, 'Signing in…', async () => {
        try {
          await signIn(address, password.input.value, totp);
          password.input.value = '';
          code.input.value = '';
          await afterSignIn();
          navigate(safeNext(location.search), { replace: true });
        } catch (err) {
          code.input.value = '';
          if (err.code === 'totp_required') {
            // The password was right: keep it for the second try and ask for the code.
            const first = code.wrap.hidden;
            code.wrap.hidden = false;
            if (!first) code.setError(err.plain);
            code.input.focus();
            return;
          }
          password.input.value = '';
          code.wrap.hidden = true;
          if (err.status === 401) box.show('Wrong email or password.');
          else showApiError(err, { email }, box);
          password.input.focus();
        }
      }, slow);
    });
    const info = notice ? h('div', { class: 'msg msg--info', role: 'status' }, h('p', {}, notice)) : null;
    mount(main, h('section', { class: 'auth-card' },
      h('h1', { id: 'signin-title' }, 'Sign in'),
      h('p', { class: 'muted' }, 'Your trading robots, exchange keys and portfolio.'),
      info, form,
      h('p', { class: 'auth-card__alt' }, 'New here? ', h('a', { href: '/register' }, 'Create an account'))));
  },
};
