#if FUZZING
#if canImport(Glibc)
import Glibc
#endif

/// The input handler of the running target: libFuzzer's callbacks are C functions, which cannot
/// capture the generic target, so they call through this. Set once, before the driver starts.
nonisolated(unsafe) private var runOneInput: (UnsafeBufferPointer<UInt8>) -> Void = { _ in }

/// libFuzzer's own `main` (linked in by -sanitize=fuzzer) needs this symbol; ours never reaches it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    runOneInput(UnsafeBufferPointer(start: data, count: size))
    return 0
}

/// libFuzzer's documented way to run its driver from a program that owns `main`.
@_extern(c, "LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// SwiftPM links every executable with `main` bound to the module's own entry point
/// (`--defsym main=mqtt_fuzz_main`), so libFuzzer's `main` cannot be the one that runs:
/// the target's `@main` hands the command line to the libFuzzer driver instead.
enum LibFuzzerDriver {
    static func run<Target: FuzzTarget>(_ target: Target.Type) -> Never {
        runOneInput = { input in
            var target = Target()
            target.run(input)
        }
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
    }
}
#endif
