import Domain
import Foundation
import Matching
import Testing

/// `MatchingJSON.readInstance`, the format's own reader, against Foundation's
/// `JSONDecoder` with the format's `Codable` conformances: the same instance from the
/// same bytes, and a clear message, with its place, for what is wrong.
@Suite("Reading the matching format")
struct MatchingReaderTests {
    func decoded(_ text: String) throws -> MatchingInstance {
        try MatchingJSON.decoder.decode(MatchingInstance.self, from: Data(text.utf8))
    }

    @Test(arguments: 0..<20)
    func generatedInstancesReadAsTheDecoderReadsThem(seed: Int) throws {
        var instance = InstanceGenerator.make(seed: UInt64(900 + seed), people: 5 + seed * 3, demands: 10 + seed * 7, days: 14, credentials: true)
        // Confirmed, previous and ruled-out pairs, and people without some optional fields.
        let pairs = zip(instance.demands.prefix(6), instance.people.prefix(6)).map { Assignment(demand: $0.id, person: $1.id) }
        instance.confirmed = Array(pairs.prefix(2))
        instance.previous = Array(pairs.dropFirst(2).prefix(2))
        instance.forbidden = Array(pairs.dropFirst(4))
        for p in instance.people.indices where p % 3 == 0 { instance.people[p].vogIssued = nil }
        for pretty in [true, false] {
            let data = try MatchingJSON.encoder(pretty: pretty).encode(instance)
            let read = try MatchingJSON.readInstance(data)
            #expect(read == instance)
            #expect(read == (try MatchingJSON.decoder.decode(MatchingInstance.self, from: data)))
        }
    }

    /// What a hand-written file may hold: escapes, keys the format does not know, nulls
    /// for optional fields, offsets and fractions in dates, numbers with exponents,
    /// any whitespace, keys in any order, a comma before the end of an object or array
    /// (JSONDecoder lets it through).
    @Test func handWrittenJSONReadsAsTheDecoderReadsIt() throws {
        let text = #"""
        {
          "comment": {"by": ["planner", 1, true, false, null, {"x": -2.5e-3}]},
          "demands": [
            {"needed": 2, "id": "d\u00e9mand \"1\"\n", "organisation": "alt\/ra", "area": "oost",
             "qualification": "jeugd\ud83d\ude00hulp", "start": "2026-12-07T08:00:00+01:00", "end": "2026-12-07T16:00:00.250Z",
             "priority": "urgent", "vog_issued_since": null, "register": "SKJ", "induction_location": "Oost 1", "extra": []},
            {"id": "d2", "organisation": "cordaan", "area": "noord", "qualification": "pm",
             "start": "2026-12-08T07:00:00Z", "end": "2026-12-08T15:00:00-0000", "needed": 1, "priority": null}
          ],
        	"people": [{"id": "p1", "home_organisation": "cordaan", "qualifications": ["jeugd😀hulp", "pm"],
            "allowed_areas": ["oost", "noord"], "preferred_areas": null, "weekly_cap_hours": 3.2e1,
            "availability": [{"start": "2026-12-07T00:00:00Z", "end": "2026-12-14T00:00:00Z", "note": "x"}],
            "commitments": [], "vog_issued": "2026-01-05T00:00:00+01:00",
            "registrations": [{"register": "SKJ", "from": "2025-01-01T00:00:00Z", "until": null}],
            "inductions": [{"location": "Oost 1", "since": "2026-11-01T00:00:00Z"},]},],
          "confirmed": null,
          "\u0070revious": [{"person": "p1", "demand": "d2"}],
        }
        """#
        let read = try MatchingJSON.readInstance(Data(text.utf8))
        #expect(read == (try decoded(text)))
        #expect(read.demands[0].id == "démand \"1\"\n")
        #expect(read.demands[0].organisation == "alt/ra")
        #expect(read.demands[0].qualification == "jeugd😀hulp")
        #expect(read.demands[0].shift.end.timeIntervalSince1970 == 1_796_659_200.25)
        #expect(read.demands[1].priority == .normal)
        #expect(read.people[0].weeklyCapHours == 32)
        #expect(read.previous == [Assignment(demand: "d2", person: "p1")])
    }

    /// Each broken instance is refused, by the decoder too, and the message says where
    /// and what.
    @Test(arguments: [
        (#"{"demands": []}"#, "missing people"),
        (#"{"people": [], "demands": [{"id": "x", "organisation": "a", "area": "b", "qualification": "c", "start": "2026-12-07T08:00:00Z", "end": "2026-12-07T16:00:00Z"}]}"#,
         "missing demands[0].needed"),
        (#"{"people": [], "demands": [{"id": "x", "organisation": "a", "area": "b", "qualification": "c", "start": "morgen", "end": "2026-12-07T16:00:00Z", "needed": 1}]}"#,
         "demands[0].start: morgen is not an ISO 8601 date-time with a zone"),
        (#"{"people": [], "demands": [{"id": "x", "organisation": "a", "area": "b", "qualification": "c", "start": "2026-12-07T08:00:00Z", "end": "2026-12-07T16:00:00Z", "needed": 1, "priority": "soon"}]}"#,
         "demands[0].priority: soon is not urgent or normal"),
        (#"{"people": [], "demands": [{"id": "x", "organisation": "a", "area": "b", "qualification": "c", "start": "2026-12-07T08:00:00Z", "end": "2026-12-07T16:00:00Z", "needed": 1.5}]}"#,
         "demands[0].needed: 1.5 is not a whole number"),
        (#"{"people": [{"id": null}], "demands": []}"#, "people[0].id: may not be null"),
        (#"{"people": [{"id": "p", "home_organisation": "a", "qualifications": "pm"}], "demands": []}"#,
         "people[0].qualifications: expected an array (line 1, byte"),
        (#"{"people": {}, "demands": []}"#, "people: expected an array (line 1, byte 12)"),
        (#"{"people": [], "demands": []} []"#, "the instance: more after the instance's end"),
        (#"{"people": [], "demands": [], "#, "the instance: expected a key"),
        (#"{"people": ["#, "people[0]: expected an object"),
        ("{\"people\": [], \"demands\": [{\"id\": \"a\nb\"}]}", "demands[0].id: a control character in a string"),
        (#"{"people": [], "demands": [{"id": "\ud800"}]}"#, "demands[0].id: a lone surrogate in a string"),
        (#"{"people": [], "demands": [{"id": "x", "needed": 01}]}"#, "demands[0].needed: expected a number"),
        ("{\n\"people\": [],\n\"demands\": [] x}", "the instance: expected ',' or '}' (line 3, byte 31)"),
    ])
    func aBrokenInstanceIsRefusedWithWhereAndWhat(text: String, message: String) throws {
        #expect(throws: (any Error).self) { try decoded(text) }
        do {
            _ = try MatchingJSON.readInstance(Data(text.utf8))
            Issue.record("read \(text)")
        } catch {
            #expect(error.message.hasPrefix(message), "\(error.message)")
        }
    }

    @Test func bytesThatAreNotUTF8AreRefused() throws {
        var data = Data(#"{"people": [], "demands": [{"id": ""#.utf8)
        data.append(contentsOf: [0xC3, 0x28])
        data.append(contentsOf: Data(#""}]}"#.utf8))
        #expect(throws: (any Error).self) { try MatchingJSON.decoder.decode(MatchingInstance.self, from: data) }
        do {
            _ = try MatchingJSON.readInstance(data)
            Issue.record("read bytes that are not UTF-8")
        } catch {
            #expect(error.message == "demands[0].id: the string is not UTF-8 (line 1, byte 35)")
        }
    }
}
