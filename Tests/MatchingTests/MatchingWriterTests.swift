import Domain
import Foundation
@testable import Matching
import Testing

/// `MatchingJSON.resultFile`, the format's own writer, against `JSONEncoder` writing the
/// same fields: the same JSON, and the same bytes for the same result.
@Suite("Writing the matching result")
struct MatchingWriterTests {
    /// The result file's fields as `Codable` writes them (the shape docs/matching-format.md gives).
    struct File: Encodable {
        let formatVersion: Int
        let assignments: [Assignment]
        let gaps: [Gap]
        let coverage: Coverage
        let upperBound: Int
        let gapToBound: Int
        let method: String
        let elapsedMilliseconds: Double

        enum CodingKeys: String, CodingKey {
            case formatVersion = "format_version", assignments, gaps, coverage, upperBound = "upper_bound"
            case gapToBound = "gap_to_bound", method, elapsedMilliseconds = "elapsed_ms"
        }
    }

    func json(_ data: Data) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary)
    }

    @Test(arguments: 0..<12)
    func theResultFileIsWhatTheEncoderWrites(seed: Int) throws {
        var instance = InstanceGenerator.make(seed: UInt64(300 + seed), people: 4 + seed * 3, demands: 8 + seed * 9, days: 7, credentials: true)
        // Identifiers as free text: quotes, backslashes, slashes, control characters, accents.
        if !instance.people.isEmpty {
            let odd = "p \"één\"\\/\t\u{1}"
            instance.people[0].id = odd
        }
        let result = MatchingEngine.solve(instance)
        let elapsed = Double(seed) * 12.3
        let written = MatchingJSON.resultFile(result, formatVersion: 1, elapsedMilliseconds: elapsed)
        let expected = File(
            formatVersion: 1, assignments: result.assignments, gaps: result.gaps, coverage: result.coverage,
            upperBound: result.upperBound, gapToBound: result.upperBound - result.coverage.filled, method: result.method,
            elapsedMilliseconds: elapsed)
        #expect(try json(written) == json(try MatchingJSON.encoder().encode(expected)))
        #expect(MatchingJSON.resultFile(result, formatVersion: 1, elapsedMilliseconds: elapsed) == written)
        if seed == 11 {
            #expect(result.gaps.contains { !$0.nearMisses.isEmpty }, "near misses are written too")
        }
    }

    @Test func aResultReadsAsItIsMeant() throws {
        let result = MatchingResult(
            assignments: [Assignment(demand: "d/1", person: "p\"1")],
            gaps: [Gap(demand: "d2", missing: 2, reason: .everyoneAtCap, nearMisses: [
                NearMiss(person: "p2", rules: [.weeklyCap, .tooLittleRest], overCapHours: 4.5),
                NearMiss(person: "p3", rules: [.wrongArea]),
            ])],
            coverage: Coverage(urgentNeeded: 1, urgentFilled: 1, normalNeeded: 2, normalFilled: 0, preferredAreaFilled: 1),
            upperBound: 2, method: "heuristic")
        let text = String(decoding: MatchingJSON.resultFile(result, formatVersion: 1, elapsedMilliseconds: 7), as: UTF8.self)
        #expect(text == """
            {
              "assignments" : [
                {
                  "demand" : "d/1",
                  "person" : "p\\"1"
                }
              ],
              "coverage" : {
                "normal_filled" : 0,
                "normal_needed" : 2,
                "preferred_area_filled" : 1,
                "urgent_filled" : 1,
                "urgent_needed" : 1
              },
              "elapsed_ms" : 7,
              "format_version" : 1,
              "gap_to_bound" : 1,
              "gaps" : [
                {
                  "demand" : "d2",
                  "missing" : 2,
                  "near_misses" : [
                    {
                      "over_cap_hours" : 4.5,
                      "person" : "p2",
                      "rules" : [
                        "weekly_cap",
                        "too_little_rest"
                      ]
                    },
                    {
                      "person" : "p3",
                      "rules" : [
                        "wrong_area"
                      ]
                    }
                  ],
                  "reason" : "everyone_at_cap"
                }
              ],
              "method" : "heuristic",
              "upper_bound" : 2
            }
            """)
    }
}
