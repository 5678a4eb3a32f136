// ZeroMQ: see the issue that builds it.
