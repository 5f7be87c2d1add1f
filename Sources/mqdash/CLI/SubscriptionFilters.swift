import ArgumentParser
import MQTTCore

/// mosquitto_sub's refusal of a bad filter, for every command that subscribes (sub, record, watch).
func validateSubscriptionFilters(_ filters: [String]) throws {
    for filter in filters {
        do throws(TopicValidationError) { try Topic.validateFilter(filter) } catch {
            throw ValidationError("Invalid subscription topic '\(filter)', are all '+' and '#' wildcards correct?")
        }
    }
}
