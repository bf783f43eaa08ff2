import Foundation

/// What somebody types to create their own account: a job seeker (name, address,
/// password) or a student (also school, study programme and level). Checked here;
/// the password against the policy and the shipped list of common passwords.
public struct SignUp: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case jobSeeker
        case student(school: String, programme: String, level: EducationLevel)
    }

    public var email: String
    public var displayName: String
    public var password: String
    public var kind: Kind

    public var role: Role {
        switch kind {
        case .jobSeeker: .jobSeeker
        case .student: .student
        }
    }

    public static func parse(
        kind: String, email: String, displayName: String, password: String,
        school: String, programme: String, level: String, common: some PasswordList
    ) throws(ValidationErrors) -> SignUp {
        var errors = ValidationErrors()
        let email = EmailAddress.normalized(email)
        let name = displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty {
            errors.add("displayName", "Vul je naam in.")
        } else if name.count > 200 {
            errors.add("displayName", "Je naam is te lang (hoogstens 200 tekens).")
        }
        if email.isEmpty {
            errors.add("email", "Vul je e-mailadres in.")
        } else if !EmailAddress.isValid(email) {
            errors.add("email", "Dit is geen geldig e-mailadres, bijvoorbeeld naam@voorbeeld.nl.")
        }
        if let problem = PasswordPolicy.problem(with: password, email: email, common: common) {
            errors.add("password", problem)
        }
        var parsedKind = Kind.jobSeeker
        switch kind {
        case "werkzoekende":
            break
        case "student":
            let school = school.trimmingCharacters(in: .whitespacesAndNewlines)
            let programme = programme.trimmingCharacters(in: .whitespacesAndNewlines)
            if school.isEmpty { errors.add("school", "Vul je school in.") } else if school.count > 200 { errors.add("school", "Hoogstens 200 tekens.") }
            if programme.isEmpty { errors.add("programme", "Vul je opleiding in.") } else if programme.count > 200 { errors.add("programme", "Hoogstens 200 tekens.") }
            let parsedLevel = EducationLevel(rawValue: level)
            if parsedLevel == nil { errors.add("level", "Kies het niveau van je opleiding.") }
            if let parsedLevel { parsedKind = .student(school: school, programme: programme, level: parsedLevel) }
        default:
            errors.add("kind", "Kies of je werk zoekt of student bent.")
        }
        try errors.throwIfAny()
        return SignUp(email: email, displayName: name, password: password, kind: parsedKind)
    }
}

/// An HR adviser's invitation of an employee: name, address and function. A CSV of
/// many has the columns `naam,email,functie` (a header line is optional).
public struct Invitee: Sendable, Hashable {
    public var displayName: String
    public var email: String
    public var functionCode: String

    public init(displayName: String, email: String, functionCode: String) {
        self.displayName = displayName
        self.email = email
        self.functionCode = functionCode
    }

    /// One invitee, checked; `functions` are the known function codes.
    public static func parse(displayName: String, email: String, functionCode: String, functions: Set<String>) throws(ValidationErrors) -> Invitee {
        var errors = ValidationErrors()
        let name = displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        let email = EmailAddress.normalized(email)
        let function = functionCode.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { errors.add("displayName", "Vul de naam in.") } else if name.count > 200 { errors.add("displayName", "De naam is te lang (hoogstens 200 tekens).") }
        if email.isEmpty { errors.add("email", "Vul het e-mailadres in.") } else if !EmailAddress.isValid(email) { errors.add("email", "Dit is geen geldig e-mailadres.") }
        if !functions.contains(function) { errors.add("function", "Kies een functie uit de lijst.") }
        try errors.throwIfAny()
        return Invitee(displayName: name, email: email, functionCode: function)
    }

    /// A CSV of invitees: each record checked on its own. Returns the good ones and, per
    /// refused record, its line number and why.
    public static func parseCSV(_ text: String, functions: Set<String>) -> (invitees: [Invitee], problems: [(line: Int, message: String)]) {
        var invitees: [Invitee] = [], problems: [(Int, String)] = []
        for record in CSVText.records(text) {
            let cells = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.allSatisfy(\.isEmpty) { continue }
            if record.line == 1, cells.first?.lowercased() == "naam" { continue }
            guard cells.count == 3 else {
                problems.append((record.line, "Verwacht drie kolommen: naam, e-mailadres, functie."))
                continue
            }
            do {
                invitees.append(try parse(displayName: cells[0], email: cells[1], functionCode: cells[2], functions: functions))
            } catch {
                problems.append((record.line, error.items.map(\.message).joined(separator: " ")))
            }
        }
        return (invitees, problems)
    }
}
