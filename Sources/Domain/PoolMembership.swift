import Foundation

/// What a professional offers the flexpool: the functions and disciplines they may work
/// in, the areas they will work in (some preferred), and their most pool hours a week.
public struct PoolMembership: Sendable, Hashable {
    public var functionCodes: [String]
    public var disciplines: [Discipline]
    public var areaSlugs: [String]
    public var preferredAreaSlugs: [String]
    public var weeklyCapHours: Int

    public init(functionCodes: [String], disciplines: [Discipline], areaSlugs: [String], preferredAreaSlugs: [String], weeklyCapHours: Int) {
        self.functionCodes = functionCodes.sorted()
        self.disciplines = disciplines.sorted { $0.rawValue < $1.rawValue }
        self.areaSlugs = areaSlugs.sorted()
        self.preferredAreaSlugs = preferredAreaSlugs.sorted()
        self.weeklyCapHours = weeklyCapHours
    }

    public static let capRange = 1...40

    /// The qualifications the matching engine compares with a demand's: function codes and disciplines.
    public var qualifications: [String] { functionCodes + disciplines.map(\.rawValue) }

    /// The raw form of a membership, as a form or a file gives it.
    public struct Input: Sendable {
        public var functions: [String]
        public var disciplines: [String]
        public var areas: [String]
        public var preferredAreas: [String]
        public var weeklyCap: String

        public init(functions: [String], disciplines: [String], areas: [String], preferredAreas: [String], weeklyCap: String) {
            self.functions = functions
            self.disciplines = disciplines
            self.areas = areas
            self.preferredAreas = preferredAreas
            self.weeklyCap = weeklyCap
        }
    }

    /// Checks a membership against the professional's own profile: a function must be
    /// one of theirs, and a function that needs a registration (SKJ, BIG) needs one
    /// that is valid on `today`; a discipline must be one of theirs.
    public static func parse(_ input: Input, professional: Professional, today: Day) throws(ValidationErrors) -> PoolMembership {
        var errors = ValidationErrors()
        let functions = Array(Set(input.functions.filter { !$0.isEmpty })).sorted()
        let disciplineNames = Array(Set(input.disciplines.filter { !$0.isEmpty })).sorted()
        if functions.isEmpty && disciplineNames.isEmpty {
            errors.add("functions", "Kies minstens één functie of discipline waarin je wilt werken.")
        }
        for code in functions {
            guard professional.functionCodes.contains(code) else {
                errors.add("functions", "Je kunt alleen functies kiezen die in je profiel staan.")
                break
            }
            if let register = JobFunction.requiredRegister(for: code),
               !professional.registrations.contains(where: { $0.register == register && $0.isValid(on: today) }) {
                errors.add("functions", "Voor deze functie is een geldige \(register.rawValue)-registratie nodig; die staat niet in je profiel.")
                break
            }
        }
        var disciplines: [Discipline] = []
        for name in disciplineNames {
            guard let discipline = Discipline(rawValue: name), professional.disciplines.contains(discipline) else {
                errors.add("disciplines", "Je kunt alleen disciplines kiezen die in je profiel staan.")
                break
            }
            disciplines.append(discipline)
        }
        let known = Set(Area.all.map(\.slug))
        let areas = Array(Set(input.areas.filter { !$0.isEmpty })).sorted()
        if areas.isEmpty { errors.add("areas", "Kies minstens één gebied waar je wilt werken.") }
        else if !areas.allSatisfy(known.contains) { errors.add("areas", "Kies gebieden uit de lijst.") }
        let preferred = Array(Set(input.preferredAreas.filter { !$0.isEmpty })).sorted()
        if !preferred.allSatisfy(areas.contains) {
            errors.add("preferred_areas", "Een voorkeursgebied moet ook een gebied zijn waar je wilt werken.")
        }
        let cap = Int(input.weeklyCap.trimmingCharacters(in: .whitespaces))
        if cap == nil || !capRange.contains(cap!) {
            errors.add("weekly_cap", "Geef het aantal uren per week voor de flexpool: 1 tot en met 40.")
        }
        try errors.throwIfAny()
        return PoolMembership(functionCodes: functions, disciplines: disciplines, areaSlugs: areas, preferredAreaSlugs: preferred, weeklyCapHours: cap!)
    }
}

extension JobFunction {
    /// The register a function of the field requires (Jeugdwet, kwaliteitskader
    /// jeugd): hbo and wo youth professionals SKJ, the GZ-psycholoog BIG.
    public static func requiredRegister(for code: String) -> Register? {
        switch code {
        case "jeugdzorgwerker", "jeugdhulpverlener", "jeugdbeschermer", "gezinscoach", "ambulant-hulpverlener",
             "gedragswetenschapper", "orthopedagoog":
            return .skj
        case "gz-psycholoog":
            return .big
        default:
            return nil
        }
    }
}

extension Registration {
    public func isValid(on day: Day) -> Bool {
        registeredOn <= day && (expiresOn.map { day < $0 } ?? true)
    }
}
