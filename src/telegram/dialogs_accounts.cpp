// The step on an exchange account's own screen that waits for text: its new name (Step::Rename). The
// account's buttons (callbacks.cpp) start it.
#include "accounts/account_view.hpp"
#include "telegram/bot_impl.hpp"
#include "telegram/dialog_text.hpp"

namespace tb::telegram {

// Step::Rename
Turn Bot::Impl::on_name(const Conversation& c, std::string text) {
  Turn t{c.dialog};
  const accounts::Actor actor{c.link->user_id, "", "telegram", c.from.id};
  if (looks_like_key(text)) {  // a key pasted into the wrong step must not become a name on every screen
    t.delete_message = true;
    t.screens.push_back(ask_name_again(t.next.gen, "That looks like an API key or secret, not a name, so I deleted it."));
    return t;
  }
  auto r = d.accounts.rename(actor, t.next.account_id, trim(text));
  if (!r) {
    if (r.error().kind == ErrorKind::NotFound) {
      t.next.reset(d.clock.now_ms());
      t.screens.push_back(with_menu_keyboard(plain("This exchange account no longer exists.")));
      return t;
    }
    t.screens.push_back(ask_name_again(t.next.gen, without_field(r.error())));
    return t;
  }
  t.next.reset(d.clock.now_ms());
  Screen s = account(*r);
  s.text = "✅ Renamed.\n\n" + s.text;
  t.screens.push_back(s);
  return t;
}

}  // namespace tb::telegram
