// @ts-check
// Create an account, then sign in with it.
import { h, mount } from '../dom.js';
import { api } from '../api.js';
import { paths } from '../api-paths.js';
import { signIn } from '../session.js';
import { field, secretInput, whileBusy, messageBox, showApiError, slowNote } from '../ui.js';

const MIN_PASSWORD = 10;

/** @type {import('../app.js').Page} */
export default {
  title: 'Create an account',
  render(main, { navigate, afterSignIn }) {
    const email = field({ label: 'Email', input: h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true, inputmode: 'email' }) });
    const password = field({
      label: 'Password',
      input: secretInput({ name: 'password', autocomplete: 'new-password', required: true, minlength: String(MIN_PASSWORD), class: 'secret__input' }),
      hint: `At least ${MIN_PASSWORD} characters. A passphrase of a few words is easy to remember and hard to guess.`,
    });
    const box = messageBox('error');
    const slow = slowNote();
    const submit = h('button', { type: 'submit', class: 'btn btn--wide' }, 'Create account');
    const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'register-title' }, email.wrap, password.wrap, box.el, slow, submit);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      email.clearError();
      password.clearError();
      box.hide();
      const address = email.input.value.trim();
      const pw = password.input.value;
      if (!address || !address.includes('@')) {
        email.setError('Type a valid email address.');
        email.input.focus();
        return;
      }
      if (pw.length < MIN_PASSWORD) {
        password.setError(`The password needs at least ${MIN_PASSWORD} characters.`);
        password.input.focus();
        return;
      }
      await whileBusy(submit, 'Creating…', async () => {
        try {
          await api('POST', paths.register, { email: address, password: pw });
        } catch (err) {
          if (err.status === 409) {
            box.show('An account with this email already exists.', h('p', {}, h('a', { href: '/signin' }, 'Sign in instead')));
          } else {
            showApiError(err, { email, password }, box);
          }
          return;
        }
        try {
          await signIn(address, pw);
          password.input.value = '';
          await afterSignIn();
          navigate('/profile', { replace: true });
        } catch (err) {
          box.show(`Your account was created, but signing in failed: ${err.message}`, h('p', {}, h('a', { href: '/signin' }, 'Sign in')));
        }
      }, slow);
    });
    mount(main, h('section', { class: 'auth-card' },
      h('h1', { id: 'register-title' }, 'Create an account'),
      h('p', { class: 'muted' }, 'Connect your exchange keys, follow your portfolio, run trading robots.'),
      form,
      h('p', { class: 'auth-card__alt' }, 'Already registered? ', h('a', { href: '/signin' }, 'Sign in'))));
  },
};
