import MQTTCore
import NIOCore

/// Who waits for the end of one publish's QoS flow: a caller's promise, or a forwarder's callback, which spares
/// a future per message (a bridge forwards tens of thousands a second). Used on the client's event loop only.
enum PublishWaiter {
    case promise(EventLoopPromise<PublishResult>)
    case callback((Result<PublishResult, any Error>) -> Void)
    /// One message of `publishInOrder(batch:)`: the batch's callback with the message's index, no closure each.
    case batchMember(Int, (Int, Result<PublishResult, any Error>) -> Void)

    func succeed(_ result: PublishResult) {
        switch self {
        case .promise(let promise): promise.succeed(result)
        case .callback(let callback): callback(.success(result))
        case .batchMember(let index, let callback): callback(index, .success(result))
        }
    }

    func fail(_ error: any Error) {
        switch self {
        case .promise(let promise): promise.fail(error)
        case .callback(let callback): callback(.failure(error))
        case .batchMember(let index, let callback): callback(index, .failure(error))
        }
    }

    /// A QoS 0 message is done once `written` is.
    func complete(whenWritten written: EventLoopFuture<Void>) {
        let done = PublishResult(packetID: nil, reasonCode: .success)
        switch self {
        case .promise(let promise):
            written.map { done }.cascade(to: promise)
        case .callback(let callback):
            written.assumeIsolated().whenComplete { result in callback(result.map { done }) }
        case .batchMember(let index, let callback):
            written.assumeIsolated().whenComplete { result in callback(index, result.map { done }) }
        }
    }
}
