/// The bytes one connection holds in the shared connecting budget until its CONNECT is through. Each handler
/// that reserves for a connection keeps one, so that what it holds is given back exactly once however the
/// connection ends.
struct ConnectingReservation {
    private let budget: ConnectingBytesBudget
    private(set) var bytes = 0

    init(limits: PreConnectLimits) {
        budget = limits.budget
    }

    /// Grows the reservation to `total` bytes; false (nothing more reserved) when the budget has no room.
    mutating func grow(to total: Int) -> Bool {
        guard budget.reserve(total - bytes, connectionTotal: total) else { return false }
        bytes = total
        return true
    }

    mutating func release() {
        budget.release(bytes)
        bytes = 0
    }
}
