// bench/forwarder.c — the baseline every Helpline roundtrip figure stands beside.
//
// A minimal two-hop forwarder on libzmq: clients connect DEALERs to a ROUTER (frontend),
// workers connect DEALERs to a DEALER (backend). A request [client id, frames...] goes out
// of the backend as is, and libzmq deals it round-robin to the connected workers; a reply
// [client id, frames...] comes back and the frontend ROUTER routes it by its first frame.
// No parsing, no state, no copies (frames move as zmq_msg_t), batched reads: the physical
// limit of ZeroMQ on this machine, measured in the same run as the broker.
//
// Usage: bench-forwarder [frontend-endpoint [backend-endpoint]]
// Prints "forwarder frontend <endpoint> backend <endpoint>" once both are bound.
// Runs until killed (SIGTERM, or SIGKILL).

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <zmq.h>

// Messages moved from one socket before the other gets a turn: large enough that a busy
// side is drained in one wake-up (fewer polls), small enough that neither starves.
#define BATCH 4096

// High-water marks as the bench's own sockets use them: queue, do not drop or block.
#define HWM 100000

static void *open_socket(void *context, int type, const char *endpoint) {
    void *socket = zmq_socket(context, type);
    int linger = 0, hwm = HWM;
    zmq_setsockopt(socket, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(socket, ZMQ_SNDHWM, &hwm, sizeof hwm);
    zmq_setsockopt(socket, ZMQ_RCVHWM, &hwm, sizeof hwm);
    if (zmq_bind(socket, endpoint) != 0) {
        fprintf(stderr, "bench-forwarder: bind %s: %s\n", endpoint, zmq_strerror(zmq_errno()));
        exit(1);
    }
    return socket;
}

// Moves up to BATCH whole messages from `from` to `to`. Returns -1 on a fatal error.
static int forward(void *from, void *to, zmq_msg_t *part) {
    for (int moved = 0; moved < BATCH; moved++) {
        if (zmq_msg_recv(part, from, ZMQ_DONTWAIT) == -1) {
            return (zmq_errno() == EAGAIN || zmq_errno() == EINTR) ? 0 : -1;
        }
        // The rest of a multipart message is already here: receive it without waiting.
        for (;;) {
            int more = zmq_msg_more(part);
            if (zmq_msg_send(part, to, more ? ZMQ_SNDMORE : 0) == -1) {
                return -1;
            }
            if (!more) {
                break;
            }
            while (zmq_msg_recv(part, from, 0) == -1) {
                if (zmq_errno() != EINTR) {
                    return -1;
                }
            }
        }
    }
    return 0;
}

int main(int argc, char *argv[]) {
    const char *front_endpoint = argc > 1 ? argv[1] : "tcp://127.0.0.1:*";
    const char *back_endpoint = argc > 2 ? argv[2] : "tcp://127.0.0.1:*";
    void *context = zmq_ctx_new();
    void *frontend = open_socket(context, ZMQ_ROUTER, front_endpoint);
    void *backend = open_socket(context, ZMQ_DEALER, back_endpoint);

    char front[256], back[256];
    size_t size = sizeof front;
    zmq_getsockopt(frontend, ZMQ_LAST_ENDPOINT, front, &size);
    size = sizeof back;
    zmq_getsockopt(backend, ZMQ_LAST_ENDPOINT, back, &size);
    printf("forwarder frontend %s backend %s\n", front, back);
    fflush(stdout);

    zmq_msg_t part;
    zmq_msg_init(&part);
    zmq_pollitem_t items[] = {
        {frontend, 0, ZMQ_POLLIN, 0},
        {backend, 0, ZMQ_POLLIN, 0},
    };
    for (;;) {
        if (zmq_poll(items, 2, -1) == -1) {
            if (zmq_errno() == EINTR) {
                continue;
            }
            break;
        }
        if ((items[0].revents & ZMQ_POLLIN) && forward(frontend, backend, &part) != 0) {
            break;
        }
        if ((items[1].revents & ZMQ_POLLIN) && forward(backend, frontend, &part) != 0) {
            break;
        }
    }
    fprintf(stderr, "bench-forwarder: %s\n", zmq_strerror(zmq_errno()));
    zmq_msg_close(&part);
    zmq_close(frontend);
    zmq_close(backend);
    zmq_ctx_term(context);
    return 1;
}
