import Domain
import Foundation
import HTTPTypes
import Hummingbird
import PQ
import Store
import TestSupport
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("The monitor") struct MonitorWebTests {
    /// Every `<svg>…</svg>` of a page.
    static func svgs(in html: String) -> [String] {
        var found: [String] = []
        var rest = html[...]
        while let start = rest.range(of: "<svg"), let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) {
            found.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return found
    }

    /// Whether `xml` is well-formed, and how many elements of class `bar` it holds.
    static func parse(_ xml: String) -> (wellFormed: Bool, bars: Int) {
        final class Counter: NSObject, XMLParserDelegate {
            var bars = 0
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                if attributes["class"] == "bar" { bars += 1 }
            }
        }
        let counter = Counter()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = counter
        return (parser.parse(), counter.bars)
    }

    /// A CSV body as rows of fields (the test data has no quoted separators).
    static func csv(_ body: String, separator: Character) -> [[String]] {
        body.replacingOccurrences(of: "\u{FEFF}", with: "").split(separator: "\r\n", omittingEmptySubsequences: true)
            .map { $0.split(separator: separator, omittingEmptySubsequences: false).map(String.init) }
    }

    @Test func theDemoPageDrawsEveryChartAsWellFormedSVG() async throws {
        try await TestApp.withDemo { browser, _ in
            let visitor = try await browser.get("/monitor")
            #expect(visitor.status == .seeOther && visitor.location?.hasPrefix("/login") == true)
            try await browser.login("admin@doorstroom.test")
            let page = try await browser.get("/monitor")
            #expect(page.status == .ok)
            let svgs = Self.svgs(in: page.body)
            // postings 3, internships 1, moves 1, flexpool 2, per organisation 1, academy 3, offer 1.
            #expect(svgs.count == 12)
            for svg in svgs {
                let parsed = Self.parse(svg)
                #expect(parsed.wellFormed, "not well-formed: \(svg.prefix(200))")
            }
            // The demo's year of history shows: bars in the charts, a heat table of moves.
            #expect(svgs.map { Self.parse($0).bars }.reduce(0, +) > 100)
            #expect(page.body.contains("class=\"data matrix\""))
            #expect(page.body.contains("heat-4"))
            for id in ["postings", "internships", "internships-by-school", "moves", "mobility", "flexpool", "flexpool-organisations", "academy", "academy-offer", "academy-evaluations", "academy-wishes"] {
                #expect(page.body.contains("href=\"/monitor/\(id).csv?"), "CSV link of \(id)")
                #expect(page.body.contains("<section class=\"monitor\" id=\"\(id)\">"))
            }
            // Per quarter, and the print version with every table open.
            let quarters = try await browser.get("/monitor?per=kwartaal&tabellen=open")
            #expect(quarters.status == .ok && quarters.body.contains("<details class=\"figures\" open>"))
            #expect(quarters.body.contains(">K"))
            // The flexpool figures of the demo: hours from the pool and a gap.
            let flexpool = Self.csv(try await browser.get("/monitor/flexpool.csv?scheidingsteken=komma").body, separator: ",")
            let pool = flexpool.dropFirst().compactMap { Double($0[3]) }.reduce(0, +)
            let gap = flexpool.dropFirst().compactMap { Double($0[4]) }.reduce(0, +)
            #expect(pool > 0 && gap > 0)
        }
    }

    @Test func csvForDutchExcelPlainCSVAndJSONHoldTheSameFigures() async throws {
        try await TestApp.withDemo { browser, store in
            let orgs = try await MonitorFixture.load(on: store.pool)
            _ = orgs
            try await browser.login("coordinator@doorstroom.test")
            let dutch = try await browser.get("/monitor/flexpool.csv?van=2021-01&tot=2021-03&per=maand")
            #expect(dutch.status == .ok)
            #expect(dutch.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(dutch.headers[.contentDisposition]?.contains("doorstroom-flexpool-regio-2021-01-2021-03.csv") == true)
            #expect(dutch.body.hasPrefix("\u{FEFF}Periode;Diensten gevraagd;Gevraagde uren;Uren uit de flexpool;Gat (uitzendkrachten of open);Vulgraad (%);Mediane uren tot bevestiging\r\n"))
            #expect(Self.csv(dutch.body, separator: ";")[1] == ["jan 2021", "2", "28,0", "20,0", "8,0", "71,4", "24,0"])
            let plain = try await browser.get("/monitor/flexpool.csv?van=2021-01&tot=2021-03&scheidingsteken=komma")
            #expect(!plain.body.hasPrefix("\u{FEFF}"))
            #expect(Self.csv(plain.body, separator: ",")[1] == ["2021-01", "2", "28.0", "20.0", "8.0", "71.4", "24.0"])

            let json = try await browser.get("/api/v1/monitor/flexpool?from=2021-01&to=2021-03")
            #expect(json.status == .ok && json.headers[.contentType] == "application/json")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.body.utf8)) as? [String: Any])
            #expect(object["table"] as? String == "flexpool")
            #expect(object["organisation"] is NSNull)
            #expect((object["period"] as? [String: String]) == ["from": "2021-01", "to": "2021-03", "step": "month"])
            let columns = try #require(object["columns"] as? [[String: String]])
            #expect(columns.map { $0["key"]! } == ["period", "shifts", "demand_hours", "pool_hours", "gap_hours", "fill_rate", "median_hours_to_confirm"])
            let rows = try #require(object["rows"] as? [[String: Any]])
            #expect(rows.count == 3)
            #expect(rows[0]["period"] as? String == "2021-01" && rows[0]["demand_hours"] as? Double == 28 && rows[0]["fill_rate"] as? Double == 71.4)
            #expect(rows[2]["fill_rate"] is NSNull)
            let quarter = try await browser.get("/api/v1/monitor/postings?from=2021-01&to=2021-03&step=quarter&organisation=fixture-a")
            let quarterRows = try #require((try JSONSerialization.jsonObject(with: Data(quarter.body.utf8)) as? [String: Any])?["rows"] as? [[String: Any]])
            #expect(quarterRows.first { $0["kind"] as? String == "Vacature" }?["opened"] as? Int == 2)
            let index = try await browser.get("/api/v1/monitor")
            #expect(index.status == .ok && index.body.contains("\"/api/v1/monitor/academy-offer\""))
            #expect(try await browser.get("/api/v1/monitor/nothing").status == .notFound)
            #expect(try await browser.get("/monitor/nothing.csv").status == .notFound)
            #expect(try await browser.get("/monitor/flexpool.csv?organisatie=no-such-organisation").status == .notFound)
        }
    }

    @Test func anHRAdviserSeesTheirOwnAndTheRegionsTotalsNeverAnotherOrganisationsDetail() async throws {
        try await TestApp.withDemo { browser, store in
            _ = try await MonitorFixture.load(on: store.pool)
            let admin = Browser(browser.client)
            try await admin.login("admin@doorstroom.test")
            try await browser.login("hr@altra.doorstroom.test")
            let q1 = "van=2021-01&tot=2021-03"

            // Cordaan's (and the fixture organisations') detail: 403, in every form.
            #expect(try await browser.get("/monitor?organisatie=cordaan").status == .forbidden)
            #expect(try await browser.get("/monitor?organisatie=fixture-a").status == .forbidden)
            #expect(try await browser.get("/monitor/mobility.csv?organisatie=cordaan").status == .forbidden)
            #expect(try await browser.get("/api/v1/monitor/flexpool?organisation=cordaan").status == .forbidden)
            // Their own organisation and the region: allowed.
            #expect(try await browser.get("/monitor?organisatie=altra").status == .ok)
            let region = try await browser.get("/monitor?\(q1)")
            #expect(region.status == .ok)
            // The organisation choice offers the region and Altra only.
            #expect(region.body.contains("<option value=\"altra\"") && !region.body.contains("<option value=\"cordaan\""))
            // In per-organisation tables the others are summed, never named.
            for id in ["mobility", "flexpool-organisations", "academy-offer"] {
                let hrCSV = try await browser.get("/monitor/\(id).csv?\(q1)").body
                #expect(!hrCSV.contains("Organisatie A (fixture)") && !hrCSV.contains("Organisatie B (fixture)"), "\(id): \(hrCSV)")
                let adminCSV = try await admin.get("/monitor/\(id).csv?\(q1)").body
                #expect(adminCSV.contains("Organisatie A (fixture)"), "\(id) as admin: \(adminCSV)")
            }
            #expect(try await browser.get("/monitor/mobility.csv?\(q1)").body.contains("Overige lid-organisaties;Overige lid-organisaties;3"))
            #expect(!region.body.contains("Organisatie B (fixture)"))
            // The region's totals are the same for them as for an admin.
            for id in ["postings", "moves", "flexpool", "academy", "internships"] {
                let hrCSV = try await browser.get("/monitor/\(id).csv?\(q1)").body
                let adminCSV = try await admin.get("/monitor/\(id).csv?\(q1)").body
                #expect(hrCSV == adminCSV, "\(id)")
            }

            // An API token acts as an HR adviser of its organisation.
            let altra = try #require(try await store.organisations.find(slug: "altra"))
            let token = try await store.apiTokens.create(organisation: altra.id, name: "Monitor", by: nil)
            let client = Browser(browser.client)
            let bearer: HTTPFields = [.authorization: "Bearer \(token)"]
            #expect(try await client.get("/api/v1/monitor/mobility?organisation=cordaan", headers: bearer).status == .forbidden)
            let own = try await client.get("/api/v1/monitor/mobility?organisation=altra", headers: bearer)
            #expect(own.status == .ok && own.body.contains("\"organisation\":\"altra\""))
            let summed = try await client.get("/api/v1/monitor/mobility?from=2021-01&to=2021-03", headers: bearer)
            #expect(summed.body.contains("Overige lid-organisaties") && !summed.body.contains("fixture"))
            #expect(try await client.get("/api/v1/monitor/mobility").status == .unauthorized)
            #expect(try await client.get("/api/v1/monitor/mobility", headers: [.authorization: "Bearer ds_wrong"]).status == .unauthorized)

            // Professionals and students see no monitor.
            let professional = Browser(browser.client)
            try await professional.login("professional@doorstroom.test")
            #expect(try await professional.get("/monitor").status == .forbidden)
            #expect(try await professional.get("/api/v1/monitor/postings").status == .forbidden)
        }
    }
}
