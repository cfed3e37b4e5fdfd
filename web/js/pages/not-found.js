// @ts-check
import { h, mount } from '../dom.js';

/** @type {import('../app.js').Page} */
export default {
  title: 'Page not found',
  render(main) {
    mount(main, h('section', { class: 'panel' },
      h('h1', { tabindex: '-1' }, 'Page not found'),
      h('p', {}, 'There is no page at this address. ', h('a', { href: '/portfolio' }, 'Go to your portfolio'), '.')));
  },
};
