#pragma once
// Many key tests (serve) or many clients (exsim) at once each hold a socket: both raise the soft limit on
// open files to the hard one at start (often 1,024 soft against 500,000+ hard).
namespace tb::app {

void raise_open_files_limit();

}  // namespace tb::app
