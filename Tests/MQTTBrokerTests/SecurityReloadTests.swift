import MQTTCore
import NIOCore
import XCTest

@testable import MQTTBroker

/// A reload (SIGHUP) swaps each listener's security through one core event: the next check of every
/// connection uses it, deliveries on existing subscriptions included, and clients the new password file
/// no longer admits are disconnected while the others stay.
final class SecurityReloadTests: XCTestCase {
    private func acl(_ text: String) throws -> ACL {
        try ACL(contents: text)
    }

    private func passwords(_ users: [String: String]) -> PasswordFile {
        var file = PasswordFile()
        for (user, password) in users.sorted(by: { $0.key < $1.key }) { file.setPassword(password, for: user) }
        return file
    }

    private func security(passwords: PasswordFile? = nil, acl: ACL? = nil, allowAnonymous: Bool = true) -> ListenerSecurity {
        ListenerSecurity(settings: .init(allowAnonymous: allowAnonymous), passwords: passwords, acl: acl)
    }

    func testAReloadedACLStopsAndStartsDeliveryOnAnExistingSubscription() throws {
        let readable = security(acl: try acl("topic readwrite home/#\n"))
        let writeOnly = security(acl: try acl("topic write home/#\n"))
        let driver = CoreDriver()
        driver.security = readable
        let subscriber = driver.connect("subscriber")
        driver.subscribe(subscriber, "home/#", qos: .atMostOnce)
        let publisher = driver.connect("publisher")

        driver.publish(publisher, "home/lamp", "before")
        XCTAssertEqual(driver.payloads(for: subscriber), ["before"])

        driver.event(.securityReloaded([writeOnly]))
        driver.publish(publisher, "home/lamp", "while not readable")
        XCTAssertEqual(driver.payloads(for: subscriber), [], "the new ACL applies to the existing subscription")
        XCTAssertFalse(driver.closed.contains(subscriber), "an ACL change disconnects nobody")

        driver.event(.securityReloaded([readable]))
        driver.publish(publisher, "home/lamp", "readable again")
        XCTAssertEqual(driver.payloads(for: subscriber), ["readable again"])
        XCTAssertTrue(driver.closed.isEmpty)
    }

    func testAReloadedACLAppliesToPublishAndSubscribeOfConnectedClients() throws {
        let driver = CoreDriver()
        driver.security = security(acl: try acl("topic readwrite home/#\n"))
        let client = driver.connect("client", version: .v5)
        driver.event(.securityReloaded([security(acl: try acl("topic readwrite garden/#\n"))]))

        driver.send(.subscribe(SubscribePacket(packetID: 2, subscriptions: [Subscription(filter: "home/#", options: SubscriptionOptions(qos: .atMostOnce))])), from: client)
        guard case .subAck(let refused)? = driver.packets(for: client).first else { return XCTFail("no SUBACK") }
        XCTAssertEqual(refused.reasonCodes, [.notAuthorized])

        driver.subscribe(client, "garden/#", qos: .atMostOnce)
        driver.publish(client, "garden/rose", "allowed now")
        XCTAssertEqual(driver.payloads(for: client), ["allowed now"])
    }

    func testARemovedUserIsDisconnectedAndOthersStay() {
        let both = passwords(["alice": "apass", "bob": "bpass"])
        var aliceOnly = both
        _ = aliceOnly.remove(username: "bob")
        let driver = CoreDriver()
        driver.security = security(passwords: both, allowAnonymous: false)
        let alice = driver.connect("alice-device", version: .v5, username: "alice", password: "apass")
        let bob = driver.connect("bob-device", version: .v5, username: "bob", password: "bpass")
        let bobOld = driver.connect("bob-old", version: .v3_1_1, username: "bob", password: "bpass")

        driver.event(.securityReloaded([security(passwords: aliceOnly, allowAnonymous: false)]))

        XCTAssertEqual(driver.closed, [bob, bobOld])
        guard case .disconnect(let disconnect)? = driver.packets(for: bob).last else { return XCTFail("no DISCONNECT for v5") }
        XCTAssertEqual(disconnect.reasonCode, .notAuthorized)
        XCTAssertEqual(driver.packets(for: bobOld), [], "3.1.1 has no DISCONNECT from the server")
        XCTAssertTrue(driver.logLines.contains { $0.contains("bob-device") && $0.contains("not authorised") }, "\(driver.logLines)")
        XCTAssertEqual(driver.packets(for: alice), [])

        // The connection opened after the reload uses the new file, though its listener context was built before.
        let again = driver.open()
        driver.send(.connect(ConnectPacket(version: .v5, clientID: "bob-again", username: "bob", password: ByteBuffer(string: "bpass"))), from: again)
        guard case .connAck(let ack)? = driver.packets(for: again).first else { return XCTFail("no CONNACK") }
        XCTAssertEqual(ack.reasonCode, .badUserNameOrPassword)
    }

    func testAChangedPasswordDisconnectsAndAnUnchangedEntryDoesNot() {
        let before = passwords(["alice": "apass", "bob": "bpass"])
        var after = before
        after.setPassword("new secret", for: "bob")
        let driver = CoreDriver()
        driver.security = security(passwords: before, allowAnonymous: false)
        let alice = driver.connect("alice-device", username: "alice", password: "apass")
        let bob = driver.connect("bob-device", username: "bob", password: "bpass")

        driver.event(.securityReloaded([security(passwords: after, allowAnonymous: false)]))
        XCTAssertEqual(driver.closed, [bob])

        // Reading the same file again changes nobody's entry.
        driver.event(.securityReloaded([security(passwords: after, allowAnonymous: false)]))
        XCTAssertFalse(driver.closed.contains(alice))
    }

    func testAnonymousClientsLeaveWhenTheyAreNoLongerAllowed() {
        let driver = CoreDriver()
        driver.security = security(passwords: passwords(["alice": "apass"]), allowAnonymous: true)
        let anonymous = driver.connect("anonymous")
        let alice = driver.connect("alice-device", username: "alice", password: "apass")

        driver.event(.securityReloaded([security(passwords: passwords(["alice": "apass"]), allowAnonymous: false)]))
        XCTAssertTrue(driver.closed.contains(anonymous))
        // A new hash for the same password is a changed entry: alice has to log in again (the password is not kept).
        XCTAssertTrue(driver.closed.contains(alice))
    }

    func testAnOfflineSessionIsCheckedWithTheReloadedACL() throws {
        let driver = CoreDriver()
        driver.security = security(acl: try acl("topic readwrite home/#\n"))
        let subscriber = driver.connect("subscriber", cleanStart: false, properties: [.sessionExpiryInterval(600)])
        driver.subscribe(subscriber, "home/#", qos: .atLeastOnce)
        driver.send(.disconnect(DisconnectPacket()), from: subscriber)
        let publisher = driver.connect("publisher")
        driver.event(.securityReloaded([security(acl: try acl("topic write home/#\n"))]))
        driver.publish(publisher, "home/lamp", "unreadable now", qos: .atLeastOnce)
        XCTAssertEqual(driver.core.sessions["subscriber"]?.queue.count, 0, "the offline session's read check uses the new ACL")

        let resumed = driver.connect("subscriber", cleanStart: false, properties: [.sessionExpiryInterval(600)])
        XCTAssertEqual(driver.payloads(for: resumed), [])
    }
}
