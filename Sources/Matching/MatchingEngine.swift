import Foundation

/// The flexpool matching engine: pure, deterministic, no I/O.
///
/// Hard rules, never broken: the person holds the demand's qualification, will work
/// in its area, is available for the whole shift, does not work for the demanding
/// organisation, has no overlapping shift and at least 11 hours of rest between any
/// two shifts (confirmed ones and other commitments included), and stays within the
/// weekly cap. Goals, lexicographic: fill as many urgent people-slots as possible,
/// then as many normal ones, then prefer people's preferred areas, then spread hours
/// (least loaded first), then keep the previous proposal where it is still valid.
///
/// Small instances are searched exactly (branch and bound); larger ones greedily,
/// scarcest urgent slots first, followed by a repair pass of augmenting swaps.
public enum MatchingEngine {
    public static let formatVersion = 1
    public static let restHours = 11.0
    /// Up to this many open people-slots the search is exact.
    public static let exactSlotLimit = 12

    public static func solve(_ instance: MatchingInstance) -> MatchingResult {
        var problem = Problem(instance)
        let exact = problem.slots.count <= exactSlotLimit
        if exact {
            problem.searchExactly()
        } else {
            problem.assignGreedily()
            problem.repair()
        }
        return problem.result(method: exact ? "exact" : "heuristic", upperBound: UpperBound.compute(problem))
    }
}

/// The working state of one run.
struct Problem {
    struct Person {
        let id: String
        let home: String
        let qualifications: Set<String>
        let allowed: Set<String>
        let preferred: Set<String>
        let availability: [TimeRange]
        let cap: Double
        let previous: Set<Int>
        var busy: [TimeRange]
        var weekHours: [Int: Double] = [:]
        /// Hours per week of confirmed work only (before this run proposes anything).
        var fixedWeekHours: [Int: Double] = [:]
        /// Confirmed work and commitments only.
        var fixedBusy: [TimeRange] = []
        var hours: Double = 0
        var onDemand: Set<Int> = []
    }

    struct DemandInfo {
        let demand: Demand
        let week: Int
        let hours: Double
        /// Statically eligible people (qualified, area, not own organisation, available).
        var candidates: [Int]
        /// People qualified for it at all (qualification, area, other organisation).
        var qualified: Int
        var open: Int
    }

    var people: [Person]
    var demands: [DemandInfo]
    /// Open people-slots, as demand indices, in the order the greedy pass fills them.
    var slots: [Int]
    /// The engine's new assignments: demand index → person indices.
    var assigned: [[Int]]

