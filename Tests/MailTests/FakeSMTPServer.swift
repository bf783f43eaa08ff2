import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// An SMTP server for tests, on a free loopback port: it speaks enough RFC 5321 for our
/// client, keeps every message it accepted, and refuses recipients on request (4xx for
/// "later", 5xx for "never").
final class FakeSMTPServer: Sendable {
    struct Received: Sendable, Hashable {
        let from: String
        let to: String
        let data: String
        /// The Message-ID header's value.
        var messageID: String? {
            data.components(separatedBy: "\r\n").first { $0.hasPrefix("Message-ID: ") }.map { String($0.dropFirst("Message-ID: ".count)) }
        }
    }

    final class State: Sendable {
        let mutex = Mutex<(received: [Received], refuse: [String: Int], authenticated: Int)>(([], [:], 0))
        func withLock<T: Sendable>(_ body: (inout (received: [Received], refuse: [String: Int], authenticated: Int)) -> T) -> T {
            mutex.withLock { body(&$0) }
        }
    }

    private let state = State()
    private let channel: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
    private let task: Task<Void, Never>
    let port: Int

    var received: [Received] { state.withLock { $0.received } }
    var authentications: Int { state.withLock { $0.authenticated } }

    /// Answer `code` to RCPT TO for `address`.
    func refuse(_ address: String, with code: Int) { state.withLock { $0.refuse[address] = code } }
    func accept(_ address: String) { _ = state.withLock { $0.refuse.removeValue(forKey: address) } }

    init() async throws {
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { child in
                child.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: child) }
            }
        port = channel.channel.localAddress?.port ?? 0
        let server = channel
        let state = self.state
        task = Task {
            try? await server.executeThenClose { connections in
                await withDiscardingTaskGroup { group in
                    do {
                        for try await connection in connections {
                            group.addTask { try? await Self.serve(connection, state) }
                        }
                    } catch {}
                }
            }
        }
    }

    func stop() async {
        try? await channel.channel.close()
        task.cancel()
        _ = await task.value
    }

    private static func serve(
        _ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>,
        _ state: State
    ) async throws {
        try await connection.executeThenClose { inbound, outbound in
            func say(_ line: String) async throws { try await outbound.write(ByteBuffer(string: line + "\r\n")) }
            try await say("220 fake.smtp ESMTP")
            var pending = ""
            var from = "", to = "", data: String?
            for try await var chunk in inbound {
                pending += chunk.readString(length: chunk.readableBytes) ?? ""
                while true {
                    if var body = data {
                        // In DATA: until a line with only a dot.
                        guard let end = pending.range(of: "\r\n.\r\n") else { break }
                        body += pending[..<end.lowerBound]
                        pending.removeSubrange(..<end.upperBound)
                        data = nil
                        let message = Received(from: from, to: to, data: body)
                        state.withLock { $0.received.append(message) }
                        try await say("250 2.0.0 queued")
                        continue
                    }
                    guard let end = pending.range(of: "\r\n") else { break }
                    let line = String(pending[..<end.lowerBound])
                    pending.removeSubrange(..<end.upperBound)
                    let upper = line.uppercased()
                    if upper.hasPrefix("EHLO") {
                        try await say("250-fake.smtp")
                        try await say("250-AUTH PLAIN")
                        try await say("250 8BITMIME")
                    } else if upper.hasPrefix("AUTH PLAIN") {
                        state.withLock { $0.authenticated += 1 }
                        try await say("235 2.7.0 ok")
                    } else if upper.hasPrefix("MAIL FROM:") {
                        from = String(line.dropFirst("MAIL FROM:".count)).trimmingCharacters(in: CharacterSet(charactersIn: "<> "))
                        try await say("250 ok")
                    } else if upper.hasPrefix("RCPT TO:") {
                        to = String(line.dropFirst("RCPT TO:".count)).trimmingCharacters(in: CharacterSet(charactersIn: "<> "))
                        if let code = state.withLock({ $0.refuse[to] }) {
                            try await say("\(code) not now")
                        } else {
                            try await say("250 ok")
                        }
                    } else if upper == "DATA" {
                        data = ""
                        // The terminator search needs the CRLF before the first line too.
                        pending = "\r\n" + pending
                        try await say("354 go ahead")
                    } else if upper == "RSET" {
                        try await say("250 ok")
                    } else if upper == "QUIT" {
                        try await say("221 bye")
                        return
                    } else {
                        try await say("500 what")
                    }
                }
            }
        }
    }
}
