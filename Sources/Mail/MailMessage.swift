import Domain
import Foundation

/// One plain-text mail, UTF-8.
public struct MailMessage: Sendable, Hashable {
    public let to: String
    public let toName: String
    public let subject: String
    public let text: String
    /// Unique per notification, so that a relay or reader can tell duplicates apart.
    public let messageID: String
    /// An https address that ends these mails with one POST (RFC 8058: List-Unsubscribe
    /// with List-Unsubscribe-Post), for mail programs' own "unsubscribe" button.
    public let unsubscribe: String?
    /// An iCalendar file sent along (an interview's invitation): name and text.
    public let calendar: CalendarFile?

    public init(to: String, toName: String, subject: String, text: String, messageID: String, unsubscribe: String? = nil,
                calendar: CalendarFile? = nil) {
        self.to = to
        self.toName = toName
        self.subject = subject
        self.text = text
        self.messageID = messageID
        self.unsubscribe = unsubscribe?.filter { $0 != "\r" && $0 != "\n" && $0 != ">" }
        self.calendar = calendar.map { CalendarFile(name: $0.name.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }, text: $0.text) }
    }

    /// The message as it goes after DATA (headers, blank line, base64 body), with CRLF
    /// line ends and without the closing dot. Base64 lines never start with a dot, so
    /// nothing needs stuffing; header values are encoded words, so no header can be
    /// injected through a name or subject.
    public func rendered(from: String, date: Date) -> String {
        let body = Data(text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n").utf8)
            .base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        var headers = [
            "From: Doorstroom <\(from)>",
            "To: \(Self.encodedWord(toName)) <\(to)>",
            "Subject: \(Self.encodedWord(subject))",
            "Date: \(Self.rfc5322(date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Auto-Submitted: auto-generated",
        ]
        if let unsubscribe {
            headers += ["List-Unsubscribe: <\(unsubscribe)>", "List-Unsubscribe-Post: List-Unsubscribe=One-Click"]
        }
        guard let calendar else {
            headers += ["Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: base64"]
            return headers.joined(separator: "\r\n") + "\r\n\r\n" + body + "\r\n"
        }
        // The text and the calendar file as two parts (RFC 2046 multipart/mixed).
        let boundary = "doorstroom-" + messageID.filter { $0.isLetter || $0.isNumber }
        let file = Data(calendar.text.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        headers.append("Content-Type: multipart/mixed; boundary=\"\(boundary)\"")
        return headers.joined(separator: "\r\n") + "\r\n\r\n"
            + "--\(boundary)\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + body + "\r\n"
            + "--\(boundary)\r\nContent-Type: text/calendar; charset=UTF-8; method=\(calendar.text.contains("METHOD:CANCEL") ? "CANCEL" : "PUBLISH"); name=\"\(calendar.name)\"\r\n"
            + "Content-Disposition: attachment; filename=\"\(calendar.name)\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + file + "\r\n"
            + "--\(boundary)--\r\n"
    }

    /// RFC 2047: `=?UTF-8?B?...?=`, in pieces short enough for a header line.
    static func encodedWord(_ text: String) -> String {
        let cleaned = text.filter { $0 != "\r" && $0 != "\n" }
        if cleaned.allSatisfy({ $0.isASCII && !$0.isNewline && $0 != "=" && $0 != "?" && $0 != "\"" && $0 != "<" && $0 != ">" }) {
            return cleaned
        }
        var words: [String] = []
        var piece = ""
        for character in cleaned {
            if (piece + String(character)).utf8.count > 45 {
                words.append(piece)
                piece = ""
            }
            piece.append(character)
        }
        if !piece.isEmpty { words.append(piece) }
        return words.map { "=?UTF-8?B?" + Data($0.utf8).base64EncodedString() + "?=" }.joined(separator: "\r\n ")
    }

    static func rfc5322(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
