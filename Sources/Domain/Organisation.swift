import Foundation

/// A member organisation of the platform: a care provider, the local teams, or a
/// certified institution; or a partner school. New ones are added by admins, without
/// code changes.
public struct Organisation: Sendable, Hashable, Codable, Identifiable {
    public typealias ID = UUID

    public enum Kind: String, CaseIterable, Sendable, Codable {
        case careProvider = "care_provider"
        case localTeam = "local_team"
        case certifiedInstitution = "certified_institution"
        /// A partner school (mbo, hbo or wo): it employs nobody through the platform and
        /// posts nothing; its internship coordinators follow their students.
        case school

        public var label: String {
            switch self {
            case .careProvider: return "Jeugdhulpaanbieder"
            case .localTeam: return "Lokaal team"
            case .certifiedInstitution: return "Gecertificeerde instelling"
            case .school: return "School (mbo, hbo, wo)"
            }
        }
    }

    public var id: ID
    public var slug: String
    public var name: String
    public var kind: Kind
    public var municipality: Municipality
    public var active: Bool
    /// Its own site and logo, for job markup (schema.org sameAs and logo).
    public var website: String?
    public var logoURL: String?

    /// Whether it is one of the member organisations (employers), not a partner school.
    public var isMember: Bool { kind != .school }

    public init(id: ID, slug: String, name: String, kind: Kind, municipality: Municipality, active: Bool,
                website: String? = nil, logoURL: String? = nil) {
        self.website = website
        self.logoURL = logoURL
        self.id = id
        self.slug = slug
        self.name = name
        self.kind = kind
        self.municipality = municipality
        self.active = active
    }
}

/// What an admin types to add an organisation, checked.
public struct NewOrganisation: Sendable, Hashable {
    public var slug: String
    public var name: String
    public var kind: Organisation.Kind
    public var municipality: Municipality

    /// Validates raw form input; the errors name the fields and say, in Dutch, what is wrong.
    public static func parse(slug: String, name: String, kind: String, municipality: String) throws(ValidationErrors) -> NewOrganisation {
        var errors = ValidationErrors()
        let slug = slug.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if slug.isEmpty {
            errors.add("slug", "Vul een korte naam voor in adressen in, bijvoorbeeld 'altra'.")
        } else if !Slug.isValid(slug) {
            errors.add("slug", "Alleen kleine letters, cijfers en losse streepjes (bijvoorbeeld 'de-bascule'), hoogstens 60 tekens.")
        }
        if name.isEmpty {
            errors.add("name", "Vul de naam van de organisatie in.")
        } else if name.count > 200 {
            errors.add("name", "De naam is te lang (hoogstens 200 tekens).")
        }
        let parsedKind = Organisation.Kind(rawValue: kind)
        if parsedKind == nil { errors.add("kind", "Kies het soort organisatie.") }
        let parsedMunicipality = Municipality(rawValue: municipality)
        if parsedMunicipality == nil { errors.add("municipality", "Kies een gemeente van de regio.") }
        try errors.throwIfAny()
        return NewOrganisation(slug: slug, name: name, kind: parsedKind!, municipality: parsedMunicipality!)
    }

    public init(slug: String, name: String, kind: Organisation.Kind, municipality: Municipality) {
        self.slug = slug
        self.name = name
        self.kind = kind
        self.municipality = municipality
    }
}

/// The short names used in addresses (`/vacatures?organisatie=de-bascule`).
public enum Slug {
    public static func isValid(_ text: String) -> Bool {
        guard (1...60).contains(text.count), text.first != "-", text.last != "-", !text.contains("--") else {
            return false
        }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// A slug made from a name: "MOC 't Kabouterhuis" → "moc-t-kabouterhuis".
    public static func make(from name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "nl_NL"))
        var out = ""
        for scalar in folded.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty, out.last != "-" {
                out += "-"
            }
        }
        while out.last == "-" { out.removeLast() }
        return String(out.prefix(60))
    }
}

/// An organisation's own site and logo, as an admin enters them, checked.
public struct OrganisationPresence: Sendable, Hashable {
    public var website: String?
    public var logoURL: String?

    public static func parse(website: String, logo: String) throws(ValidationErrors) -> OrganisationPresence {
        var errors = ValidationErrors()
        let website = website.trimmingCharacters(in: .whitespacesAndNewlines)
        let logo = logo.trimmingCharacters(in: .whitespacesAndNewlines)
        if !website.isEmpty && !WebAddress.isValid(website, maximumLength: 500) {
            errors.add("website", "Vul het adres van de eigen site in, zoals https://www.altra.nl.")
        }
        if !logo.isEmpty && !WebAddress.isValid(logo, httpsOnly: true, maximumLength: 500) {
            errors.add("logo_url", "Vul het https-adres van het logo (een afbeelding) in.")
        }
        try errors.throwIfAny()
        return OrganisationPresence(website: website.isEmpty ? nil : website, logoURL: logo.isEmpty ? nil : logo)
    }
}
