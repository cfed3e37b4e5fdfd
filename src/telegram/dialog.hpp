#pragma once
// Where a chat's conversation stands, kept in the store (telegram_links.dialog) so a restart mid-dialog
// picks it up. It never holds a secret: an API key typed in the chat waits for its secret in memory only,
// and a restart asks for it again. `gen` grows whenever a step starts; buttons of a step carry it, so a
// button of an earlier step is recognised as stale.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tb::telegram {

enum class Step {
  Idle,
  PickExchange,   // the exchange picker is shown
  AwaitKey,       // waiting for the API key (of a new account, or to replace account_id's)
  AwaitSecret,    // waiting for the API secret
  AwaitCode,      // two-factor is on: waiting for a current code; the key pair waits in memory
  Checking,       // the key test runs; message_id is the message edited as its steps pass
  Rename,         // waiting for a new name of account_id
  ConfirmDelete,  // asked whether to delete account_id
  PickAccount,    // following robot_id: the account picker is shown
  PickVolume,     // the volume type picker (robot_id and account_id: a new user robot; user_robot_id: a change)
  AwaitAmount,    // waiting for the amount of volume_type
  ConfirmStart,   // asked to confirm the risk of starting user_robot_id
  ConfirmStop,    // asked whether stopping user_robot_id closes or keeps its position
  ConfirmRemove,  // asked whether to delete user_robot_id
};
inline constexpr size_t kStepCount = static_cast<size_t>(Step::ConfirmRemove) + 1;

std::string_view to_string(Step s);

struct Dialog {
  Step step = Step::Idle;
  int64_t gen = 0;
  std::string exchange;       // venue id
  int64_t account_id = 0;     // replacing keys, renaming, deleting, checking
  bool replace = false;       // AwaitKey/AwaitSecret: new keys for account_id rather than a new account
  int64_t message_id = 0;     // Checking: the progress message
  std::string masked_key;     // AwaitSecret, AwaitCode: the key received, masked
  int64_t since_ms = 0;       // when the step started
  int64_t robot_id = 0;       // PickAccount, PickVolume, AwaitAmount: the robot to follow
  int64_t user_robot_id = 0;  // a user robot being changed, started, stopped or deleted
  int volume_type = 0;        // AwaitAmount: store::VolumeType as a number
  bool notices_off = false;   // ⚙️ Settings: robot notifications (trades, pauses, foreign orders) not sent; kept by reset

  // Starts `next`, invalidating the buttons of the step before.
  void begin(Step next, int64_t now_ms);
  // Back to Idle (a new generation too: no button of the dialog works any more).
  void reset(int64_t now_ms);

  std::string to_json() const;
  // An unreadable or unknown state reads as Idle (with its generation kept when readable): a state written
  // by another version never crashes the bot.
  static Dialog from_json(std::string_view text);
};

}  // namespace tb::telegram
