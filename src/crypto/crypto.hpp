#pragma once
// crypto: the public face of the module.
#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "crypto/secret.hpp"
#include "crypto/signer.hpp"
