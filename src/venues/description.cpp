#include "venues/description.hpp"

namespace tb::venues {

std::string_view to_string(Alphabet a) { return a == Alphabet::Alnum ? "letters and digits" : "base64"; }

}  // namespace tb::venues
