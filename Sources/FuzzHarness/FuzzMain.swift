import Foundation

/// The entry point every fuzz executable calls from its `@main`.
public enum FuzzMain {
    public static func run<Target: FuzzTarget>(_ target: Target.Type) -> Never {
        #if FUZZING
        LibFuzzerDriver.run(Target.self)
        #else
        CorpusReplayer<Target>().run(Array(CommandLine.arguments.dropFirst()))
        #endif
    }
}
