import Foundation

/// `Date` is a `timestamptz`. Connections run with `TimeZone=UTC` and `DateStyle=ISO`,
/// so the server's text is `2026-11-22 21:59:03.123456+00`; a `date` column
/// (`2026-11-22`) decodes as midnight UTC of that day.
extension Date: PostgresCodable {
    public static var postgresType: PostgresType { .timestamptz }

    public var postgresText: String? {
        if self == .distantFuture { return "infinity" }
        if self == .distantPast { return "-infinity" }
        // Microseconds are PostgreSQL's precision; round to them.
        let totalMicros = (timeIntervalSince1970 * 1_000_000).rounded()
        let micros = Int64(totalMicros)
        var days = micros / 86_400_000_000
        var rest = micros % 86_400_000_000
        if rest < 0 {
            rest += 86_400_000_000
            days -= 1
        }
        let (year, month, day) = CivilCalendar.civil(fromDays: days)
        let seconds = rest / 1_000_000
        let fraction = rest % 1_000_000
        let hour = seconds / 3600, minute = (seconds % 3600) / 60, second = seconds % 60
        var text = CivilCalendar.pad(year, 4) + "-" + CivilCalendar.pad(month, 2) + "-" + CivilCalendar.pad(day, 2)
        text += " " + CivilCalendar.pad(hour, 2) + ":" + CivilCalendar.pad(minute, 2) + ":" + CivilCalendar.pad(second, 2)
        if fraction != 0 { text += "." + CivilCalendar.pad(fraction, 6) }
        return text + "+00"
    }

    public static func decode(postgresText text: String?) throws(PostgresDecodingFailure) -> Date {
        guard let text else { throw .unexpectedNull }
        switch text {
        case "infinity": return .distantFuture
        case "-infinity": return .distantPast
        default: break
        }
        let b = Array(text.utf8)
        func number(_ range: Range<Int>) throws(PostgresDecodingFailure) -> Int64 {
            guard range.upperBound <= b.count else { throw .invalid("timestamp too short") }
            var value: Int64 = 0
            for index in range {
                let digit = b[index] &- UInt8(ascii: "0")
                guard digit < 10 else { throw .invalid("bad digit in timestamp") }
                value = value * 10 + Int64(digit)
            }
            return value
        }
        guard b.count >= 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else {
            throw .invalid("not an ISO date")
        }
        let days = CivilCalendar.days(fromCivil: try number(0..<4), try number(5..<7), try number(8..<10))
        var micros = days * 86_400_000_000
        if b.count == 10 {
            return Date(timeIntervalSince1970: Double(micros) / 1_000_000)
        }
        guard b.count >= 19, b[10] == UInt8(ascii: " ") || b[10] == UInt8(ascii: "T") else {
            throw .invalid("not an ISO timestamp")
        }
        micros += (try number(11..<13) * 3600 + number(14..<16) * 60 + number(17..<19)) * 1_000_000
        var index = 19
        if index < b.count, b[index] == UInt8(ascii: ".") {
            index += 1
            var fraction: Int64 = 0
            var digits = 0
            while index < b.count, b[index] >= UInt8(ascii: "0"), b[index] <= UInt8(ascii: "9") {
                if digits < 6 {
                    fraction = fraction * 10 + Int64(b[index] - UInt8(ascii: "0"))
                    digits += 1
                }
                index += 1
            }
            while digits < 6 {
                fraction *= 10
                digits += 1
            }
            micros += fraction
        }
        // Offset: +00, +01:30, -05 ...
        if index < b.count {
            let sign: Int64 = b[index] == UInt8(ascii: "-") ? -1 : 1
            guard b[index] == UInt8(ascii: "+") || b[index] == UInt8(ascii: "-") else {
                throw .invalid("bad time zone in timestamp")
            }
            let hours = try number((index + 1)..<(index + 3))
            var minutes: Int64 = 0
            if index + 6 <= b.count, b[index + 3] == UInt8(ascii: ":") {
                minutes = try number((index + 4)..<(index + 6))
            }
            micros -= sign * (hours * 3600 + minutes * 60) * 1_000_000
        }
        return Date(timeIntervalSince1970: Double(micros) / 1_000_000)
    }
}

/// Proleptic Gregorian day counting (days since 1970-01-01), after Howard Hinnant's
/// `days_from_civil` / `civil_from_days`.
enum CivilCalendar {
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (month <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, month, day)
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
