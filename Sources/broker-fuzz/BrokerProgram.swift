/// Runs one input: the first byte sets the broker up, the rest are steps (see `BrokerWorld.step`).
enum BrokerProgram {
    /// Long inputs would only make each run slower, not reach new states.
    static let maximumSteps = 200

    @discardableResult
    static func run(_ bytes: [UInt8]) -> BrokerWorld.Tally {
        var input = FuzzInput(bytes)
        let world = BrokerWorld(setup: input.byte())
        while !input.isAtEnd && world.tally.steps < maximumSteps {
            world.step(&input)
        }
        world.finish()
        return world.tally
    }
}
