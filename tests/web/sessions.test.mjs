// Profile → Sessions and Change password in Chromium: two browsers signed in as one user; "Sign out
// everywhere else" in one brings the other to the sign-in page by itself (its events stream says
// session.ended), and a password change says which field is wrong, then works with the new password.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatform, launchBrowser, openPage, register, signIn, shot, PASSWORD } from './browser.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('sign out everywhere else ends the other browser at once; change password names the wrong field', async (t) => {
  const platform = await startPlatform();
  const a = await openPage(browser, platform.url);
  const b = await openPage(browser, platform.url);
  t.after(async () => {
    await a.context.close();
    await b.context.close();
    await platform.stop();
  });
  const { email } = await register(a.page);
  const sessions = a.page.locator('#sessions');
  await sessions.locator('li.session').first().waitFor();
  assert.equal(await sessions.locator('li.session').count(), 1);
  assert.match(await sessions.locator('li.session').innerText(), /this browser/);
  assert.equal(await a.page.getByRole('button', { name: 'End all other sessions' }).isDisabled(), true);

  await b.page.goto('/signin');
  await signIn(b.page, email);
  await b.page.waitForURL('**/portfolio');
  await b.page.locator('.live[data-state="open"]').or(b.page.getByRole('heading', { name: 'Portfolio', level: 1 })).first().waitFor();

  await a.page.reload();
  await sessions.locator('li.session').nth(1).waitFor();
  assert.equal(await sessions.locator('li.session[data-current="true"]').count(), 1);
  await shot(a.page, 'profile-sessions');
  await a.page.getByRole('button', { name: 'End all other sessions' }).click();
  await a.page.getByText('Signed out 1 other session.').waitFor();
  await b.page.getByText('Your session has ended. Sign in again.').waitFor({ timeout: 8000 });
  assert.equal(new URL(b.page.url()).pathname, '/signin');
  assert.equal(await sessions.locator('li.session').count(), 1);

  const form = a.page.locator('#change-password');
  await form.getByLabel('Current password').fill('not my password at all');
  await form.getByLabel('New password').fill('a brand new passphrase');
  await form.getByRole('button', { name: 'Change password' }).click();
  await form.getByText('That is not your current password').waitFor();
  assert.equal(await form.getByLabel('Current password').getAttribute('aria-invalid'), 'true');
  await form.getByLabel('Current password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Change password' }).click();
  await form.getByText('Password changed.').waitFor();
  assert.equal(await form.getByLabel('New password').inputValue(), '', 'the form is cleared');

  await signIn(b.page, email, PASSWORD);
  await b.page.getByText('Wrong email or password.').waitFor();
  await signIn(b.page, email, 'a brand new passphrase');
  await b.page.waitForURL('**/portfolio');
  assert.deepEqual(a.rec.csp, []);
  assert.deepEqual(a.rec.pageErrors, []);
  assert.deepEqual(b.rec.pageErrors, []);
});
