// Sign in (and the way to register).
import { h, mount } from '../dom.js';
import { signIn } from '../session.js';
import { field, secretInput, whileBusy, messageBox, showApiError, slowNote } from '../ui.js';

export function safeNext(search) {
  const next = new URLSearchParams(search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/signin') && !next.startsWith('/register') ? next : '/portfolio';
}

export default {
  title: 'Sign in',
  render(main, { navigate, afterSignIn, notice }) {
    const email = field({ label: 'Email', input: h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true, inputmode: 'email' }) });
    const password = field({
      label: 'Password',
      input: secretInput({ name: 'password', autocomplete: 'current-password', required: true, class: 'secret__input' }),
    });
    const box = messageBox('error');
    const slow = slowNote();
    const submit = h('button', { type: 'submit', class: 'btn btn--wide' }, 'Sign in');
    const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'signin-title' },
      email.wrap, password.wrap, box.el, slow, submit);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      email.clearError();
      password.clearError();
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
      await whileBusy(submit, 'Signing in…', async () => {
        try {
          await signIn(address, password.input.value);
          password.input.value = '';
          await afterSignIn();
          navigate(safeNext(location.search), { replace: true });
        } catch (err) {
          password.input.value = '';
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
