/// Problems with user input, per field, in Dutch, in the order they were found.
/// Pages show each message next to its field; the API names the field.
public struct ValidationErrors: Error, Sendable, Hashable {
    public private(set) var items: [(field: String, message: String)] = []

    public init() {}

    public init(field: String, message: String) {
        add(field, message)
    }

    public mutating func add(_ field: String, _ message: String) {
        guard !items.contains(where: { $0.field == field }) else { return }
        items.append((field, message))
    }

    /// Adds `other`'s messages for the fields that have none yet.
    public mutating func merge(_ other: ValidationErrors) {
        for item in other.items { add(item.field, item.message) }
    }

    public var isEmpty: Bool { items.isEmpty }

    public subscript(field: String) -> String? {
        items.first { $0.field == field }?.message
    }

    public func throwIfAny() throws(ValidationErrors) {
        if !isEmpty { throw self }
    }

    public static func == (lhs: ValidationErrors, rhs: ValidationErrors) -> Bool {
        lhs.items.map(\.field) == rhs.items.map(\.field) && lhs.items.map(\.message) == rhs.items.map(\.message)
    }

    public func hash(into hasher: inout Hasher) {
        for item in items {
            hasher.combine(item.field)
            hasher.combine(item.message)
        }
    }
}
