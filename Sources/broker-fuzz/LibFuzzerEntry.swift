#if FUZZING
#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer calls this with each generated input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    BrokerProgram.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// libFuzzer's documented way to run its driver from a program that owns `main`.
@_extern(c, "LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// As in mqtt-fuzz: SwiftPM links every executable with `main` bound to the module's own entry point
/// (`--defsym main=broker_fuzz_main`), so libFuzzer's `main` cannot be the one that runs:
/// ours hands the command line to the libFuzzer driver instead.
@main
struct FuzzerMain {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
    }
}
#endif
