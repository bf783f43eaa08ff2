import Domain
import Foundation
import Matching
import Store

/// The flexpool's words on pages: shifts as people read them, rules and gap reasons in Dutch.
enum FlexpoolText {
    /// "dinsdag 24-11-2026".
    static func dayTitle(_ date: Date) -> String {
        let day = Day(date)
        return AmsterdamTime.weekdayNames[AmsterdamTime.weekday(of: day) - 1] + " " + day.dutch
    }

    /// "08:00–16:00", with the day of the end when it is another day.
    static func times(_ shift: TimeWindow) -> String {
        let sameDay = Day(shift.start) == Day(shift.end) || AmsterdamTime.clock(shift.end) == "00:00"
        return AmsterdamTime.clock(shift.start) + "–" + AmsterdamTime.clock(shift.end) + (sameDay ? "" : " (volgende dag)")
    }

    /// "di 24-11-2026 08:00–16:00".
    static func when(_ shift: TimeWindow) -> String {
        let day = Day(shift.start)
        return AmsterdamTime.weekdayShort[AmsterdamTime.weekday(of: day) - 1] + " " + day.dutch + " " + times(shift)
    }

    static func window(_ window: TimeWindow) -> String {
        let from = Day(window.start), until = Day(window.end)
        let short = AmsterdamTime.weekdayShort
        return short[AmsterdamTime.weekday(of: from) - 1] + " " + from.dutch + " " + AmsterdamTime.clock(window.start) + " tot "
            + (from == until ? "" : short[AmsterdamTime.weekday(of: until) - 1] + " " + until.dutch + " ") + AmsterdamTime.clock(window.end)
    }

    static func rule(_ broken: Rules.Break) -> String {
        switch broken {
        case .notQualified: return "Je bent niet ingeschreven voor deze functie of discipline."
        case .wrongArea: return "Deze dienst is buiten de gebieden waar je wilt werken."
        case .ownOrganisation: return "Dit is een dienst van je eigen organisatie; die valt niet onder de flexpool."
        case .notAvailable: return "Je bent niet de hele dienst beschikbaar."
        case .overlap: return "Je hebt al een bevestigde dienst die hiermee overlapt."
        case .tooLittleRest: return "Er zit minder dan 11 uur rust tussen deze dienst en een andere bevestigde dienst."
        case .weeklyCap: return "Met deze dienst kom je boven je maximum aantal flexpooluren in die week."
        case .noValidVOG: return "Voor deze dienst is een VOG nodig die de organisatie op de dag van de dienst accepteert (meestal niet ouder dan drie jaar); die staat niet in je profiel, of is te oud."
        case .notRegistered: return "Voor deze dienst is een registratie (SKJ of BIG) nodig die op de dag van de dienst geldig is; die staat niet in je profiel."
        case .notInducted: return "Op deze locatie werkt niemand uit de flexpool zonder inwerkdienst; de coördinator kan er een inplannen."
        }
    }

    static func failure(_ failure: FlexpoolStore.ShiftFailure) -> String {
        switch failure {
        case .notFound: return "Deze dienst bestaat niet (meer)."
        case .notInPool: return "Je staat niet (meer) in de flexpool."
        case .notOpen: return "Deze dienst is geannuleerd of al begonnen."
        case .full: return "Alle plaatsen van deze dienst zijn al bezet."
        case .alreadyOnIt: return "Je staat al op deze dienst."
        case .rule(let broken): return rule(broken)
        case .ruledOut: return "Deze persoon is voor deze dienst uitgesloten; laat hem eerst weer toe."
        }
    }

