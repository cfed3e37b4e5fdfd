#pragma once
// net: the public face of the module.
#include "net/http.hpp"
#include "net/transport.hpp"
