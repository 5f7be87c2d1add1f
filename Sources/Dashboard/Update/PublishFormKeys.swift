/// The publish form's keys go to the form; what it submits becomes a command.
extension DashboardState {
    mutating func handlePublishForm(_ key: Key) -> [DashboardCommand] {
        switch publishForm.handle(key, isV5: settings.isV5) {
        case .none: return []
        case .submit(let command): return settings.isV5 && publishForm.isRequest ? sendRequest(command) : [command]
        case .close:
            publishFormOpen = false
            return []
        }
    }
}
