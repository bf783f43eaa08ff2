import Domain
import Foundation
import Store

/// A posting as a line of a list (the vacancy bank, the HR adviser's list).
struct PostingLine: Sendable {
    let id: String
    let title: String
    let kind: String
    let organisation: String
    let place: String
    let hours: String?
    let closing: String?
    let status: String
    /// The moves the posting's life cycle allows from here, as buttons.
    let canPublish: Bool
    let canCloseOrFill: Bool
    let isInternal: Bool
    let duo: Bool
    let placesLeft: String?
    let applicants: Int

    init(_ posting: Posting, today: Day) {
        let d = posting.details
        id = posting.id.uuidString.lowercased()
        title = d.title
        kind = d.kind.label
        organisation = posting.organisationName
        let area = d.areaSlug.flatMap { slug in Area.all.first { $0.slug == slug } }
        place = [d.municipality.name, area.flatMap { $0.name == d.municipality.name ? nil : $0.name }].compactMap { $0 }.joined(separator: ", ")
        hours = d.hoursText
        closing = d.closingDate?.dutch
        status = posting.status.label
        canPublish = posting.status.canMove(to: .published)
        canCloseOrFill = posting.status.canMove(to: .closed) && posting.status.canMove(to: .filled)
        isInternal = posting.isInternal(on: today)
        duo = d.duoSuitable
        placesLeft = posting.placesLeft.map(placesLeftText)
        applicants = posting.applicantCount
    }
}

/// Select options for the filters and the posting form.
enum Choices {
    static func kinds(_ selected: String, byURLName: Bool) -> [Option] {
        Posting.Kind.allCases.map {
            let value = byURLName ? $0.urlName : $0.rawValue
            return Option(value: value, label: $0.label, selected: selected == value)
        }
    }

    static func disciplines(_ selected: String) -> [Option] {
        Discipline.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: selected == $0.rawValue) }
    }

    static func levels(_ selected: String) -> [Option] {
        EducationLevel.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: selected == $0.rawValue) }
    }

    static func municipalities(_ selected: String) -> [Option] {
        Municipality.allCases.map { Option(value: $0.rawValue, label: $0.name, selected: selected == $0.rawValue) }
    }

    static func areas(_ selected: String) -> [Option] {
        Area.all.map {
            Option(value: $0.slug, label: $0.municipality == .amsterdam ? "Amsterdam-\($0.name)" : $0.name, selected: selected == $0.slug)
        }
    }

    static func functions(_ all: [JobFunction], _ selected: String) -> [Option] {
        all.map { Option(value: $0.code, label: $0.name, selected: selected == $0.code) }
    }

    static func organisations(_ all: [Organisation], _ selected: String) -> [Option] {
        all.filter(\.active).map { Option(value: $0.slug, label: $0.name, selected: selected == $0.slug) }
    }
}
