// System headers helpline-bench needs that Glibc's Swift module does not expose.
// timerfd: the paced load client wakes at sub-millisecond send times (zmq_poll counts in ms).
#include <sys/timerfd.h>
// mallinfo2: the dispatch scenario counts heap bytes per waiting ticket and per worker.
#include <malloc.h>
