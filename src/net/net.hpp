#pragma once
// net: the public face of the module.
#include "net/asio_sleeper.hpp"
#include "net/http.hpp"
#include "net/http_client.hpp"
#include "net/http_server.hpp"
#include "net/response_stream.hpp"
#include "net/transport.hpp"
