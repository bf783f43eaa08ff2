import Foundation

/// Reading and writing the matching format (docs/matching-format.md). Dates are ISO
/// 8601 date-times with a zone; they are read and written by hand here, because
/// Foundation's ISO 8601 formatter costs tens of microseconds a date, which made
/// reading a 4 MB instance take seconds.
public enum MatchingJSON {
    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parseDate(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(text) is not an ISO 8601 date-time with a zone")
            }
            return date
        }
        return decoder
    }

    /// Sorted keys, dates in UTC (`2026-12-07T07:00:00Z`), so equal results are equal bytes.
    public static func encoder(pretty: Bool = true) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(formatDate(date))
        }
        return encoder
    }

    /// An instance read from its JSON (docs/matching-format.md), a few times faster than
    /// `decoder` (see `MatchingReader`), with a message that says where it is wrong.
    public static func readInstance(_ data: Data) throws(ReadError) -> MatchingInstance {
        do {
            return try MatchingReader.instance(from: data)
        } catch let error as ReadError {
            throw error
        } catch {
            throw ReadError(message: "the instance could not be read")
        }
    }

    /// The result file (docs/matching-format.md): the result, `gap_to_bound`,
    /// `format_version` and `elapsed_ms`, keys sorted and indented as `encoder()` writes
    /// them, a few times faster (see `MatchingWriter`).
    public static func resultFile(_ result: MatchingResult, formatVersion: Int, elapsedMilliseconds: Double) -> Data {
        Data(MatchingWriter.result(result, formatVersion: formatVersion, elapsedMilliseconds: elapsedMilliseconds))
    }

    /// What is wrong with an instance, and where: `demands[3].start: ...`.
    public struct ReadError: Error, CustomStringConvertible, Equatable {
        public let message: String
        public var description: String { message }
    }

    /// `YYYY-MM-DDTHH:MM:SS`, optional fraction, then `Z` or `±HH:MM` (or `±HHMM`).
    public static func parseDate(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parseDate($0) }
    }

    /// `parseDate` on the UTF-8 bytes of the text.
    static func parseDate(_ bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        var at = 0
        func number(_ digits: Int) -> Int? {
            guard at + digits <= bytes.count else { return nil }
            var value = 0
            for _ in 0..<digits {
                let byte = bytes[at]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
                at += 1
            }
            return value
        }
        func expect(_ byte: UInt8) -> Bool {
            guard at < bytes.count, bytes[at] == byte || (byte == 84 && bytes[at] == 116) else { return false }
            at += 1
            return true
        }
        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2), expect(84),
              let hour = number(2), expect(58), let minute = number(2), expect(58), let second = number(2),
              (1...12).contains(month), (1...daysIn(month, year)).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var fraction = 0.0
        if at < bytes.count, bytes[at] == 46 || bytes[at] == 44 {
            at += 1
            var scale = 0.1
            let first = at
            while at < bytes.count, bytes[at] >= 48 && bytes[at] <= 57 {
                fraction += Double(bytes[at] - 48) * scale
                scale /= 10
                at += 1
            }
            guard at > first else { return nil }
        }
        guard at < bytes.count else { return nil }
        var offset = 0
        if bytes[at] == 90 || bytes[at] == 122 {
            at += 1
        } else if bytes[at] == 43 || bytes[at] == 45 {
            let sign = bytes[at] == 45 ? -1 : 1
            at += 1
            guard let hours = number(2) else { return nil }
            if at < bytes.count, bytes[at] == 58 { at += 1 }
            guard let minutes = number(2), hours < 24, minutes < 60 else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        guard at == bytes.count else { return nil }
        let seconds = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// UTC, whole seconds unless the date has a fraction (then milliseconds).
    public static func formatDate(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        let whole = interval.rounded(.down)
        let seconds = Int(whole)
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let rest = seconds - days * 86_400
        let (year, month, day) = civilFromDays(days)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var text = "\(year)-\(two(month))-\(two(day))T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))"
        let milliseconds = Int(((interval - whole) * 1000).rounded())
        if milliseconds > 0 && milliseconds < 1000 {
            text += "." + String(String(milliseconds + 1000).dropFirst())
        }
        return text + "Z"
    }

    static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
