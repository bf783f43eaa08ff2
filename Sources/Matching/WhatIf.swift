import Domain
import Foundation

/// One change to try on a copy of a matching instance: what a coordinator asks before
/// changing anything for real ("what if we had one more pedagogisch medewerker?").
public enum WhatIf: Sendable, Hashable {
    /// Someone more in the pool.
    case extraPerson(PoolPerson)
    /// More (or fewer) pool hours a week for one person.
    case weeklyHours(person: String, hours: Double)
    /// A demand at another time, as long as before.
    case moveDemand(id: String, start: Date)

    /// The instance with the change; nil when it names a person or demand the instance
    /// does not have.
    public func applied(to instance: MatchingInstance) -> MatchingInstance? {
        var copy = instance
        switch self {
        case .extraPerson(let person):
            guard !copy.people.contains(where: { $0.id == person.id }) else { return nil }
            copy.people.append(person)
        case .weeklyHours(let id, let hours):
            guard let index = copy.people.firstIndex(where: { $0.id == id }) else { return nil }
            copy.people[index].weeklyCapHours = hours
        case .moveDemand(let id, let start):
            guard let index = copy.demands.firstIndex(where: { $0.id == id }) else { return nil }
            let length = copy.demands[index].shift.end.timeIntervalSince(copy.demands[index].shift.start)
            copy.demands[index].shift = TimeWindow(start: start, end: start.addingTimeInterval(length))
            // Proposals of the old time do not carry over, nor do confirmed places.
            copy.previous.removeAll { $0.demand == id }
        }
        return copy
    }
}

/// What a change does: the matching of the instance as it is and of the changed copy.
public struct WhatIfOutcome: Sendable {
    public let before: MatchingResult
    public let after: MatchingResult
    /// Demands with fewer places open after the change, and by how many.
    public let closed: [(demand: String, places: Int)]
    /// Demands with more places open after the change (the change moved work elsewhere).
    public let opened: [(demand: String, places: Int)]

    init(before: MatchingResult, after: MatchingResult) {
        self.before = before
        self.after = after
        let open = Dictionary(before.gaps.map { ($0.demand, $0.missing) }, uniquingKeysWith: +)
        let nowOpen = Dictionary(after.gaps.map { ($0.demand, $0.missing) }, uniquingKeysWith: +)
        closed = open.compactMap { demand, missing in
            let places = missing - (nowOpen[demand] ?? 0)
            return places > 0 ? (demand, places) : nil
        }.sorted { $0.demand < $1.demand }
        opened = nowOpen.compactMap { demand, missing in
            let places = missing - (open[demand] ?? 0)
            return places > 0 ? (demand, places) : nil
        }.sorted { $0.demand < $1.demand }
    }
}

extension MatchingEngine {
    /// Solves the instance and its changed copy; nil when the change does not apply.
    public static func whatIf(_ change: WhatIf, on instance: MatchingInstance) -> WhatIfOutcome? {
        guard let changed = change.applied(to: instance) else { return nil }
        return WhatIfOutcome(before: solve(instance), after: solve(changed))
    }
}
