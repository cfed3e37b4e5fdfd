// A user robot's start on its venue: on futures the leverage set when asked, and the leverage in effect read
// and kept, before start() writes the user robot starting.
#include "trading/user_robots.hpp"
#include "venues/futures_settings.hpp"

namespace tb::trading {

namespace {

Error leverage_refused(int leverage, const std::string& symbol, const Error& why) {
  return Error::about(ErrorKind::Conflict, "leverage",
                      "the exchange did not set leverage " + std::to_string(leverage) + " on " + symbol + ": " + venue_reason(why) +
                          "; the robot was not started");
}

}  // namespace

net::Task<Result<store::UserRobot>> UserRobotService::start_trading(int64_t user_id, int64_t id, std::optional<int> leverage) {
  auto ur = owned(user_id, id);
  if (!ur) co_return ur;
  if (leverage && (*leverage < 1 || *leverage > kMaxLeverage))
    co_return Error::invalid("leverage", "a whole number from 1 to " + std::to_string(kMaxLeverage));
  auto robot = store_.find_robot(ur->robot_id);
  if (!robot || !*robot) co_return Error::make(ErrorKind::Internal, "store: the robot could not be read");
  venues::Venue* venue = venues_ ? venues_((*robot)->venue) : nullptr;
  const bool futures = venue && venues::futures_settings(*venue);
  if (leverage && !futures) co_return Error::invalid("leverage", "only futures accounts have a leverage; this one trades spot");
  if (running(ur->status)) {
    if (leverage) co_return Error::about(ErrorKind::Conflict, "leverage", "it runs already: stop it to start it with another leverage");
    co_return *ur;
  }
  auto account = enabled_account(*ur);
  if (!account) co_return account.error();
  if (futures)
    if (auto st = co_await apply_leverage(*ur, *account, leverage); !st) co_return st.error();
  co_return start(user_id, id);
}

// Sets the leverage when given, else reads it; what the venue then says is in effect is kept. Only a refused
// setting is an error: an unread leverage stays as it was.
net::Task<Status> UserRobotService::apply_leverage(const store::UserRobot& ur, const store::Account& account, std::optional<int> leverage) {
  auto robot = store_.find_robot(ur.robot_id);
  if (!robot || !*robot || !signers_) co_return ok_status();
  venues::FuturesSettings* settings = venues::futures_settings(*venues_((*robot)->venue));
  auto signer = signers_(account);
  if (!signer) co_return leverage ? Status(signer.error()) : ok_status();
  const std::string symbol = (*robot)->symbol;  // named: GCC 12 destroys a co_await's temporaries twice
  Result<venues::SymbolSettings> now = Error::make(ErrorKind::Internal, "not asked");
  if (leverage) now = co_await settings->set_leverage(**signer, symbol, *leverage);
  else now = co_await settings->symbol_settings(**signer, symbol);
  if (!now) co_return leverage ? Status(leverage_refused(*leverage, symbol, now.error())) : ok_status();
  if (auto st = store_.set_user_robot_leverage(ur.id, now->leverage); !st) co_return st;
  co_return ok_status();
}

}  // namespace tb::trading
