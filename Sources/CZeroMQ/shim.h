// libzmq, imported without pkg-config: Debian's libzmq.pc carries Requires.private
// flags (-isystem) that SwiftPM rejects with a warning.
#include <zmq.h>
// Glibc's Swift module does not expose eventfd; the poll loop uses one to be woken.
#include <sys/eventfd.h>
