import Foundation
import PQ
import TestSupport
import Testing

@Suite("Values round-trip through PostgreSQL")
struct RoundTripTests {
    @Test func nullsAndOptionals() async throws {
        try await TestDatabase.withFresh(migrated: false) { pool in
            let none: String? = nil
            let row = try await pool.query("SELECT \(none)::text, \(Int?.none)::bigint, \(Optional("x"))::text")
                .first(decoding: (String?, Int?, String?).self)!
            #expect(row.0 == nil)
            #expect(row.1 == nil)
            #expect(row.2 == "x")
            // A NULL where a value is required is a decoding error naming the column.
            do {
                _ = try await pool.query("SELECT NULL::text AS title").first(decoding: String.self)
                Issue.record("NULL decoded as String")
            } catch let error as PostgresError {
                #expect(error.kind == .decoding)
                #expect(error.column == "title")
            }
        }
    }

    @Test func unicodeTextArraysAndInjectionAttempts() async throws {
        try await TestDatabase.withFresh(migrated: false) { pool in
            _ = try await pool.query("CREATE TABLE x (id serial PRIMARY KEY, t text NOT NULL, tags text[] NOT NULL)")
            let texts = [
                "Jeugdhulpverlener · Zuidoost", "Coördinatie van zorg — één gezin, één plan", "ﻣﺮﺣﺒﺎ 👩🏽‍⚕️ 中文",
                "'); DROP TABLE x; --", "back\\slash \"quotes\" {braces},commas", "",
            ]
            for text in texts {
                let tags = [text, "NULL", "a,b", "{x}", "\"q\""]
                _ = try await pool.query("INSERT INTO x (t, tags) VALUES (\(text), \(tags))")
            }
            let rows = try await pool.query("SELECT t, tags FROM x ORDER BY id").decode((String, [String]).self)
            #expect(rows.map(\.0) == texts)
            for row in rows {
                #expect(row.1 == [row.0, "NULL", "a,b", "{x}", "\"q\""])
            }
            // The table is still there, and the injection attempt is just text.
            let count = try await pool.query("SELECT count(*) FROM x WHERE t = \("'); DROP TABLE x; --")").first(decoding: Int.self)
            #expect(count == 1)
        }
    }

    @Test func numbersBooleansUUIDsBytesAndJSON() async throws {
        struct Payload: Codable, Equatable, Sendable { let name: String; let points: Int }
        try await TestDatabase.withFresh(migrated: false) { pool in
            let id = UUID()
            let money = Decimal(string: "1234.56")!
            let bytes = Data([0, 1, 2, 0xfe, 0xff])
            let payload = Payload(name: "Signs of Safety", points: 12)
            let row = try await pool.query(
                "SELECT \(Int.max), \(Int.min), \(3.25), \(money), \(true), \(false), \(id), \(bytes), \(JSONB(payload))"
            ).first(decoding: (Int, Int, Double, Decimal, Bool, Bool, UUID, Data, JSONB<Payload>).self)!
            #expect(row.0 == Int.max)
            #expect(row.1 == Int.min)
            #expect(row.2 == 3.25)
            #expect(row.3 == money)
            #expect(row.4 == true)
            #expect(row.5 == false)
            #expect(row.6 == id)
            #expect(row.7 == bytes)
            #expect(row.8.value == payload)
        }
    }

    @Test func timestamptzAndDates() async throws {
        try await TestDatabase.withFresh(migrated: false) { pool in
            // Microsecond precision is what PostgreSQL keeps.
            let moments = [
                Date(timeIntervalSince1970: 1_795_000_000.123456), Date(timeIntervalSince1970: 0),
                Date(timeIntervalSince1970: -1_000_000_000.5), Date(timeIntervalSince1970: 4_102_444_800),
            ]
            for moment in moments {
                let back = try await pool.query("SELECT \(moment)").first(decoding: Date.self)!
                #expect(abs(back.timeIntervalSince1970 - moment.timeIntervalSince1970) < 0.000001)
            }
            // A value written in another zone decodes to the same instant.
            let instant = try await pool.query("SELECT '2026-11-22 23:30:00+01'::timestamptz").first(decoding: Date.self)!
            #expect(instant == Date(timeIntervalSince1970: 1_795_386_600))
            let day = try await pool.query("SELECT '2026-03-01'::date").first(decoding: Date.self)!
            #expect(day == Date(timeIntervalSince1970: 1_772_323_200))
            let infinite = try await pool.query("SELECT 'infinity'::timestamptz").first(decoding: Date.self)!
            #expect(infinite == .distantFuture)
            let instants = [Date(timeIntervalSince1970: 1_795_000_000.25), Date(timeIntervalSince1970: 1_796_598_000)]
            let array = try await pool.query("SELECT \(instants)::timestamptz[]").first(decoding: [Date].self)!
            #expect(array == instants)
        }
    }

    @Test func largeResults() async throws {
        try await TestDatabase.withFresh(migrated: false) { pool in
            let rows = try await pool.query(
                "SELECT g, 'regel ' || g, repeat('x', 100) FROM generate_series(1, \(100_000)) AS g"
            ).decode((Int, String, String).self)
            #expect(rows.count == 100_000)
            #expect(rows.last?.0 == 100_000)
            #expect(rows[41_999].1 == "regel 42000")
            let big = String(repeating: "ë", count: 1_000_000)
            let echoed = try await pool.query("SELECT \(big)::text").first(decoding: String.self)
            #expect(echoed == big)
        }
    }

    @Test func textWithANulCharacterIsRefusedNotCut() async throws {
        try await TestDatabase.withFresh(migrated: false) { pool in
            do {
                _ = try await pool.query("SELECT \("before\u{0}after")::text")
                Issue.record("a NUL character was sent")
            } catch let error as PostgresError {
                #expect(error.kind == .invalidParameter)
            }
        }
    }

    @Test func fragmentsComposeWithRenumberedParameters() async throws {
        try await TestDatabase.withFresh(migrated: false) { pool in
            var conditions: [SQL] = ["g > \(10)"]
            conditions.append("g % \(2) = 0")
            conditions.append("g <= \(20)")
            let sql: SQL = "SELECT g FROM generate_series(1, 100) AS g WHERE \(SQL.joined(conditions, separator: " AND ")) ORDER BY g"
            #expect(sql.description.contains("$3"))
            let values = try await pool.query(sql).decode(Int.self)
            #expect(values == [12, 14, 16, 18, 20])
        }
    }
}
