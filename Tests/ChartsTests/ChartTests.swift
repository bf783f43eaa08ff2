import Charts
import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Counts elements by name and class in a well-formed XML document; parsing fails on
/// anything not well-formed.
final class SVGCounter: NSObject, XMLParserDelegate {
    var elements: [String: Int] = [:]
    var classes: [String: Int] = [:]
    var texts: [String] = []
    private var current = ""

    static func parse(_ svg: String) -> SVGCounter? {
        let counter = SVGCounter()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = counter
        return parser.parse() ? counter : nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        elements[name, default: 0] += 1
        if let cls = attributes["class"] { classes[cls, default: 0] += 1 }
        current = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" || name == "title" { texts.append(current) }
        current = ""
    }
}

@Suite struct ChartTests {
    @Test func barsAreWellFormedWithOneBarPerValue() throws {
        let chart = Chart(
            id: "c", title: "Geplaatst per soort", kind: .bars, categories: ["jan 2026", "feb 2026", "mrt 2026"],
            series: [.init("Vacature", [3, 0, 7]), .init("Stage", [1, nil, 2])])
        let svg = try #require(SVGCounter.parse(chart.svg))
        // Five values and a zero: a bar for each non-missing value, none for nil.
        #expect(svg.classes["bar"] == 5)
        #expect(svg.classes["category"] == 3)
        #expect(svg.classes["legend"] == 2)
        #expect(svg.classes["tick"] == 6)
        #expect(svg.elements["title"] == 1 + 5)
        #expect(svg.texts.contains("Vacature, mrt 2026: 7"))
        #expect(svg.texts.contains("Stage"))
    }

    @Test func stackedBarsStackAndTheAxisReachesTheLargestStack() throws {
        let chart = Chart(id: "s", title: "Uren", kind: .stackedBars, categories: ["K1", "K2"],
                          series: [.init("Pool", [30, 10]), .init("Gat", [15, 0])], unit: "uur")
        let svg = try #require(SVGCounter.parse(chart.svg))
        #expect(svg.classes["bar"] == 4)
        // 45 is the largest stack; the axis rounds up to 50 in steps of 10.
        #expect(svg.texts.filter { ["0", "10", "20", "30", "40", "50"].contains($0) }.count == 6)
        #expect(svg.texts.contains("Gat, K1: 15 uur"))
    }

    @Test func linesBreakAtMissingValuesAndMarkEachPoint() throws {
        let chart = Chart(id: "l", title: "Vulgraad", kind: .lines, categories: ["a", "b", "c", "d", "e"],
                          series: [.init("Vulgraad", [50, 62.5, nil, 80, 90])], unit: "%")
        let svg = try #require(SVGCounter.parse(chart.svg))
        #expect(svg.classes["point"] == 4)
        #expect(svg.classes["line"] == 2)
        #expect(svg.texts.contains("Vulgraad, b: 62,5 %"))
    }

    @Test func textIsEscaped() throws {
        let chart = Chart(id: "x\"", title: "<script>alert(1)</script> & co", kind: .bars, categories: ["<b>"],
                          series: [.init("\"quoted\" 'name'", [1])])
        let svg = chart.svg
        #expect(!svg.contains("<script>"))
        #expect(!svg.contains("<b>"))
        let parsed = try #require(SVGCounter.parse(svg))
        #expect(parsed.texts.contains("<script>alert(1)</script> & co"))
        #expect(parsed.texts.contains("\"quoted\" 'name'"))
    }

    @Test func emptyAndZeroChartsStillDraw() throws {
        let none = Chart(id: "n", title: "Leeg", kind: .bars, categories: [], series: [])
        #expect(SVGCounter.parse(none.svg) != nil)
        let zeros = Chart(id: "z", title: "Nul", kind: .lines, categories: ["a", "b"], series: [.init("x", [0, 0])])
        let parsed = try #require(SVGCounter.parse(zeros.svg))
        #expect(parsed.classes["point"] == 2)
        #expect(!zeros.svg.contains("nan") && !zeros.svg.contains("inf"))
    }

    @Test(arguments: [(0.0, 1.0), (1, 1), (7, 10), (11, 20), (21, 25), (26, 50), (450, 500), (1001, 2000), (0.3, 0.5)])
    func axisMaximumIsRound(value: Double, expected: Double) {
        #expect(Chart(id: "a", title: "", kind: .bars, categories: ["x"], series: [.init("s", [value])]).svg.contains(">\(Chart.dutch(expected))</text>"))
    }
}
