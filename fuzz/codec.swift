import HelplineFuzzing

/// libFuzzer entry point for the codec target; the driver is `CodecFuzzer`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCodec(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    CodecFuzzer.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
