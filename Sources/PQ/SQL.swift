/// A statement whose interpolated values become `$n` parameters.
///
/// ```swift
/// let sql: SQL = "SELECT id, title FROM posting WHERE id = \(id)"
/// ```
/// sends `SELECT id, title FROM posting WHERE id = $1` with `id` as parameter 1.
/// Interpolating another `SQL` value splices it in, renumbering its parameters, which
/// is how optional filters are composed. Raw text enters only through `SQL(unsafe:)`.
public struct SQL: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    enum Part: Sendable {
        case text(String)
        case bind(PostgresBinding)
    }

    var parts: [Part]

    /// Whether the statement is planned for its parameters at every run, never kept
    /// prepared on a connection with a generic plan: for statements whose best plan
    /// depends on a value (how common a searched word is), not only on its type.
    /// A fragment that says so says it for every statement it is spliced into.
    public internal(set) var plansEachTime = false

    public init(stringLiteral value: StaticString) {
        parts = [.text(value.description)]
    }

    public init(stringInterpolation: StringInterpolation) {
        parts = stringInterpolation.parts
        plansEachTime = stringInterpolation.plansEachTime
    }

    /// A statement planned for its parameters at every run (`plansEachTime`).
    public init(plannedEachTime statement: SQL) {
        self = statement.plannedEachTime
    }

    /// The same statement, planned for its parameters at every run (`plansEachTime`).
    public var plannedEachTime: SQL {
        var statement = self
        statement.plansEachTime = true
        return statement
    }

    /// Raw SQL text with no parameters. Only for text the program itself wrote
    /// (migration files, fixed fragments); never for a value that came from outside.
    public init(unsafe text: String) {
        parts = [.text(text)]
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var parts: [Part] = []
        var plansEachTime = false

        public init(literalCapacity: Int, interpolationCount: Int) {
            parts.reserveCapacity(interpolationCount * 2 + 1)
        }

        public mutating func appendLiteral(_ literal: StaticString) {
            parts.append(.text(literal.description))
        }

        /// A value: sent as a parameter.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value) {
            parts.append(.bind(value.postgresBinding))
        }

        /// An optional value: sent as a parameter, NULL when nil.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            parts.append(.bind(value.postgresBinding))
        }

        /// Another statement fragment: spliced in, its parameters renumbered.
        public mutating func appendInterpolation(_ fragment: SQL) {
            parts.append(contentsOf: fragment.parts)
            plansEachTime = plansEachTime || fragment.plansEachTime
        }
    }

    /// The statement text with `$1...$n` and the parameters in order.
    public func render() -> (text: String, bindings: [PostgresBinding]) {
        var text = ""
        var bindings: [PostgresBinding] = []
        for part in parts {
            switch part {
            case .text(let fragment):
                text += fragment
            case .bind(let binding):
                bindings.append(binding)
                text += "$\(bindings.count)"
            }
        }
        return (text, bindings)
    }

    public static func + (lhs: SQL, rhs: SQL) -> SQL {
        var result = lhs
        result.parts.append(contentsOf: rhs.parts)
        result.plansEachTime = lhs.plansEachTime || rhs.plansEachTime
        return result
    }

    public static func += (lhs: inout SQL, rhs: SQL) {
        lhs.parts.append(contentsOf: rhs.parts)
        lhs.plansEachTime = lhs.plansEachTime || rhs.plansEachTime
    }

    /// The fragments joined by a fixed separator (" AND ", ", ").
    public static func joined(_ fragments: [SQL], separator: StaticString) -> SQL {
        var result = SQL(unsafe: "")
        for (index, fragment) in fragments.enumerated() {
            if index > 0 { result.parts.append(.text(separator.description)) }
            result.parts.append(contentsOf: fragment.parts)
            result.plansEachTime = result.plansEachTime || fragment.plansEachTime
        }
        return result
    }

    /// The statement text with placeholders, for logs (never the values).
    public var description: String { render().text }
}
