/// The period a monitoring page or download covers: whole months from a first month
/// to a last, counted per month or per quarter (a quarter period starts and ends on
/// quarter boundaries). Buckets are calendar months in Amsterdam.
public struct MonitorPeriod: Sendable, Hashable {
    public enum Step: String, Sendable, CaseIterable {
        case month = "maand"
        case quarter = "kwartaal"

        public var months: Int { self == .month ? 1 : 3 }
        public var label: String { self == .month ? "Per maand" : "Per kwartaal" }
    }

    /// A month of a year: `2026-03`.
    public struct Month: Sendable, Hashable, Comparable {
        public let year: Int
        public let month: Int

        public init?(year: Int, month: Int) {
            guard (2000...2100).contains(year), (1...12).contains(month) else { return nil }
            self.year = year
            self.month = month
        }

        /// Parses `YYYY-MM`.
        public init?(_ text: String) {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]) else { return nil }
            self.init(year: y, month: m)
        }

        public init(_ day: Day) {
            year = day.year
            month = day.month
        }

        var index: Int { year * 12 + month - 1 }

        init(index: Int) {
            year = index / 12
            month = index % 12 + 1
        }

        public func adding(months: Int) -> Month { Month(index: index + months) }
        public var firstDay: Day { Day(year: year, month: month, day: 1)! }
        public var text: String { String(year) + "-" + (month < 10 ? "0" : "") + String(month) }
        public static func < (lhs: Month, rhs: Month) -> Bool { lhs.index < rhs.index }

        /// The first month of this month's quarter.
        public var quarterStart: Month { Month(index: index - (month - 1) % 3) }
    }

    /// At most five years of months in one view.
    public static let maximumBuckets = 60

    public let step: Step
    /// The first month of the first bucket.
    public let first: Month
    /// The number of buckets.
    public let count: Int

    public init(step: Step, first: Month, count: Int) {
        self.step = step
        self.first = step == .quarter ? first.quarterStart : first
        self.count = max(1, min(count, Self.maximumBuckets))
    }

    /// The period from the query of a page or download (`van=2026-01&tot=2026-12&per=kwartaal`);
    /// missing or unreadable parts fall back to the twelve months up to and including
    /// `today`'s month, and a reversed range is put right.
    public static func parse(from: String?, to: String?, step: String?, today: Day) -> MonitorPeriod {
        let step = step.flatMap(Step.init(rawValue:)) ?? .month
        let last = to.flatMap(Month.init) ?? Month(today)
        var first = from.flatMap(Month.init) ?? last.adding(months: -11)
        var end = last
        if end < first { swap(&first, &end) }
        let start = step == .quarter ? first.quarterStart : first
        let months = end.index - start.index + 1
        let buckets = (months + step.months - 1) / step.months
        return MonitorPeriod(step: step, first: start, count: buckets)
    }

    /// The first month of each bucket.
    public var buckets: [Month] { (0..<count).map { first.adding(months: $0 * step.months) } }

    /// The first day of the period.
    public var startDay: Day { first.firstDay }
    /// The first day after the period.
    public var endDay: Day { first.adding(months: count * step.months).firstDay }
    /// The last month in the period.
    public var lastMonth: Month { first.adding(months: count * step.months - 1) }

    private static let monthNames = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]

    /// A bucket's short Dutch label: `mrt 2026` or `K1 2026`.
    public func label(_ bucket: Month) -> String {
        switch step {
        case .month: return Self.monthNames[bucket.month - 1] + " " + String(bucket.year)
        case .quarter: return "K\((bucket.month - 1) / 3 + 1) " + String(bucket.year)
        }
    }

    /// A bucket's key for machines: `2026-03` or `2026-Q1`.
    public func key(_ bucket: Month) -> String {
        switch step {
        case .month: return bucket.text
        case .quarter: return String(bucket.year) + "-Q\((bucket.month - 1) / 3 + 1)"
        }
    }

    /// A bucket as a table value.
    public func value(_ bucket: Day) -> MonitorTable.Value {
        let month = Month(bucket)
        return .period(key: key(month), label: label(month))
    }

    /// The period in words: `jan 2026 – dec 2026, per maand`.
    public var description: String {
        let last = step == .month ? label(lastMonth) : label(lastMonth.quarterStart)
        return label(first) + " – " + last + ", " + step.label.lowercased()
    }
}
