import Foundation

/// A function of the field (jeugdhulpverlener, gedragswetenschapper, ...).
public struct JobFunction: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var educationLevel: EducationLevel?
    /// Its scale in the CAO Jeugdzorg ("8", "10-11"), for the career paths.
    public var caoScale: String?

    public init(code: String, name: String, educationLevel: EducationLevel?, caoScale: String? = nil) {
        self.code = code
        self.name = name
        self.educationLevel = educationLevel
        self.caoScale = caoScale
    }
}

/// The registers a youth professional can be registered in.
public enum Register: String, CaseIterable, Sendable, Codable, Hashable {
    case skj = "SKJ"
    case big = "BIG"
}

public struct Registration: Sendable, Hashable, Codable {
    public var register: Register
    public var number: String
    public var registeredOn: Day
    public var expiresOn: Day?

    public init(register: Register, number: String, registeredOn: Day, expiresOn: Day?) {
        self.register = register
        self.number = number
        self.registeredOn = registeredOn
        self.expiresOn = expiresOn
    }
}

/// What a professional is open to.
public enum Interest: String, CaseIterable, Sendable, Codable, Hashable {
    case newJob = "new_job"
    case rotation
    case duoJob = "duo_job"
    case shadowDays = "shadow_days"
    case flexpool

    public var label: String {
        switch self {
        case .newJob: return "een nieuwe baan"
        case .rotation: return "baanroulatie"
        case .duoJob: return "een duobaan"
        case .shadowDays: return "meeloopdagen"
        case .flexpool: return "de flexpool"
        }
    }
}

/// One job in a professional's history; a move between member organisations shows as
/// one employment ending and another starting.
public struct Employment: Sendable, Hashable, Codable {
    public var organisationID: Organisation.ID
    public var functionCode: String
    public var startedOn: Day
    public var endedOn: Day?

    public init(organisationID: Organisation.ID, functionCode: String, startedOn: Day, endedOn: Day?) {
        self.organisationID = organisationID
        self.functionCode = functionCode
        self.startedOn = startedOn
        self.endedOn = endedOn
    }
}

/// A youth professional's profile, linked to their account.
public struct Professional: Sendable, Hashable {
    public var accountID: Account.ID
    public var educationLevel: EducationLevel?
    public var functionCodes: [String]
    public var disciplines: [Discipline]
    public var areaSlugs: [String]
    public var interests: [Interest]
    public var hoursPerWeek: Int?
    public var registrations: [Registration]
    /// The day their VOG (certificate of conduct) was issued; nil when none is on record.
    public var vogIssuedOn: Day?

    public init(
        accountID: Account.ID, educationLevel: EducationLevel?, functionCodes: [String], disciplines: [Discipline],
        areaSlugs: [String], interests: [Interest], hoursPerWeek: Int?, registrations: [Registration], vogIssuedOn: Day? = nil
    ) {
        self.accountID = accountID
        self.educationLevel = educationLevel
        self.functionCodes = functionCodes
        self.disciplines = disciplines
        self.areaSlugs = areaSlugs
        self.interests = interests
        self.hoursPerWeek = hoursPerWeek
        self.registrations = registrations
        self.vogIssuedOn = vogIssuedOn
    }
}
