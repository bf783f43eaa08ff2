import Foundation

/// A bar or line chart drawn on the server as SVG: axes with rounded ticks, a label
/// under each category, a legend, and a `<title>` on every bar and point that names
/// its value. No script and no external file, so it shows without JavaScript, prints,
/// and reads the same when saved. Pure: the same chart always gives the same text.
public struct Chart: Sendable {
    public enum Kind: Sendable { case bars, stackedBars, lines }

    public struct Series: Sendable {
        public let name: String
        /// One value per category; nil where there is nothing to show.
        public let values: [Double?]

        public init(_ name: String, _ values: [Double?]) {
            self.name = name
            self.values = values
        }
    }

    public let id: String
    public let title: String
    public let kind: Kind
    public let categories: [String]
    public let series: [Series]
    /// Said after each value in the titles: "uur", "%".
    public let unit: String

    public init(id: String, title: String, kind: Kind, categories: [String], series: [Series], unit: String = "") {
        precondition(series.allSatisfy { $0.values.count == categories.count }, "a value (or nil) per category")
        self.id = id
        self.title = title
        self.kind = kind
        self.categories = categories
        self.series = series
        self.unit = unit
    }

    /// Colours that stay apart for colour-blind readers (Okabe and Ito), each at least
    /// 3:1 against white.
    public static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8A6D00", "#56B4E9"]

    // The drawing's geometry, in SVG units.
    static let width = 720.0
    static let plotTop = 44.0
    static let plotLeft = 64.0
    static let plotRight = 16.0
    static let plotHeight = 220.0

