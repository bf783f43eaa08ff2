import Foundation
import NIOCore
import NIOPosix

/// Why a mail was not accepted.
public enum SMTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server answered with an error: 4xx may succeed later, 5xx will not.
    case refused(code: Int, reply: String)
    /// The connection failed or broke, or the server said something we did not understand.
    case connection(String)
    /// An address we will not put on the wire.
    case badAddress

    /// Worth another try later.
    public var isTransient: Bool {
        switch self {
        case .refused(let code, _): return code < 500
        case .connection: return true
        case .badAddress: return false
        }
    }

    public var description: String {
        switch self {
        case .refused(let code, let reply): return "SMTP \(code): \(reply.prefix(200))"
        case .connection(let what): return "SMTP connection: \(what)"
        case .badAddress: return "unusable address"
        }
    }
}

/// A small SMTP client (RFC 5321) on SwiftNIO: one connection per batch, each message
/// its own MAIL/RCPT/DATA exchange, so one refused recipient fails only its message.
public struct SMTPClient: Sendable {
    public let configuration: SMTPConfiguration
    let group: any EventLoopGroup
    let timeout: Duration

    public init(configuration: SMTPConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, timeout: Duration = .seconds(30)) {
        self.configuration = configuration
        self.group = group
        self.timeout = timeout
    }

    /// Sends `messages` over one connection; `sent` is called after the server accepted
    /// each one (so the caller can record it before the next), and the result lists
    /// what happened to every message in order.
    public func send(
        _ messages: [MailMessage], now: Date = Date(), sent: @Sendable (Int, Result<Void, SMTPError>) async throws -> Void
    ) async throws {
        guard !messages.isEmpty else { return }
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(10))
                .connect(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            for index in messages.indices { try await sent(index, .failure(.connection("cannot connect to \(configuration.host):\(configuration.port)"))) }
            return
        }
        // A server that stops answering: the watchdog closes the connection, which ends
        // the reads below with an error.
        let watchdog = Task { [timeout, underlying = channel.channel] in
            try await Task.sleep(for: timeout + .seconds(5) * messages.count)
            underlying.close(promise: nil)
        }
        defer { watchdog.cancel() }
        try await channel.executeThenClose { inbound, outbound in
            var conversation = Conversation(inbound: inbound.makeAsyncIterator(), outbound: outbound)
            var next = 0
            do {
                try await conversation.expect(220)
                try await conversation.command("EHLO \(configuration.heloName)", expect: 250)
                if let username = configuration.username {
                    let token = Data(("\u{0}" + username + "\u{0}" + (configuration.password ?? "")).utf8).base64EncodedString()
                    try await conversation.command("AUTH PLAIN \(token)", expect: 235)
                }
                while next < messages.count {
                    let message = messages[next]
                    let result: Result<Void, SMTPError>
                    do {
                        try await conversation.deliver(message, from: configuration.from, now: now)
                        result = .success(())
                    } catch let error as SMTPError where Self.isMessageLevel(error) {
                        // Refused for this message; the connection is still good.
                        try await conversation.command("RSET", expect: 250)
                        result = .failure(error)
                    }
                    next += 1
                    try await sent(next - 1, result)
                }
                try? await conversation.command("QUIT", expect: 221)
            } catch let error as SMTPError {
                // The connection is gone or confused: what is left, fails (for now).
                while next < messages.count {
                    next += 1
                    try await sent(next - 1, .failure(error.isTransient ? error : .connection(error.description)))
                }
            }
        }
    }

    static func isMessageLevel(_ error: SMTPError) -> Bool {
        switch error {
        case .refused, .badAddress: return true
        case .connection: return false
        }
    }

    /// The reading and writing of one SMTP session.
    struct Conversation {
        var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        var pending = ""

        /// Reads one reply (all its lines) and returns its code and text.
        mutating func reply() async throws -> (code: Int, text: String) {
            var lines: [String] = []
            while true {
                let line = try await readLine()
                guard line.count >= 3, let code = Int(line.prefix(3)) else { throw SMTPError.connection("unexpected reply") }
                lines.append(String(line.dropFirst(4)))
                // "250-..." continues; "250 ..." (or just "250") ends the reply.
                if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] == " " {
                    return (code, lines.joined(separator: " "))
                }
            }
        }

        mutating func readLine() async throws -> String {
            while true {
                if let end = pending.range(of: "\r\n") {
                    let line = String(pending[..<end.lowerBound])
                    pending.removeSubrange(..<end.upperBound)
                    return line
                }
                guard pending.utf8.count < 64 * 1024 else { throw SMTPError.connection("reply too long") }
                let chunk: ByteBuffer?
                do {
                    chunk = try await inbound.next()
                } catch {
                    throw SMTPError.connection("read failed")
                }
                guard var chunk else { throw SMTPError.connection("closed by the server") }
                pending += chunk.readString(length: chunk.readableBytes) ?? ""
            }
        }

        mutating func expect(_ code: Int) async throws {
            let answer = try await reply()
            guard answer.code == code else { throw SMTPError.refused(code: answer.code, reply: answer.text) }
        }

        mutating func write(_ text: String) async throws {
            do {
                try await outbound.write(ByteBuffer(string: text))
            } catch {
                throw SMTPError.connection("write failed")
            }
        }

        mutating func command(_ line: String, expect code: Int) async throws {
            try await write(line + "\r\n")
            try await expect(code)
        }

        mutating func deliver(_ message: MailMessage, from: String, now: Date) async throws {
            guard Self.isSafe(message.to), Self.isSafe(from) else { throw SMTPError.badAddress }
            try await command("MAIL FROM:<\(from)>", expect: 250)
            try await command("RCPT TO:<\(message.to)>", expect: 250)
            try await command("DATA", expect: 354)
            try await write(message.rendered(from: from, date: now) + ".\r\n")
            try await expect(250)
        }

        /// Printable ASCII without spaces or angle brackets, one @.
        static func isSafe(_ address: String) -> Bool {
            address.utf8.count <= 254 && address.filter { $0 == "@" }.count == 1
                && address.unicodeScalars.allSatisfy { $0.value > 32 && $0.value < 127 && $0 != "<" && $0 != ">" }
        }
    }
}
