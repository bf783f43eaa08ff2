import Foundation

/// "Mijn profiel" as filled in: checked and turned into a `Professional`, or every
/// problem with a Dutch message per field.
public struct ProfileForm: Sendable {
    public var functions: [String]
    public var disciplines: [String]
    public var educationLevel: String
    public var areas: [String]
    public var hours: String
    public var interests: [String]
    /// Per register (SKJ, BIG): number, registered on, expires on; all empty for none.
    public var registrations: [Register: (number: String, registeredOn: String, expiresOn: String)]
    /// The day the VOG was issued (`JJJJ-MM-DD`), or empty.
    public var vogIssuedOn: String

    public init(
        functions: [String], disciplines: [String], educationLevel: String, areas: [String], hours: String, interests: [String],
        registrations: [Register: (number: String, registeredOn: String, expiresOn: String)], vogIssuedOn: String = ""
    ) {
        self.functions = functions
        self.disciplines = disciplines
        self.educationLevel = educationLevel
        self.areas = areas
        self.hours = hours
        self.interests = interests
        self.registrations = registrations
        self.vogIssuedOn = vogIssuedOn
    }

    public func parse(accountID: Account.ID, knownFunctions: Set<String>, today: Day = Day(Date())) throws(ValidationErrors) -> Professional {
        var errors = ValidationErrors()
        let functionCodes = Array(Set(functions)).sorted()
        if functionCodes.contains(where: { !knownFunctions.contains($0) }) { errors.add("functions", "Kies functies uit de lijst.") }
        let disciplineValues = Set(disciplines).compactMap(Discipline.init(rawValue:))
        if disciplineValues.count != Set(disciplines).count { errors.add("disciplines", "Kies disciplines uit de lijst.") }
        let level: EducationLevel?
        if educationLevel.isEmpty {
            level = nil
        } else if let parsed = EducationLevel(rawValue: educationLevel) {
            level = parsed
        } else {
            level = nil
            errors.add("education_level", "Kies mbo, hbo of wo.")
        }
        let areaSlugs = Array(Set(areas)).sorted()
        if areaSlugs.contains(where: { slug in !Area.all.contains { $0.slug == slug } }) { errors.add("areas", "Kies gebieden uit de lijst.") }
        var hoursPerWeek: Int?
        let trimmedHours = hours.trimmingCharacters(in: .whitespaces)
        if !trimmedHours.isEmpty {
            if let value = Int(trimmedHours), (1...60).contains(value) {
                hoursPerWeek = value
            } else {
                errors.add("hours", "Vul een aantal uren tussen 1 en 60 in, of laat het leeg.")
            }
        }
        let interestValues = Set(interests).compactMap(Interest.init(rawValue:))
        if interestValues.count != Set(interests).count { errors.add("interests", "Kies uit de lijst.") }
        var registrationValues: [Registration] = []
        for register in Register.allCases {
            guard let entry = registrations[register] else { continue }
            let number = entry.number.trimmingCharacters(in: .whitespaces)
            let field = register.rawValue.lowercased()
            if number.isEmpty && entry.registeredOn.isEmpty && entry.expiresOn.isEmpty { continue }
            guard Registration.isValidNumber(number) else {
                errors.add(field + "_number", "Een \(register.rawValue)-nummer heeft 4 tot 20 cijfers, letters of streepjes.")
                continue
            }
            guard let registered = Day(iso: entry.registeredOn) else {
                errors.add(field + "_registered_on", "Geef de registratiedatum als JJJJ-MM-DD.")
                continue
            }
            var expires: Day?
            if !entry.expiresOn.isEmpty {
                guard let day = Day(iso: entry.expiresOn), day > registered else {
                    errors.add(field + "_expires_on", "De einddatum ligt na de registratiedatum (JJJJ-MM-DD), of blijft leeg.")
                    continue
                }
                expires = day
            }
            registrationValues.append(Registration(register: register, number: number, registeredOn: registered, expiresOn: expires))
        }
        var vog: Day?
        let vogText = vogIssuedOn.trimmingCharacters(in: .whitespaces)
        if !vogText.isEmpty {
            if let day = Day(iso: vogText), day <= today {
                vog = day
            } else {
                errors.add("vog_issued_on", "Geef de datum van afgifte van je VOG als JJJJ-MM-DD, niet later dan vandaag; of laat het leeg.")
            }
        }
        try errors.throwIfAny()
        return Professional(
            accountID: accountID, educationLevel: level, functionCodes: functionCodes,
            disciplines: Discipline.allCases.filter(disciplineValues.contains), areaSlugs: areaSlugs,
            interests: Interest.allCases.filter(interestValues.contains), hoursPerWeek: hoursPerWeek, registrations: registrationValues,
            vogIssuedOn: vog)
    }
}

extension Registration {
    /// The database's rule for a register number.
    public static func isValidNumber(_ number: String) -> Bool {
        (4...20).contains(number.count) && number.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }
}
