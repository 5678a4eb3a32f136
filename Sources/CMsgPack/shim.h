// msgpack-c (Debian libmsgpack-dev, pkg-config name "msgpack", link name "msgpackc").
#include <msgpack.h>
