import Domain

/// A professional's profile as pages show it: names instead of codes.
struct ProfileDisplay: Sendable {
    let functions: [String]
    let disciplines: [String]
    let educationLevel: String?
    let areas: [String]
    let hoursPerWeek: Int?
    let interests: [String]
    let registrations: [String]

    init(_ professional: Professional, functions known: [JobFunction]) {
        functions = professional.functionCodes.map { code in known.first { $0.code == code }?.name ?? code }
        disciplines = professional.disciplines.map(\.label)
        educationLevel = professional.educationLevel?.label
        areas = professional.areaSlugs.map { slug in Area.all.first { $0.slug == slug }?.name ?? slug }
        hoursPerWeek = professional.hoursPerWeek
        interests = professional.interests.map(\.label)
        registrations = professional.registrations.map { registration in
            "\(registration.register.rawValue) \(registration.number)" + (registration.expiresOn.map { ", geldig tot \($0.dutch)" } ?? "")
        }
    }
}
