import ZeroMQ

extension ZMQMultipart {
    /// Lends every kept frame to `body` at once, in place, as `WireEnvelope` wants them.
    func withFrameBuffers<R>(_ body: ([UnsafeRawBufferPointer]) -> R) -> R {
        func pin(_ index: Int, _ buffers: inout [UnsafeRawBufferPointer]) -> R {
            guard index < count else { return body(buffers) }
            return withFrame(index) { buffer in
                buffers.append(buffer)
                return pin(index + 1, &buffers)
            }
        }
        var buffers: [UnsafeRawBufferPointer] = []
        buffers.reserveCapacity(count)
        return pin(0, &buffers)
    }
}
