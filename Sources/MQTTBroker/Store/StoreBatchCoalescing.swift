/// Drops from a batch the changes that cancel out before it is committed, so that a message a
/// subscriber has already acknowledged never reaches the disk: its enqueue, send and release are
/// followed by its removal in the same batch. Likewise an incoming QoS 2 id that is released in the
/// batch that recorded it. Only pairs whose first half is in the batch go: a removal of something
/// committed earlier stays.
enum StoreBatchCoalescing {
    struct OutgoingKey: Hashable {
        var clientID: String
        var sequence: Int64
    }

    fileprivate struct ReleaseKey: Hashable {
        var clientID: String
        var packetID: UInt16
    }

    static func coalesced(_ batch: [StoreChange]) -> [StoreChange] {
        // Sequences are broker-wide and never reused (`Broker.takeSequence`), so a key names one message.
        var enqueued = Set<OutgoingKey>()
        var finishedOutgoing = Set<OutgoingKey>()
        // Packet ids are reused, so releases are matched by position: each PUBREL with the await before it.
        var openAwait: [ReleaseKey: Int] = [:]
        var droppedPositions = Set<Int>()
        for (position, change) in batch.enumerated() {
            switch change {
            case .enqueue(let clientID, let sequence, _):
                enqueued.insert(OutgoingKey(clientID: clientID, sequence: sequence))
            case .removeOutgoing(let clientID, let sequence):
                let key = OutgoingKey(clientID: clientID, sequence: sequence)
                if enqueued.contains(key) { finishedOutgoing.insert(key) }
            case .awaitRelease(let clientID, let packetID):
                openAwait[ReleaseKey(clientID: clientID, packetID: packetID)] = position
            case .releaseArrived(let clientID, let packetID):
                if let awaited = openAwait.removeValue(forKey: ReleaseKey(clientID: clientID, packetID: packetID)) {
                    droppedPositions.insert(awaited)
                    droppedPositions.insert(position)
                }
            case .deleteSession(let clientID):
                // Whatever was awaited before is deleted with the session; a later await stands alone.
                openAwait = openAwait.filter { $0.key.clientID != clientID }
            default:
                break
            }
        }
        guard !finishedOutgoing.isEmpty || !droppedPositions.isEmpty else { return batch }
        var kept: [StoreChange] = []
        kept.reserveCapacity(batch.count)
        for (position, change) in batch.enumerated() where !droppedPositions.contains(position) {
            switch change {
            case .enqueue(let clientID, let sequence, _), .markSent(let clientID, let sequence, _),
                .markReleased(let clientID, let sequence), .removeOutgoing(let clientID, let sequence):
                if finishedOutgoing.contains(OutgoingKey(clientID: clientID, sequence: sequence)) { continue }
            default:
                break
            }
            kept.append(change)
        }
        return kept
    }

    /// Folds each send into the enqueue before it in the same batch (one INSERT with its packet id
    /// instead of an INSERT and an UPDATE): the usual case for a client that is connected.
    static func foldingSendsIntoEnqueues(_ batch: [StoreChange]) -> (changes: [StoreChange], packetIDs: [OutgoingKey: UInt16]) {
        var enqueued = Set<OutgoingKey>()
        var packetIDs: [OutgoingKey: UInt16] = [:]
        var kept: [StoreChange] = []
        kept.reserveCapacity(batch.count)
        for change in batch {
            switch change {
            case .enqueue(let clientID, let sequence, _):
                enqueued.insert(OutgoingKey(clientID: clientID, sequence: sequence))
            case .markSent(let clientID, let sequence, let packetID):
                let key = OutgoingKey(clientID: clientID, sequence: sequence)
                if enqueued.contains(key) && packetIDs[key] == nil {
                    packetIDs[key] = packetID
                    continue
                }
            default:
                break
            }
            kept.append(change)
        }
        return (kept, packetIDs)
    }
}
