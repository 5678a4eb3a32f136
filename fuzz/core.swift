import HelplineFuzzing

/// libFuzzer entry point for the broker-core target; the driver is `CoreFuzzer`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCore(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    CoreFuzzer.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