    static let rest = MatchingEngine.restHours * 3600
    static let amsterdam: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
        calendar.firstWeekday = 2
        return calendar
    }()

    /// Monday 00:00 Amsterdam time of the week `date` falls in, as a day number.
    static func week(of date: Date) -> Int {
        let start = amsterdam.dateInterval(of: .weekOfYear, for: date)?.start ?? date
        return Int((start.timeIntervalSince1970 / 86_400).rounded())
    }

    init(_ instance: MatchingInstance) {
        // Sorted by id, so that the order of the input does not matter.
        let sortedDemands = instance.demands.sorted { $0.id < $1.id }
        let sortedPeople = instance.people.sorted { $0.id < $1.id }
        var demandIndex: [String: Int] = [:]
        for (index, demand) in sortedDemands.enumerated() { demandIndex[demand.id] = index }
        var personIndex: [String: Int] = [:]
        for (index, person) in sortedPeople.enumerated() { personIndex[person.id] = index }

        var previousByPerson: [Int: Set<Int>] = [:]
        for assignment in instance.previous {
            if let p = personIndex[assignment.person], let d = demandIndex[assignment.demand] {
                previousByPerson[p, default: []].insert(d)
            }
        }
        people = sortedPeople.enumerated().map { index, person in
            Person(
                id: person.id, home: person.homeOrganisation, qualifications: Set(person.qualifications),
                allowed: Set(person.allowedAreas), preferred: Set(person.preferredAreas),
                availability: Problem.merged(person.availability), cap: person.weeklyCapHours,
                previous: previousByPerson[index] ?? [], busy: person.commitments.sorted())
        }
        demands = sortedDemands.map { demand in
            DemandInfo(demand: demand, week: Problem.week(of: demand.shift.start), hours: demand.shift.hours,
                       candidates: [], qualified: 0, open: max(0, demand.needed))
        }
        assigned = Array(repeating: [], count: demands.count)
        slots = []

        // Confirmed assignments are fixed: they occupy the person and fill the demand.
        for assignment in instance.confirmed.sorted() {
            guard let p = personIndex[assignment.person], let d = demandIndex[assignment.demand] else { continue }
            occupy(p, with: d)
            if demands[d].open > 0 { demands[d].open -= 1 }
        }
        for p in people.indices {
            people[p].fixedWeekHours = people[p].weekHours
            people[p].fixedBusy = people[p].busy
        }

        // Who could take each demand at all, through an index on (qualification, area).
        var byQualificationArea: [String: [Int]] = [:]
        for (index, person) in people.enumerated() {
            for qualification in person.qualifications.sorted() {
                for area in person.allowed.sorted() {
                    byQualificationArea[qualification + "\u{1}" + area, default: []].append(index)
                }
            }
        }
        for d in demands.indices {
            let demand = demands[d].demand
            let pool = byQualificationArea[demand.qualification + "\u{1}" + demand.area] ?? []
            var qualified = 0
            var candidates: [Int] = []
            for p in pool where people[p].home != demand.organisation {
                qualified += 1
                if Problem.available(people[p].availability, for: demand.shift) { candidates.append(p) }
            }
            demands[d].qualified = qualified
            demands[d].candidates = candidates
        }

        // The scarcest urgent slots first, then by start.
        var order: [Int] = []
        for d in demands.indices { order += Array(repeating: d, count: demands[d].open) }
        let infos = demands
        order.sort { a, b in
            let x = infos[a], y = infos[b]
            if x.demand.priority != y.demand.priority { return x.demand.priority < y.demand.priority }
            if x.candidates.count != y.candidates.count { return x.candidates.count < y.candidates.count }
            if x.demand.shift.start != y.demand.shift.start { return x.demand.shift.start < y.demand.shift.start }
            return x.demand.id < y.demand.id
        }
        slots = order
    }

    /// Sorted, with overlapping and touching ranges merged.
    static func merged(_ ranges: [TimeRange]) -> [TimeRange] {
        var result: [TimeRange] = []
        for range in ranges.sorted() where range.end > range.start {
            if let last = result.last, range.start <= last.end {
                result[result.count - 1].end = max(last.end, range.end)
            } else {
                result.append(range)
            }
        }
        return result
    }

    /// Whether one of the merged, disjoint ranges covers the whole shift.
    static func available(_ ranges: [TimeRange], for shift: TimeRange) -> Bool {
        var low = 0, high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            if ranges[mid].start <= shift.start { low = mid + 1 } else { high = mid }
        }
        return low > 0 && ranges[low - 1].contains(shift)
    }

    // MARK: Rules

    enum Blocker { case none, cap, busy, same }

    /// What, if anything, stops person `p` taking demand `d` now.
    func blocker(_ p: Int, _ d: Int) -> Blocker {
        let person = people[p], info = demands[d]
        if person.onDemand.contains(d) { return .same }
        if (person.weekHours[info.week] ?? 0) + info.hours > person.cap + 1e-9 { return .cap }
        let shift = info.demand.shift
        for other in person.busy {
            if other.start.timeIntervalSince(shift.end) >= Problem.rest { break }
            if shift.start.timeIntervalSince(other.end) < Problem.rest && other.start.timeIntervalSince(shift.end) < Problem.rest {
                return .busy
            }
        }
        return .none
    }

    mutating func occupy(_ p: Int, with d: Int) {
        let info = demands[d]
        var person = people[p]
        let shift = info.demand.shift
        let at = person.busy.firstIndex { $0 > shift } ?? person.busy.count
        person.busy.insert(shift, at: at)
        person.weekHours[info.week, default: 0] += info.hours
        person.hours += info.hours
        person.onDemand.insert(d)
        people[p] = person
    }

    mutating func release(_ p: Int, from d: Int) {
        let info = demands[d]
        var person = people[p]
        if let index = person.busy.firstIndex(of: info.demand.shift) { person.busy.remove(at: index) }
        person.weekHours[info.week, default: 0] -= info.hours
        person.hours -= info.hours
        person.onDemand.remove(d)
        people[p] = person
    }

    mutating func assign(_ p: Int, _ d: Int) {
        occupy(p, with: d)
        assigned[d].append(p)
    }

    mutating func unassign(_ p: Int, _ d: Int) {
        release(p, from: d)
        if let index = assigned[d].firstIndex(of: p) { assigned[d].remove(at: index) }
    }

    /// The order in which candidates are preferred: preferred area, then the least
    /// loaded (in 8-hour steps), then whoever had it in the previous proposal, then
    /// exact load, then id.
    func preference(_ p: Int, _ d: Int) -> (Int, Int, Int, Double, Int) {
        let person = people[p]
        return (
            person.preferred.contains(demands[d].demand.area) ? 0 : 1,
            Int(person.hours / 8),
            person.previous.contains(d) ? 0 : 1,
            person.hours,
            p
        )
    }

    func bestCandidate(for d: Int) -> Int? {
        var best: Int?
        var bestKey: (Int, Int, Int, Double, Int)?
        for p in demands[d].candidates where blocker(p, d) == .none {
            let key = preference(p, d)
            if bestKey == nil || key < bestKey! {
                best = p
                bestKey = key
            }
        }
        return best
    }

    // MARK: Greedy and repair

    mutating func assignGreedily() {
        for d in slots {
            if let p = bestCandidate(for: d) { assign(p, d) }
        }
    }

    /// Augmenting swaps for open slots: a candidate blocked by one of their own new
    /// assignments moves here when someone else can take that one over; for an urgent
    /// slot, a candidate may leave a normal one even without a replacement.
    mutating func repair() {
        for _ in 0..<2 {
            var improved = false
            for d in slots where assigned[d].count < demands[d].open {
                if tryAugment(d) { improved = true }
            }
            if !improved { break }
        }
    }

    mutating func tryAugment(_ d: Int) -> Bool {
        let urgent = demands[d].demand.priority == .urgent
        for p in demands[d].candidates.prefix(64) where blocker(p, d) == .busy || blocker(p, d) == .cap {
            let shift = demands[d].demand.shift
            // The person's own new assignments that stand in the way.
            let blocking = people[p].onDemand.sorted().filter { other in
                guard assigned[other].contains(p) else { return false }
                let o = demands[other]
                let tooClose = shift.start.timeIntervalSince(o.demand.shift.end) < Problem.rest
                    && o.demand.shift.start.timeIntervalSince(shift.end) < Problem.rest
                return tooClose || o.week == demands[d].week
            }
            for other in blocking {
                unassign(p, other)
                guard blocker(p, d) == .none else {
                    assign(p, other)
                    continue
                }
                assign(p, d)
                if let q = bestCandidate(for: other) {
                    assign(q, other)
                    return true
                }
                if urgent && demands[other].demand.priority == .normal {
                    return true
                }
                unassign(p, d)
                assign(p, other)
            }
        }
        return false
    }

    // MARK: Exact search

    /// Branch and bound over the open slots: the lexicographic best of (urgent filled,
    /// total filled, preferred-area filled), found in a fixed order, so the same input
    /// always gives the same answer.
    mutating func searchExactly() {
        var best: (Int, Int, Int) = (-1, -1, -1)
        var bestAssigned = assigned
        let urgentAfter: [Int] = {
            var counts = Array(repeating: 0, count: slots.count + 1)
            for index in stride(from: slots.count - 1, through: 0, by: -1) {
                counts[index] = counts[index + 1] + (demands[slots[index]].demand.priority == .urgent ? 1 : 0)
            }
            return counts
        }()

        func search(_ index: Int, _ urgent: Int, _ total: Int, _ preferred: Int) {
            let remaining = slots.count - index
            let optimistic = (urgent + urgentAfter[index], total + remaining, preferred + remaining)
            if optimistic <= best { return }
            if index == slots.count {
                best = (urgent, total, preferred)
                bestAssigned = assigned
                return
            }
            let d = slots[index]
            let isUrgent = demands[d].demand.priority == .urgent ? 1 : 0
            let options = demands[d].candidates.filter { blocker($0, d) == .none }.sorted { preference($0, d) < preference($1, d) }
            for p in options {
                assign(p, d)
                search(index + 1, urgent + isUrgent, total + 1, preferred + (people[p].preferred.contains(demands[d].demand.area) ? 1 : 0))
                unassign(p, d)
            }
            search(index + 1, urgent, total, preferred)
        }
        search(0, 0, 0, 0)
        // Replay the best assignment so that the people's state matches it.
        for d in assigned.indices {
            for p in assigned[d] { unassign(p, d) }
        }
        for d in bestAssigned.indices {
            for p in bestAssigned[d] { assign(p, d) }
        }
    }

    // MARK: Result

    func result(method: String, upperBound: Int) -> MatchingResult {
        var assignments: [Assignment] = []
        var coverage = Coverage(urgentNeeded: 0, urgentFilled: 0, normalNeeded: 0, normalFilled: 0, preferredAreaFilled: 0)
        var gaps: [Gap] = []
        for (d, info) in demands.enumerated() {
            let filled = assigned[d].count
            for p in assigned[d] {
                assignments.append(Assignment(demand: info.demand.id, person: people[p].id))
                if people[p].preferred.contains(info.demand.area) { coverage.preferredAreaFilled += 1 }
            }
            if info.demand.priority == .urgent {
                coverage.urgentNeeded += info.open
                coverage.urgentFilled += filled
            } else {
                coverage.normalNeeded += info.open
                coverage.normalFilled += filled
            }
            if filled < info.open {
                gaps.append(Gap(demand: info.demand.id, missing: info.open - filled, reason: gapReason(d)))
            }
        }
        return MatchingResult(
            assignments: assignments.sorted(), gaps: gaps, coverage: coverage, upperBound: upperBound, method: method)
    }

    func gapReason(_ d: Int) -> Gap.Reason {
        let info = demands[d]
        if info.qualified == 0 { return .nobodyQualified }
        let others = info.candidates.filter { !assigned[d].contains($0) }
        if others.isEmpty { return .nobodyAvailable }
        if others.allSatisfy({ blocker($0, d) == .cap }) { return .everyoneAtCap }
        return .everyoneBusy
    }
}
