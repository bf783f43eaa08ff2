import Domain
import Foundation
import PQ

/// Domain enums travel as their raw text; the column's CHECK constraint holds the set.
protocol PostgresTextEnum: PostgresCodable, RawRepresentable where RawValue == String {}

extension PostgresTextEnum {
    public static var postgresType: PostgresType { .unknown }
    public var postgresText: String? { rawValue }
    public static func decode(postgresText text: String?) throws(PostgresDecodingFailure) -> Self {
        guard let text else { throw .unexpectedNull }
        guard let value = Self(rawValue: text) else { throw .invalid("unknown \(Self.self) '\(text)'") }
        return value
    }
}

extension Role: PostgresEncodable, PostgresDecodable, PostgresTextEnum {}
extension Organisation.Kind: PostgresEncodable, PostgresDecodable, PostgresTextEnum {}
extension Municipality: PostgresEncodable, PostgresDecodable, PostgresTextEnum {}
extension EducationLevel: PostgresEncodable, PostgresDecodable, PostgresTextEnum {}
extension Register: PostgresEncodable, PostgresDecodable, PostgresTextEnum {}

/// `Day` is a `date` column.
extension Day: PostgresEncodable, PostgresDecodable {
    public static var postgresType: PostgresType { .date }
    public var postgresText: String? { iso }
    public static func decode(postgresText text: String?) throws(PostgresDecodingFailure) -> Day {
        guard let text else { throw .unexpectedNull }
        guard let day = Day(iso: text) else { throw .invalid("not a date") }
        return day
    }
}

extension Posting.Kind: PostgresEncodable, PostgresDecodable, PostgresTextEnum {}
extension Posting.Status: PostgresEncodable, PostgresDecodable, PostgresTextEnum {}
extension Discipline: PostgresEncodable, PostgresDecodable, PostgresTextEnum {}
extension ApplicationStatus: PostgresEncodable, PostgresDecodable, PostgresTextEnum {}
extension CourseRecord.Format: PostgresEncodable, PostgresDecodable, PostgresTextEnum {}