    /// Why a pool member cannot take a shift, for the coordinator: short, with the
    /// shift or the hours in the way ("al 32 uur deze week", "geen 11 uur rust na de dienst van 22:30").
    static func nearMiss(_ finding: Rules.Finding?, ruledOut: Bool, shift: TimeWindow) -> String {
        if ruledOut { return "door jou uitgesloten voor deze dienst" }
        guard let finding else { return "" }
        if let plain = plain(finding.rule) { return plain }
        switch finding.rule {
        case .notQualified, .wrongArea, .ownOrganisation, .notAvailable, .noValidVOG, .notRegistered, .notInducted: return ""
        case .overlap:
            return "heeft al een dienst die overlapt (\(finding.other.map(when) ?? "bevestigd"))"
        case .tooLittleRest:
            guard let other = finding.other else { return "geen 11 uur rust tussen de diensten" }
            return other.end <= shift.start
                ? "geen 11 uur rust na de dienst tot \(AmsterdamTime.clock(other.end))" + (Day(other.end) == Day(shift.start) ? "" : " (\(Day(other.end).dutch))")
                : "geen 11 uur rust voor de dienst van \(AmsterdamTime.clock(other.start))" + (Day(other.start) == Day(shift.start) ? "" : " (\(Day(other.start).dutch))")
        case .weeklyCap:
            return "al \(hours(finding.weekHours ?? 0)) uur deze week (maximum \(hours(finding.cap ?? 0)), de dienst is \(hours(shift.hours)) uur)"
        }
    }

    /// What held someone back from a gap, in a few words ("4 uur boven het weekmaximum,
    /// te weinig rust").
    static func nearMiss(_ miss: NearMiss) -> String {
        miss.rules.map { rule in
            if let plain = plain(rule) { return plain }
            switch rule {
            case .weeklyCap: return "\(hours(miss.overCapHours ?? 0)) uur boven het weekmaximum"
            case .tooLittleRest: return "te weinig rust"
            case .overlap: return "overlapt met een andere dienst"
            case .notQualified, .wrongArea, .ownOrganisation, .notAvailable, .noValidVOG, .notRegistered, .notInducted: return ""
            }
        }.joined(separator: ", ")
    }

    /// A rule that needs no detail to say, in the same words everywhere; nil for the
    /// ones said with their shift or hours.
    static func plain(_ rule: Rules.Break) -> String? {
        switch rule {
        case .notQualified: return "heeft deze functie of discipline niet"
        case .wrongArea: return "werkt niet in dit gebied"
        case .ownOrganisation: return "werkt bij deze organisatie zelf"
        case .notAvailable: return "niet de hele dienst beschikbaar"
        case .noValidVOG: return "geen geldige VOG op die dag"
        case .notRegistered: return "geen geldige registratie op die dag"
        case .notInducted: return "niet ingewerkt op deze locatie"
        case .overlap, .tooLittleRest, .weeklyCap: return nil
        }
    }

    static func gap(_ reason: Gap.Reason) -> String {
        switch reason {
        case .nobodyQualified: return "Niemand in de pool heeft deze functie of discipline in dit gebied (buiten de eigen organisatie)."
        case .nobodyAvailable: return "Er zijn geschikte mensen, maar niemand is de hele dienst beschikbaar."
        case .everyoneAtCap: return "Wie kan, zit al aan het maximum aantal flexpooluren in die week."
        case .everyoneBusy: return "Wie kan, heeft al een dienst die overlapt of minder dan 11 uur rust laat."
        case .nobodyWithValidVOG: return "Niemand met een geldige VOG: wie de functie heeft, heeft geen VOG die de organisatie op die dag accepteert."
        case .nobodyRegistered: return "Niemand met een geldige registratie: wie de functie en een VOG heeft, staat die dag niet in het register (SKJ of BIG)."
        case .nobodyInducted: return "Niemand ingewerkt op deze locatie: plan een inwerkdienst of leg een inwerking vast."
        }
    }

    /// The gap reason in a few words, for a cell of the coordinator's grid.
    static func gapShort(_ reason: Gap.Reason) -> String {
        switch reason {
        case .nobodyQualified: return "niemand met deze kwalificatie"
        case .nobodyAvailable: return "niemand beschikbaar"
        case .everyoneAtCap: return "iedereen aan de maximale uren"
        case .everyoneBusy: return "iedereen al ingeroosterd"
        case .nobodyWithValidVOG: return "niemand met een geldige VOG"
        case .nobodyRegistered: return "niemand met een geldige registratie"
        case .nobodyInducted: return "niemand ingewerkt op deze locatie"
        }
    }

    static func hours(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value).replacingOccurrences(of: ".", with: ",")
    }
}
