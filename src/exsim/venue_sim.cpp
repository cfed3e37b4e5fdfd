#include "exsim/venue_sim.hpp"

namespace tb::exsim {

const std::string* SimRequest::header(std::string_view name) const {
  for (auto& h : headers)
    if (net::iequals(h.name, name)) return &h.value;
  return nullptr;
}

}  // namespace tb::exsim
