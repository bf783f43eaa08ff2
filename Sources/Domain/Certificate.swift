import Foundation

/// A certificate of a completed course: what the public check shows, and nothing more.
public struct Certificate: Sendable, Hashable {
    public let code: String
    public let holderName: String
    public let courseName: String
    public let provider: String
    public let completedOn: Day
    public let points: Double?
    public let register: String?

    public init(code: String, holderName: String, courseName: String, provider: String, completedOn: Day, points: Double?, register: String?) {
        self.code = code
        self.holderName = holderName
        self.courseName = courseName
        self.provider = provider
        self.completedOn = completedOn
        self.points = points
        self.register = register
    }

    /// Crockford's base32: no I, L, O or U, so that a code read aloud or typed is not misread.
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// Twelve random characters (60 bits) in three groups: `7KQ2-MX9D-4TBW`.
    public static func newCode() -> String {
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<12).map { _ in alphabet[Int(generator.next() % 32)] }
        return [0, 4, 8].map { String(characters[$0..<$0 + 4]) }.joined(separator: "-")
    }

    /// A code as someone typed it: upper case, without spaces or dashes, with the usual misreadings
    /// put right (O as 0, I and L as 1) and the dashes put back; nil when it cannot be one.
    public static func normalised(_ typed: String) -> String? {
        let plain = typed.uppercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.map { character -> Character in
            switch character {
            case "O": return "0"
            case "I", "L": return "1"
            default: return character
            }
        }
        guard plain.count == 12, plain.allSatisfy(alphabet.contains) else { return nil }
        return [0, 4, 8].map { String(plain[$0..<$0 + 4]) }.joined(separator: "-")
    }
}

/// The questions of a course's evaluation, answered 1 (not at all) to 5 (very much).
public enum EvaluationQuestion: String, CaseIterable, Sendable {
    case relevance, trainer, applicable, recommend

    public var text: String {
        switch self {
        case .relevance: return "De cursus sloot aan op mijn werk."
        case .trainer: return "De docent of trainer bracht de stof goed over."
        case .applicable: return "Ik kan wat ik leerde toepassen in mijn werk."
        case .recommend: return "Ik raad deze cursus aan collega's aan."
        }
    }

    public var short: String {
        switch self {
        case .relevance: return "Aansluiting op het werk"
        case .trainer: return "Docent"
        case .applicable: return "Toepasbaar"
        case .recommend: return "Aanraden"
        }
    }
}
