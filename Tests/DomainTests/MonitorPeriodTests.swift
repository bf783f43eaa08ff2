import Domain
import Testing

@Suite struct MonitorPeriodTests {
    static let today = Day(year: 2026, month: 11, day: 23)!

    @Test func defaultsToTheTwelveMonthsUpToThisMonth() {
        let period = MonitorPeriod.parse(from: nil, to: nil, step: nil, today: Self.today)
        #expect(period.step == .month && period.count == 12)
        #expect(period.startDay == Day(year: 2025, month: 12, day: 1)! && period.endDay == Day(year: 2026, month: 12, day: 1)!)
        #expect(period.label(period.first) == "dec 2025" && period.key(period.first) == "2025-12")
    }

    @Test func quartersStartOnQuarterBoundariesAndCoverTheLastMonth() {
        let period = MonitorPeriod.parse(from: "2025-02", to: "2025-11", step: "kwartaal", today: Self.today)
        #expect(period.buckets.map(period.key) == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"])
        #expect(period.buckets.map(period.label) == ["K1 2025", "K2 2025", "K3 2025", "K4 2025"])
        #expect(period.startDay == Day(year: 2025, month: 1, day: 1)! && period.endDay == Day(year: 2026, month: 1, day: 1)!)
    }

    @Test func reversedUnreadableAndHugeRangesArePutRight() {
        let reversed = MonitorPeriod.parse(from: "2026-06", to: "2026-01", step: "maand", today: Self.today)
        #expect(reversed.first.text == "2026-01" && reversed.count == 6)
        let unreadable = MonitorPeriod.parse(from: "juni", to: "2026-13", step: "week", today: Self.today)
        #expect(unreadable == MonitorPeriod.parse(from: nil, to: nil, step: nil, today: Self.today))
        let huge = MonitorPeriod.parse(from: "2000-01", to: "2026-11", step: "maand", today: Self.today)
        #expect(huge.count == MonitorPeriod.maximumBuckets)
        #expect(huge.description.hasPrefix("jan 2000 – "))
    }

    @Test func tablesWriteCSVThatExcelReads() {
        let table = MonitorTable(
            id: "t", title: "T", columns: [.init("name", "Naam"), .init("hours", "Uren")],
            rows: [[.text("De \"Bascule\"; Amsterdam"), .measure(12.25)], [.period(key: "2026-Q1", label: "K1 2026"), .measure(nil)]])
        #expect(table.csv(dutch: true) == "\u{FEFF}Naam;Uren\r\n\"De \"\"Bascule\"\"; Amsterdam\";12,3\r\nK1 2026;\r\n")
        #expect(table.csv(dutch: false) == "name,hours\r\n\"De \"\"Bascule\"\"; Amsterdam\",12.3\r\n2026-Q1,\r\n")
    }
}