    /// The SVG document.
    public var svg: String {
        let maximum = Self.niceMaximum(largestValue)
        let ticks = Self.ticks(upTo: maximum)
        let plotWidth = Self.width - Self.plotLeft - Self.plotRight
        let band = categories.isEmpty ? plotWidth : plotWidth / Double(categories.count)
        // Labels wider than their band are slanted, with room below for the longest.
        let shown = categories.map { $0.count > 30 ? String($0.prefix(29)) + "…" : $0 }
        let longest = shown.map { Double($0.count) * 6.6 }.max() ?? 0
        let slanted = longest > band * 0.95
        let bottom = slanted ? min(190, 28 + longest * 0.66) : 40.0
        let height = Self.plotTop + Self.plotHeight + bottom
        func y(_ value: Double) -> Double { Self.plotTop + Self.plotHeight * (1 - value / maximum) }

        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \(Self.number(Self.width)) \(Self.number(height))" \
            role="img" aria-labelledby="\(Self.escape(id))-title \(Self.escape(id))-desc" font-family="system-ui, sans-serif" font-size="12">
            <title id="\(Self.escape(id))-title">\(Self.escape(title))</title>
            <desc id="\(Self.escape(id))-desc">\(Self.escape(description))</desc>

            """
        // Legend, above the plot.
        var legendX = Self.plotLeft
        for (index, serie) in series.enumerated() {
            out += "<g class=\"legend\"><rect x=\"\(Self.number(legendX))\" y=\"12\" width=\"12\" height=\"12\" fill=\"\(Self.colour(index))\"/>"
            out += "<text x=\"\(Self.number(legendX + 16))\" y=\"22\" fill=\"#1a1a1a\">\(Self.escape(serie.name))</text></g>\n"
            legendX += 28 + Double(serie.name.count) * 6.6
        }
        // Grid lines and the value axis.
        for tick in ticks {
            let ty = y(tick)
            out += "<line class=\"grid\" x1=\"\(Self.number(Self.plotLeft))\" x2=\"\(Self.number(Self.width - Self.plotRight))\" y1=\"\(Self.number(ty))\" y2=\"\(Self.number(ty))\" stroke=\"#d0d7de\" stroke-width=\"1\"/>\n"
            out += "<text class=\"tick\" x=\"\(Self.number(Self.plotLeft - 6))\" y=\"\(Self.number(ty + 4))\" text-anchor=\"end\" fill=\"#4a4a4a\">\(Self.dutch(tick))</text>\n"
        }
        out += "<line class=\"axis\" x1=\"\(Self.number(Self.plotLeft))\" x2=\"\(Self.number(Self.plotLeft))\" y1=\"\(Self.number(Self.plotTop))\" y2=\"\(Self.number(Self.plotTop + Self.plotHeight))\" stroke=\"#4a4a4a\" stroke-width=\"1\"/>\n"
        out += "<line class=\"axis\" x1=\"\(Self.number(Self.plotLeft))\" x2=\"\(Self.number(Self.width - Self.plotRight))\" y1=\"\(Self.number(Self.plotTop + Self.plotHeight))\" y2=\"\(Self.number(Self.plotTop + Self.plotHeight))\" stroke=\"#4a4a4a\" stroke-width=\"1\"/>\n"
        // Category labels.
        for (index, category) in shown.enumerated() {
            let cx = Self.plotLeft + band * (Double(index) + 0.5)
            let cy = Self.plotTop + Self.plotHeight + 16
            if slanted {
                out += "<text class=\"category\" x=\"\(Self.number(cx))\" y=\"\(Self.number(cy))\" text-anchor=\"end\" transform=\"rotate(-40 \(Self.number(cx)) \(Self.number(cy)))\" fill=\"#1a1a1a\">\(Self.escape(category))</text>\n"
            } else {
                out += "<text class=\"category\" x=\"\(Self.number(cx))\" y=\"\(Self.number(cy))\" text-anchor=\"middle\" fill=\"#1a1a1a\">\(Self.escape(category))</text>\n"
            }
        }
        // The values.
        switch kind {
        case .bars:
            let inner = band * 0.8 / Double(max(series.count, 1))
            for (s, serie) in series.enumerated() {
                for (c, value) in serie.values.enumerated() {
                    guard let value else { continue }
                    let x = Self.plotLeft + band * (Double(c) + 0.1) + inner * Double(s)
                    out += bar(x: x, top: y(value), bottom: y(0), width: inner, colour: Self.colour(s), title: "\(serie.name), \(categories[c]): \(Self.dutch(value))\(unitSuffix)")
                }
            }
        case .stackedBars:
            for c in categories.indices {
                var base = 0.0
                for (s, serie) in series.enumerated() {
                    guard let value = serie.values[c] else { continue }
                    let x = Self.plotLeft + band * (Double(c) + 0.15)
                    out += bar(x: x, top: y(base + value), bottom: y(base), width: band * 0.7, colour: Self.colour(s), title: "\(serie.name), \(categories[c]): \(Self.dutch(value))\(unitSuffix)")
                    base += value
                }
            }
        case .lines:
            for (s, serie) in series.enumerated() {
                // A missing value breaks the line.
                var segments: [[(Double, Double)]] = [[]]
                for (c, value) in serie.values.enumerated() {
                    if let value {
                        segments[segments.count - 1].append((Self.plotLeft + band * (Double(c) + 0.5), y(value)))
                    } else if !segments[segments.count - 1].isEmpty {
                        segments.append([])
                    }
                }
                for segment in segments where segment.count > 1 {
                    let points = segment.map { Self.number($0.0) + "," + Self.number($0.1) }.joined(separator: " ")
                    out += "<polyline class=\"line\" points=\"\(points)\" fill=\"none\" stroke=\"\(Self.colour(s))\" stroke-width=\"2\"/>\n"
                }
                for (c, value) in serie.values.enumerated() {
                    guard let value else { continue }
                    out += "<circle class=\"point\" cx=\"\(Self.number(Self.plotLeft + band * (Double(c) + 0.5)))\" cy=\"\(Self.number(y(value)))\" r=\"3.5\" fill=\"\(Self.colour(s))\">"
                    out += "<title>\(Self.escape("\(serie.name), \(categories[c]): \(Self.dutch(value))\(unitSuffix)"))</title></circle>\n"
                }
            }
        }
        out += "</svg>"
        return out
    }

    /// A sentence for screen readers: what the chart shows and its range.
    public var description: String {
        let names = series.map(\.name).joined(separator: ", ")
        let span = categories.isEmpty ? "" : " van \(categories[0]) tot \(categories[categories.count - 1])"
        return "\(kind == .lines ? "Lijndiagram" : "Staafdiagram") van \(names)\(span). De cijfers staan in de tabel onder het diagram."
    }

    private var unitSuffix: String { unit.isEmpty ? "" : " " + unit }

    private func bar(x: Double, top: Double, bottom: Double, width: Double, colour: String, title: String) -> String {
        "<rect class=\"bar\" x=\"\(Self.number(x))\" y=\"\(Self.number(top))\" width=\"\(Self.number(width))\" height=\"\(Self.number(max(0, bottom - top)))\" fill=\"\(colour)\"><title>\(Self.escape(title))</title></rect>\n"
    }

    /// The largest value the value axis must reach (for stacked bars: the largest stack).
    var largestValue: Double {
        switch kind {
        case .bars, .lines:
            return series.flatMap { $0.values.compactMap { $0 } }.max() ?? 0
        case .stackedBars:
            return categories.indices.map { c in series.reduce(0) { $0 + max(0, $1.values[c] ?? 0) } }.max() ?? 0
        }
    }

    /// The top of the value axis: 1, 2, 2.5 or 5 times a power of ten, at or above `value`.
    static func niceMaximum(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        let power = pow(10, floor(log10(value)))
        for step in [1.0, 2.0, 2.5, 5.0, 10.0] where step * power >= value * (1 - 1e-9) {
            return step * power
        }
        return 10 * power
    }

    /// Five equal steps from 0 to `maximum`.
    static func ticks(upTo maximum: Double) -> [Double] {
        (0...5).map { maximum * Double($0) / 5 }
    }

    static func colour(_ index: Int) -> String { palette[index % palette.count] }

    /// A coordinate with at most one decimal.
    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }

    /// A value as Dutch readers write it: a decimal comma, at most one decimal.
    public static func dutch(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(format: "%.1f", rounded).replacingOccurrences(of: ".", with: ",")
    }

    /// Text made safe for XML content and attributes.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
