// STUB owned by the dashboard-core work: replace the body, keep the public entry points.

/// Everything the dashboard shows. Only `update` changes it; `render` only reads it.
public struct DashboardState: Sendable {
    public var settings: DashboardSettings
    public var screenWidth = 80
    public var screenHeight = 24
    public var connection = ConnectionStatus.connecting
    /// Seconds since 1970, advanced by `.tick` and by messages.
    public var now: Double = 0
    /// Set when the user asked to quit.
    public var shouldQuit = false

    public init(settings: DashboardSettings = DashboardSettings()) {
        self.settings = settings
    }
}

/// Applies one event and returns the IO it asks for.
public func update(_ state: inout DashboardState, _ event: DashboardEvent) -> [DashboardCommand] {
    switch event {
    case .key(.character("q")), .key(.control("c")):
        state.shouldQuit = true
        return [.quit]
    case .resize(let width, let height):
        state.screenWidth = width
        state.screenHeight = height
    case .connection(let status):
        state.connection = status
    case .tick(let now):
        state.now = now
    default:
        break
    }
    return []
}

/// Draws the whole screen for `state` into `buffer` (sized screenWidth x screenHeight).
public func render(_ state: DashboardState, into buffer: inout Buffer, theme: Theme) {
    buffer.fill(buffer.area, style: theme.style(.text))
    buffer.write("mqdash", x: 0, y: 0, style: theme.style(.title))
}
