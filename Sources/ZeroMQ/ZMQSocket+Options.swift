import CZeroMQ

extension ZMQSocket {
    // MARK: Raw options

    /// Sets an `int` option by its libzmq number.
    public func setOption(_ option: Int32, _ value: Int32) throws(ZMQError) {
        var value = value
        try write(option, &value, MemoryLayout<Int32>.size, "option \(option)")
    }

    /// Sets an `int64_t` option (`ZMQ_MAXMSGSIZE`, `ZMQ_AFFINITY`) by its libzmq number.
    public func setOption(_ option: Int32, int64 value: Int64) throws(ZMQError) {
        var value = value
        try write(option, &value, MemoryLayout<Int64>.size, "option \(option)")
    }

    /// Sets a binary option (routing id, subscription, binary curve key) by its number.
    public func setOption(_ option: Int32, bytes: [UInt8]) throws(ZMQError) {
        let rc = bytes.withUnsafeBytes { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
        if rc != 0 { throw ZMQError.last("zmq_setsockopt option \(option)") }
    }

    /// Reads an `int` option by its libzmq number.
    public func intOption(_ option: Int32) throws(ZMQError) -> Int32 {
        try readInt32(option, "option \(option)")
    }

    /// Reads an `int64_t` option by its libzmq number.
    public func int64Option(_ option: Int32) throws(ZMQError) -> Int64 {
        var value: Int64 = 0
        var size = MemoryLayout<Int64>.size
        if zmq_getsockopt(handle, option, &value, &size) != 0 {
            throw ZMQError.last("zmq_getsockopt option \(option)")
        }
        return value
    }

    /// Reads a binary option by its libzmq number, into a buffer of `capacity` bytes.
    public func bytesOption(_ option: Int32, capacity: Int = 256) throws(ZMQError) -> [UInt8] {
        try readBytes(option, capacity, "option \(option)")
    }

    // MARK: Typed options

    /// Sets an `int` option: `try socket.setOption(.sendHighWaterMark, 10_000)`.
    public func setOption(_ option: ZMQSocketOption<Int32>, _ value: Int32) throws(ZMQError) {
        var value = value
        try write(option.rawValue, &value, MemoryLayout<Int32>.size, option.name)
    }

    /// Sets an `int64_t` option: `try socket.setOption(.maxMessageSize, 1 << 20)`.
    public func setOption(_ option: ZMQSocketOption<Int64>, _ value: Int64) throws(ZMQError) {
        var value = value
        try write(option.rawValue, &value, MemoryLayout<Int64>.size, option.name)
    }

    /// Sets a flag option: `try socket.setOption(.routerMandatory, true)`.
    public func setOption(_ option: ZMQSocketOption<Bool>, _ value: Bool) throws(ZMQError) {
        var value: Int32 = value ? 1 : 0
        try write(option.rawValue, &value, MemoryLayout<Int32>.size, option.name)
    }

    /// Sets a binary option: `try socket.setOption(.routingID, Array("worker-1".utf8))`.
    public func setOption(_ option: ZMQSocketOption<[UInt8]>, _ value: [UInt8]) throws(ZMQError) {
        let rc = value.withUnsafeBytes {
            zmq_setsockopt(handle, option.rawValue, $0.baseAddress, $0.count)
        }
        if rc != 0 { throw ZMQError.last("zmq_setsockopt \(option.name)") }
    }

    /// Sets a text option, passed as its UTF-8 bytes without a terminator (libzmq reads
    /// a 40-byte curve key as Z85).
    public func setOption(_ option: ZMQSocketOption<String>, _ value: String) throws(ZMQError) {
        try setOption(ZMQSocketOption<[UInt8]>(option.rawValue, name: option.name), Array(value.utf8))
    }

    /// Reads an `int` option: `try socket.option(.linger)`.
    public func option(_ option: ZMQSocketOption<Int32>) throws(ZMQError) -> Int32 {
        try readInt32(option.rawValue, option.name)
    }

    /// Reads an `int64_t` option.
    public func option(_ option: ZMQSocketOption<Int64>) throws(ZMQError) -> Int64 {
        var value: Int64 = 0
        var size = MemoryLayout<Int64>.size
        if zmq_getsockopt(handle, option.rawValue, &value, &size) != 0 {
            throw ZMQError.last("zmq_getsockopt \(option.name)")
        }
        return value
    }

    /// Reads a flag option.
    public func option(_ option: ZMQSocketOption<Bool>) throws(ZMQError) -> Bool {
        try readInt32(option.rawValue, option.name) != 0
    }

    /// Reads a binary option.
    public func option(_ option: ZMQSocketOption<[UInt8]>) throws(ZMQError) -> [UInt8] {
        try readBytes(option.rawValue, option.readCapacity, option.name)
    }

    /// Reads a text option; libzmq's terminating zero byte is dropped.
    public func option(_ option: ZMQSocketOption<String>) throws(ZMQError) -> String {
        var bytes = try readBytes(option.rawValue, option.readCapacity, option.name)
        while bytes.last == 0 { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Plumbing

    private func write(
        _ option: Int32, _ value: UnsafeRawPointer, _ size: Int, _ name: @autoclosure () -> String
    ) throws(ZMQError) {
        if zmq_setsockopt(handle, option, value, size) != 0 {
            throw ZMQError.last("zmq_setsockopt \(name())")
        }
    }

    private func readInt32(_ option: Int32, _ name: @autoclosure () -> String) throws(ZMQError) -> Int32 {
        var value: Int32 = 0
        var size = MemoryLayout<Int32>.size
        if zmq_getsockopt(handle, option, &value, &size) != 0 {
            throw ZMQError.last("zmq_getsockopt \(name())")
        }
        return value
    }

    private func readBytes(
        _ option: Int32, _ capacity: Int, _ name: @autoclosure () -> String
    ) throws(ZMQError) -> [UInt8] {
        // A stack buffer: libzmq reports the real size, and errno must be read before
        // anything (such as building the array) can overwrite it.
        let result = withUnsafeTemporaryAllocation(byteCount: capacity, alignment: 1) {
            buffer -> Result<[UInt8], ZMQError> in
            var size = capacity
            if zmq_getsockopt(handle, option, buffer.baseAddress, &size) != 0 {
                return .failure(ZMQError.last("zmq_getsockopt \(name())"))
            }
            return .success(Array(UnsafeRawBufferPointer(rebasing: buffer[..<size])))
        }
        return try result.get()
    }
}
