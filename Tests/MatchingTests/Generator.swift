import Domain
import Foundation
import Matching

/// The hard rules, checked independently of the engine's own bookkeeping.
enum RuleChecker {
    static func violations(_ instance: MatchingInstance, _ result: MatchingResult) -> [String] {
        violations(instance, assignments: result.assignments)
    }

    static func violations(_ instance: MatchingInstance, assignments proposed: [Assignment]) -> [String] {
        var problems: [String] = []
        let people = Dictionary(uniqueKeysWithValues: instance.people.map { ($0.id, $0) })
        let demands = Dictionary(uniqueKeysWithValues: instance.demands.map { ($0.id, $0) })
        var shifts: [String: [(String, TimeWindow)]] = [:]
        for assignment in instance.confirmed + proposed {
            guard let demand = demands[assignment.demand] else { problems.append("unknown demand"); continue }
            shifts[assignment.person, default: []].append((demand.id, demand.shift))
        }
        var perDemand: [String: Int] = [:]
        for assignment in instance.confirmed + proposed { perDemand[assignment.demand, default: 0] += 1 }
        for (id, count) in perDemand where count > demands[id]!.needed {
            problems.append("\(id) has \(count) people for \(demands[id]!.needed)")
        }
        if Set(proposed).count != proposed.count { problems.append("duplicate assignment") }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
        calendar.firstWeekday = 2
        for assignment in proposed {
            let person = people[assignment.person]!, demand = demands[assignment.demand]!
            if !person.qualifications.contains(demand.qualification) { problems.append("\(assignment) not qualified") }
            if !person.allowedAreas.contains(demand.area) { problems.append("\(assignment) wrong area") }
            if person.homeOrganisation == demand.organisation { problems.append("\(assignment) own organisation") }
            problems += credentialProblems(person, demand).map { "\(assignment) \($0)" }
            if !person.availability.contains(where: { $0.start <= demand.shift.start && demand.shift.end <= $0.end }) {
                // Touching ranges count as one (09-13 and 13-17 cover 10-16).
                let merged = person.availability.sorted().reduce(into: [TimeWindow]()) { acc, r in
                    if let last = acc.last, r.start <= last.end { acc[acc.count - 1].end = max(last.end, r.end) } else { acc.append(r) }
                }
                if !merged.contains(where: { $0.start <= demand.shift.start && demand.shift.end <= $0.end }) {
                    problems.append("\(assignment) not available")
                }
            }
        }
        for (person, list) in shifts {
            let all = list.map(\.1) + (people[person]?.commitments ?? [])
            for (i, a) in all.enumerated() {
                for b in all[(i + 1)...] {
                    let gap = max(b.start.timeIntervalSince(a.end), a.start.timeIntervalSince(b.end))
                    if gap < 11 * 3600 { problems.append("\(person): shifts closer than 11 hours") }
                }
            }
            var weeks: [Date: Double] = [:]
            for (_, shift) in list {
                weeks[calendar.dateInterval(of: .weekOfYear, for: shift.start)!.start, default: 0] += shift.hours
            }
            for (_, hours) in weeks where hours > people[person]!.weeklyCapHours + 1e-9 {
                problems.append("\(person): \(hours) hours over the cap")
            }
        }
        return problems
    }

    /// The best (urgent, total) coverage by trying every assignment (tiny instances only).
    static func bruteForce(_ instance: MatchingInstance) -> (Int, Int) {
        var slots: [Demand] = []
        for demand in instance.demands.sorted(by: { $0.id < $1.id }) { slots += Array(repeating: demand, count: demand.needed) }
        var best = (0, 0)
        var chosen: [Assignment] = []
        func recurse(_ index: Int) {
            if index == slots.count {
                if violations(instance, assignments: chosen).isEmpty {
                    let urgent = chosen.filter { a in slots.contains { $0.id == a.demand && $0.priority == .urgent } }.count
                    if (urgent, chosen.count) > best { best = (urgent, chosen.count) }
                }
                return
            }
            recurse(index + 1)
            for person in instance.people {
                let assignment = Assignment(demand: slots[index].id, person: person.id)
                if chosen.contains(assignment) { continue }
                chosen.append(assignment)
                recurse(index + 1)
                chosen.removeLast()
            }
        }
        recurse(0)
        return best
    }
}

extension RuleChecker {
    /// The rules `person` would break by also taking `demand`, given the proposed and
    /// confirmed assignments, worked out on their own (not with the engine's bookkeeping).
    static func brokenRules(_ instance: MatchingInstance, assignments: [Assignment], demand id: String, person personID: String) -> Set<String> {
        let demands = Dictionary(uniqueKeysWithValues: instance.demands.map { ($0.id, $0) })
        let person = instance.people.first { $0.id == personID }!
        let demand = demands[id]!
        var broken = Set(credentialProblems(person, demand))
        if !person.allowedAreas.contains(demand.area) { broken.insert("wrong_area") }
        let merged = person.availability.sorted().reduce(into: [TimeWindow]()) { acc, r in
            if let last = acc.last, r.start <= last.end { acc[acc.count - 1].end = max(last.end, r.end) } else { acc.append(r) }
        }
        if !merged.contains(where: { $0.start <= demand.shift.start && demand.shift.end <= $0.end }) { broken.insert("not_available") }
        let mine = (instance.confirmed + assignments).filter { $0.person == personID && $0.demand != id }.compactMap { demands[$0.demand]?.shift }
        for other in mine + person.commitments {
            if other.start < demand.shift.end && demand.shift.start < other.end {
                broken.insert("overlap")
            } else if max(demand.shift.start.timeIntervalSince(other.end), other.start.timeIntervalSince(demand.shift.end)) < 11 * 3600 {
                broken.insert("too_little_rest")
            }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
        calendar.firstWeekday = 2
        let week = calendar.dateInterval(of: .weekOfYear, for: demand.shift.start)!.start
        let hours = mine.filter { calendar.dateInterval(of: .weekOfYear, for: $0.start)!.start == week }.reduce(0) { $0 + $1.hours }
        if hours + demand.shift.hours > person.weeklyCapHours + 1e-9 { broken.insert("weekly_cap") }
        return broken
    }
}

extension RuleChecker {
    /// The credentials `demand` asks for that `person` lacks at the shift's start, in the
    /// format's own words (docs/matching-format.md), worked out here on their own.
    static func credentialProblems(_ person: PoolPerson, _ demand: Demand) -> [String] {
        let start = demand.shift.start
        var problems: [String] = []
        if let since = demand.vogIssuedSince {
            if let issued = person.vogIssued, since <= issued, issued <= start {} else { problems.append("no_valid_vog") }
        }
        if let register = demand.register {
            let holds = person.registrations.filter { $0.register == register }.contains { registration in
                registration.from <= start && (registration.until == nil || start < registration.until!)
            }
            if !holds { problems.append("not_registered") }
        }
        if let location = demand.inductionLocation, !person.inductions.contains(where: { $0.location == location && $0.since <= start }) {
            problems.append("not_inducted")
        }
        return problems
    }
}
