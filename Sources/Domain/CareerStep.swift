import Foundation

/// A step on a career path (loopbaanpad): from one function of the field to a next,
/// with what it takes. Courses are named by their academy topic, so that any member
/// organisation's course on it counts.
public struct CareerStep: Sendable, Hashable, Identifiable {
    public var id: UUID
    public var fromFunction: String
    public var toFunction: String
    /// The education it needs, in words ("hbo Pedagogiek of Social Work"); empty: none beyond the function's level.
    public var education: String
    public var registration: Register?
    public var experienceYears: Int
    /// Academy topics the step needs a completed course on.
    public var topics: [String]
    public var note: String

    public init(id: UUID = UUID(), fromFunction: String, toFunction: String, education: String = "", registration: Register? = nil,
                experienceYears: Int = 0, topics: [String] = [], note: String = "") {
        self.id = id
        self.fromFunction = fromFunction
        self.toFunction = toFunction
        self.education = education
        self.registration = registration
        self.experienceYears = experienceYears
        self.topics = topics
        self.note = note
    }

    /// What an admin typed into the step form; every problem gets a Dutch message.
    public static func parse(
        id: UUID = UUID(), from: String, to: String, education: String, registration: String, experience: String,
        topics: [String], note: String, knownFunctions: Set<String>, knownTopics: Set<String>
    ) throws(ValidationErrors) -> CareerStep {
        var errors = ValidationErrors()
        if !knownFunctions.contains(from) { errors.add("from", "Kies de functie waar de stap begint.") }
        if !knownFunctions.contains(to) { errors.add("to", "Kies de functie waar de stap naartoe gaat.") }
        if knownFunctions.contains(from), from == to { errors.add("to", "Een stap gaat naar een andere functie.") }
        let education = education.trimmingCharacters(in: .whitespacesAndNewlines)
        if education.count > 300 { errors.add("education", "Beschrijf de opleiding in hoogstens 300 tekens.") }
        var register: Register?
        if !registration.isEmpty {
            register = Register(rawValue: registration)
            if register == nil { errors.add("registration", "Kies SKJ, BIG of geen registratie.") }
        }
        let years = experience.trimmingCharacters(in: .whitespaces).isEmpty ? 0 : Int(experience.trimmingCharacters(in: .whitespaces))
        if years == nil || !(0...20).contains(years ?? -1) { errors.add("experience", "Vul een aantal jaren ervaring in van 0 tot 20.") }
        let unknown = topics.filter { !knownTopics.contains($0) }
        if !unknown.isEmpty { errors.add("topics", "Deze onderwerpen kent de academie niet: \(unknown.joined(separator: ", ")).") }
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        if note.count > 2000 { errors.add("note", "De toelichting is te lang (hoogstens 2.000 tekens).") }
        try errors.throwIfAny()
        return CareerStep(id: id, fromFunction: from, toFunction: to, education: education, registration: register,
                          experienceYears: years ?? 0, topics: Array(Set(topics)).sorted(), note: note)
    }
}

/// What a professional has towards a step.
public struct CareerStanding: Sendable, Hashable {
    public var educationLevel: EducationLevel?
    /// Registrations valid on the day the standing is taken.
    public var registrations: Set<Register>
    public var experienceYears: Double
    /// Academy topics of courses the professional completed.
    public var completedTopics: Set<String>

    public init(educationLevel: EducationLevel?, registrations: Set<Register>, experienceYears: Double, completedTopics: Set<String>) {
        self.educationLevel = educationLevel
        self.registrations = registrations
        self.experienceYears = experienceYears
        self.completedTopics = completedTopics
    }

    /// One requirement of a step, and whether it is met.
    public struct Requirement: Sendable, Hashable {
        public let text: String
        public let met: Bool
    }

    /// Each thing `step` (to a function of `level`) takes, in the order people read it.
    public func requirements(of step: CareerStep, targetLevel level: EducationLevel?) -> [Requirement] {
        var result: [Requirement] = []
        if let level {
            let order: [EducationLevel] = [.mbo, .hbo, .wo]
            let have = educationLevel.flatMap { order.firstIndex(of: $0) } ?? -1
            let needed = order.firstIndex(of: level) ?? 0
            result.append(Requirement(
                text: "Opleiding op \(level.label)-niveau" + (step.education.isEmpty ? "" : ": \(step.education)"), met: have >= needed))
        } else if !step.education.isEmpty {
            result.append(Requirement(text: "Opleiding: \(step.education)", met: false))
        }
        if let register = step.registration {
            result.append(Requirement(text: "Geldige \(register.rawValue)-registratie", met: registrations.contains(register)))
        }
        if step.experienceYears > 0 {
            result.append(Requirement(
                text: "\(step.experienceYears) jaar werkervaring in de jeugdhulp", met: experienceYears >= Double(step.experienceYears)))
        }
        for topic in step.topics {
            result.append(Requirement(text: "Cursus van de academie over \(topic)", met: completedTopics.contains(topic)))
        }
        return result
    }
}

/// A scale of the CAO Jeugdzorg as written in the catalogue: "8" or a range "10-11".
public enum CAOScale {
    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy(\.isASCII) && Int($0) != nil })
        else { return false }
        let numbers = parts.compactMap { Int($0) }
        return numbers.count == 1 || numbers[0] < numbers[1]
    }
}
