import Domain
import Foundation

/// The flexpool matching engine: pure, deterministic, no I/O.
///
/// Hard rules, never broken: the person holds the demand's qualification, will work
/// in its area, is available for the whole shift, does not work for the demanding
/// organisation, holds the credentials the shift asks for on its day (a VOG the
/// organisation accepts, the registration its function needs, an induction at its
/// location), has no overlapping shift and at least 11 hours of rest between any
/// two shifts (confirmed ones and other commitments included), and stays within the
/// weekly cap. Goals, lexicographic: fill as many urgent people-slots as possible,
/// then as many normal ones, then prefer people's preferred areas, then spread hours
/// (least loaded first), then keep the previous proposal where it is still valid.
///
/// Small instances are searched exactly (branch and bound). Larger ones: the urgent
/// places first on their own (augmenting chains among them); a Lagrangian relaxation of
/// the demands' places (each person plans alone at prices on the places) gives the
/// bound and, averaged over its later steps, plans that are rounded into a start; each
/// person's plan re-made exactly and a neighbourhood search improve it.
public enum MatchingEngine {
    public static let formatVersion = 1
    public static let restHours = 11.0
    /// Up to this many open people-slots the search is exact.
    public static let exactSlotLimit = 12
    /// Subgradient steps of the Lagrangian relaxation: a budget of person-shift visits
    /// (each step plans every person once), at most 1,000 (plain steps, the bound at the
    /// optimum on the benchmark's 200 people), at least 80 (smoothed steps: the bound
    /// within 0.85% of the best solution on its 2,000 and 5,000 people, as close as 200
    /// steps at a smaller temperature and 450 plain steps brought it).
    static func lagrangianSteps(pairs: Int) -> Int { min(1000, max(80, 30_000_000 / max(1, pairs))) }
    /// Rounds of re-planning each person (each followed by a greedy pass) after a start.
    static let replanRounds = 4
    /// Moves of the neighbourhood search: a budget of person-shift visits (each move plans
    /// three people), and no more than 300 moves per open place.
    static func neighbourhoodMoves(people: Int, pairs: Int, open: Int, budget: Int) -> Int {
        let perMove = 3 * max(1, pairs / max(1, people))
        return min(300 * open, budget / perMove)
    }

    public static func solve(_ instance: MatchingInstance) -> MatchingResult {
        var problem = Problem(instance)
        if problem.slots.count <= exactSlotLimit {
            problem.searchExactly()
            return problem.result(method: "exact", upperBound: UpperBound.compute(problem))
        }
        // Urgent places first, on their own (the normal ones held back): the most of them
        // the pool can fill. Nothing after this takes an urgent place away for good: every
        // later step keeps a change only when it fills at least as many urgent places.
        let normalOpen = problem.demands.indices.map { problem.demands[$0].demand.priority == .normal ? problem.demands[$0].open : 0 }
        var urgentSchedules: [PersonSchedule] = []
        if problem.demands.contains(where: { $0.demand.priority == .urgent && $0.open > 0 }) {
            for d in problem.demands.indices where normalOpen[d] > 0 { problem.demands[d].open = 0 }
            urgentSchedules = problem.schedules()
            problem.assignGreedily(openOnly: true)
            problem.raiseUrgent(urgentSchedules, seed: 2)
            for d in problem.demands.indices where normalOpen[d] > 0 { problem.demands[d].open = normalOpen[d] }
        }
        let schedules = problem.schedules()
        // A first solution: greedy (the scarcest urgent places first), each person re-planned.
        problem.assignGreedily(openOnly: true)
        problem.replanInRounds(schedules)
        let (urgentFilled, filled) = problem.score
        let pairs = schedules.reduce(0) { $0 + $1.demands.count }
        // The bound, close to the optimum, from the Lagrangian relaxation; with it the
        // prices and the people's averaged plans, which come near a solution of the
        // relaxation. Smoothed steps when there is no time for many.
        let steps = lagrangianSteps(pairs: pairs)
        let outcome = LagrangianBound(schedules: schedules, problem: problem).compute(
            urgentAtLeast: urgentFilled, filled: filled, full: problem.demands.indices.map { problem.assigned[$0].count >= problem.demands[$0].open },
            steps: steps, smoothed: steps < 1000)
        let bound = outcome.bound
        // The main start rounds those plans, then is improved. Should it hold fewer urgent
        // places than the urgent phase found, the urgent search runs again on it; failing
        // that, the urgent phase's own places with the rest rounded (which holds them all:
        // nothing later gives an urgent place up). The best of them goes on.
        var best = problem
        best.start(from: outcome, schedules, reference: nil)
        if best.score.0 < urgentFilled {
            var raised = best
            raised.raiseUrgent(urgentSchedules, keepingNormal: normalOpen, seed: 3)
            raised.improve(schedules)
            if raised.score > best.score { best = raised }
        }
        if best.score.0 < urgentFilled {
            var kept = problem
            kept.start(from: outcome, schedules, reference: problem)
            if kept.score > best.score { best = kept }
        }
        problem = best
        if bound > problem.score.1 {
            problem.searchNeighbourhoods(schedules, prices: outcome.prices, moves: neighbourhoodMoves(people: problem.people.count, pairs: pairs, open: problem.openPlaces, budget: 12_000_000), seed: 1, stopAt: bound)
        }
        return problem.result(method: "heuristic", upperBound: bound)
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
        let availability: [TimeWindow]
        let cap: Double
        let previous: Set<Int>
        var busy: [TimeWindow]
        /// The longest range in `busy`, so that a search can start just far enough back.
        var longest: TimeInterval = 0
        /// Hours per week of confirmed work only (before this run proposes anything).
        var fixedWeekHours: [Double] = []
        /// Confirmed work and commitments only.
        var fixedBusy: [TimeWindow] = []
        /// The demands the person is on (few: a small array beats a set here).
        var onDemand: [Int] = []
    }

    struct DemandInfo {
        let demand: Demand
        /// Statically eligible people (qualified, area, not own organisation, available).
        var candidates: [Int]
        /// People qualified for it at all (qualification, area, other organisation).
        var qualified: Int
        var open: Int
        /// Of the available people who lack one, how far the furthest got (an index in
        /// `Gap.credentialOrder`): the gap's reason when nobody available holds them all.
        var nearestLack: Int?
        var asksCredentials: Bool {
            demand.vogIssuedSince != nil || demand.register != nil || demand.inductionLocation != nil
        }
    }

    var people: [Person]
    /// The people as given (in the same order), for the credential rules.
    let sources: [PoolPerson]
    var demands: [DemandInfo]
    /// Open people-slots, as demand indices, in the order the greedy pass fills them.
    var slots: [Int]
    /// The engine's new assignments: demand index → person indices.
    var assigned: [[Int]]
    /// `assigned[d].count`, kept beside it: the searches read it for every shift they
    /// look at, and a count in one flat array is one read.
    var taken: [Int] = []
    /// Marks of the current augmenting search (equal to `stamp` when visited).
    var personSeen: [Int] = []
    var demandSeen: [Int] = []
    /// Organisations as numbers: each person's own, and each demand's.
    var homes: [Int] = []
    var demandOrganisation: [Int] = []
    /// Pairs a coordinator ruled out, as [demand, person].
    var ruledOut: Set<[Int]> = []
    var stamp = 0
    var searchBudget = 0
    /// What the searches read for every pair they look at, in flat arrays (a person's or a
    /// demand's record is large, and reading a field of one is a cache miss): hours per
    /// person and week (`load[p * weeks + w]`), pool hours, caps, and each demand's week,
    /// hours and area (numbered), with the people's preferred areas (`prefers[p * areas + a]`).
    var load: [Double] = []
    var weeks = 0
    var worked: [Double] = []
    var caps: [Double] = []
    /// Each demand's week is the index of its Amsterdam week among the weeks of this
    /// instance.
    var demandWeek: [Int] = []
    var demandHours: [Double] = []
    var demandArea: [Int] = []
    /// The areas' numbers (in order of first demand), for `demandArea` and the near misses.
    var areaNumber: [String: Int] = [:]
    var prefers: [Bool] = []
    var areas = 0

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

    /// `week(of:)` for many dates: the calendar is asked once per distinct hour.
    struct WeekCache {
        var known: [Int: Int] = [:]
        mutating func week(of date: Date) -> Int {
            let hour = Int((date.timeIntervalSince1970 / 3600).rounded(.down))
            if date.timeIntervalSince1970 == Double(hour) * 3600, let week = known[hour] { return week }
            let week = Problem.week(of: date)
            if date.timeIntervalSince1970 == Double(hour) * 3600 { known[hour] = week }
            return week
        }
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
        sources = sortedPeople
        people = sortedPeople.enumerated().map { index, person in
            Person(
                id: person.id, home: person.homeOrganisation, qualifications: Set(person.qualifications),
                allowed: Set(person.allowedAreas), preferred: Set(person.preferredAreas),
                availability: Problem.merged(person.availability), cap: person.weeklyCapHours,
                previous: previousByPerson[index] ?? [], busy: person.commitments.sorted())
        }
        demands = sortedDemands.map { DemandInfo(demand: $0, candidates: [], qualified: 0, open: max(0, $0.needed)) }
        // Weeks as small indices, so that hours per week are an array lookup.
        var weekCache = WeekCache()
        let weekNumbersOfDemands = sortedDemands.map { weekCache.week(of: $0.shift.start) }
        let weekNumbers = Array(Set(weekNumbersOfDemands)).sorted()
        var weekIndex: [Int: Int] = [:]
        for (index, number) in weekNumbers.enumerated() { weekIndex[number] = index }
        demandWeek = weekNumbersOfDemands.map { weekIndex[$0]! }
        demandHours = sortedDemands.map(\.shift.hours)
        weeks = weekNumbers.count
        load = Array(repeating: 0, count: people.count * weeks)
        worked = Array(repeating: 0, count: people.count)
        caps = people.map(\.cap)
        var areaNumber: [String: Int] = [:]
        demandArea = sortedDemands.map { demand in
            if let known = areaNumber[demand.area] { return known }
            areaNumber[demand.area] = areaNumber.count
            return areaNumber.count - 1
        }
        self.areaNumber = areaNumber
        areas = areaNumber.count
        prefers = Array(repeating: false, count: people.count * areas)
        for p in people.indices {
            for area in people[p].preferred { if let a = areaNumber[area] { prefers[p * areas + a] = true } }
        }
        assigned = Array(repeating: [], count: demands.count)
        taken = Array(repeating: 0, count: demands.count)
        slots = []

        // Confirmed assignments are fixed: they occupy the person and fill the demand.
        for assignment in instance.confirmed.sorted() {
            guard let p = personIndex[assignment.person], let d = demandIndex[assignment.demand] else { continue }
            occupy(p, with: d)
            if demands[d].open > 0 { demands[d].open -= 1 }
        }
        for p in people.indices {
            people[p].longest = max(people[p].longest, people[p].busy.map { $0.end.timeIntervalSince($0.start) }.max() ?? 0)
            people[p].fixedWeekHours = Array(load[(p * weeks)..<((p + 1) * weeks)])
            people[p].fixedBusy = people[p].busy
        }

        // Who could take each demand at all: per (qualification, area), the demands in
        // order of start; each person walks their own free windows through the groups they
        // belong to, so the work is the pairs found, not people times demands.
        var organisationNumber: [String: Int] = [:]
        func number(_ organisation: String) -> Int {
            if let known = organisationNumber[organisation] { return known }
            organisationNumber[organisation] = organisationNumber.count
            return organisationNumber.count - 1
        }
        homes = people.map { number($0.home) }
        demandOrganisation = demands.map { number($0.demand.organisation) }
        let (homes, demandOrganisation) = (self.homes, self.demandOrganisation)
        var groupOf: [String: Int] = [:]
        var groups: [[Int]] = []
        for d in demands.indices {
            let key = demands[d].demand.qualification + "\u{1}" + demands[d].demand.area
            if let g = groupOf[key] {
                groups[g].append(d)
            } else {
                groupOf[key] = groups.count
                groups.append([d])
            }
        }
        // Sorted by start (then by index, which is the id's order).
        let starts = demands.map(\.demand.shift.start)
        for g in groups.indices { groups[g].sort { (starts[$0], $0) < (starts[$1], $1) } }
        let sortedStarts = groups.map { group in group.map { starts[$0] } }
        // Qualified people per group, and per group and organisation (not counted for its own).
        var groupPeople = [Int](repeating: 0, count: groups.count)
        var groupOrganisationPeople: [Int: Int] = [:]
        for pair in instance.forbidden {
            if let p = personIndex[pair.person], let d = demandIndex[pair.demand] { ruledOut.insert([d, p]) }
        }
        let ends = demands.map(\.demand.shift.end)
        let asks = demands.map(\.asksCredentials)
        // Each person's groups, then (in parts side by side: a person's pairs depend only
        // on that person) the demands they could take and, for those whose
        // credentials they lack, the first one missing. Put together in the people's
        // order, so every demand's candidates are in that order whatever the cores.
        let memberOf = people.map { person in
            person.qualifications.flatMap { qualification in person.allowed.compactMap { groupOf[qualification + "\u{1}" + $0] } }
        }
        let (availability, ruledOutPairs) = (people.map(\.availability), ruledOut)
        let found = Parts.map(people.count) { [groups] p -> (takes: [Int], lacks: [(d: Int, stage: Int)]) in
            var takes: [Int] = [], lacks: [(d: Int, stage: Int)] = []
            for g in memberOf[p] {
                let inGroup = sortedStarts[g]
                for window in availability[p] {
                    // The first demand of the group starting in the window.
                    var low = 0, high = inGroup.count
                    while low < high {
                        let mid = (low + high) / 2
                        if inGroup[mid] < window.start { low = mid + 1 } else { high = mid }
                    }
                    var k = low
                    while k < inGroup.count, inGroup[k] < window.end {
                        let d = groups[g][k]
                        k += 1
                        guard ends[d] <= window.end, demandOrganisation[d] != homes[p],
                              ruledOutPairs.isEmpty || !ruledOutPairs.contains([d, p]) else { continue }
                        if asks[d], let first = Rules.credentials(sortedDemands[d], for: sortedPeople[p]) {
                            lacks.append((d, Gap.credentialOrder.firstIndex(of: first)!))
                            continue
                        }
                        takes.append(d)
                    }
                }
            }
            return (takes, lacks)
        }
        var candidates: [[Int]] = Array(repeating: [], count: demands.count)
        var nearestLack = [Int](repeating: -1, count: demands.count)
        for p in people.indices {
            for g in memberOf[p] {
                groupPeople[g] += 1
                groupOrganisationPeople[g * organisationNumber.count + homes[p], default: 0] += 1
            }
            for d in found[p].takes { candidates[d].append(p) }
            for (d, stage) in found[p].lacks { nearestLack[d] = max(nearestLack[d], stage) }
        }
        for d in demands.indices where nearestLack[d] >= 0 { demands[d].nearestLack = nearestLack[d] }
        for g in groups.indices {
            for d in groups[g] {
                demands[d].qualified = groupPeople[g] - (groupOrganisationPeople[g * organisationNumber.count + demandOrganisation[d]] ?? 0)
                demands[d].candidates = candidates[d]
            }
        }

        // The scarcest urgent slots first, then by start (demands are in id order, so
        // the index breaks ties as the id would).
        let keys = demands.map { info in
            (info.demand.priority == .urgent ? 0 : 1, info.candidates.count, info.demand.shift.start.timeIntervalSince1970)
        }
        var order: [Int] = []
        for d in demands.indices { order += Array(repeating: d, count: demands[d].open) }
        order.sort { a, b in
            let x = keys[a], y = keys[b]
            return (x.0, x.1, x.2, a) < (y.0, y.1, y.2, b)
        }
        slots = order
    }

    /// Sorted, with overlapping and touching ranges merged.
    static func merged(_ ranges: [TimeWindow]) -> [TimeWindow] {
        var result: [TimeWindow] = []
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
    static func available(_ ranges: [TimeWindow], for shift: TimeWindow) -> Bool {
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
    /// (Someone on the demand is also over the cap or busy with its own shift, so the
    /// list of their demands is read only then.)
    func blocker(_ p: Int, _ d: Int) -> Blocker {
        if load[p * weeks + demandWeek[d]] + demandHours[d] > caps[p] + 1e-9 { return people[p].onDemand.contains(d) ? .same : .cap }
        let shift = demands[d].demand.shift
        // Busy is sorted by start: look only from the first range that could be within
        // rest of this shift.
        let busy = people[p].busy
        var low = 0, high = busy.count
        let earliest = shift.start.addingTimeInterval(-Problem.rest - people[p].longest)
        while low < high {
            let mid = (low + high) / 2
            if busy[mid].start < earliest { low = mid + 1 } else { high = mid }
        }
        for index in low..<busy.count {
            let other = busy[index]
            if other.start.timeIntervalSince(shift.end) >= Problem.rest { break }
            if shift.start.timeIntervalSince(other.end) < Problem.rest { return people[p].onDemand.contains(d) ? .same : .busy }
        }
        return .none
    }

    // Mutated in place (not through a copy of the person), so that the arrays and
    // sets inside are never copied.
    mutating func occupy(_ p: Int, with d: Int) {
        let shift = demands[d].demand.shift
        let at = people[p].busy.firstIndex { $0 > shift } ?? people[p].busy.count
        people[p].busy.insert(shift, at: at)
        people[p].longest = max(people[p].longest, shift.end.timeIntervalSince(shift.start))
        load[p * weeks + demandWeek[d]] += demandHours[d]
        worked[p] += demandHours[d]
        people[p].onDemand.append(d)
    }

    mutating func release(_ p: Int, from d: Int) {
        let shift = demands[d].demand.shift
        if let index = people[p].busy.firstIndex(of: shift) { people[p].busy.remove(at: index) }
        load[p * weeks + demandWeek[d]] -= demandHours[d]
        worked[p] -= demandHours[d]
        if let index = people[p].onDemand.firstIndex(of: d) { people[p].onDemand.remove(at: index) }
    }

    mutating func assign(_ p: Int, _ d: Int) {
        occupy(p, with: d)
        assigned[d].append(p)
        taken[d] += 1
    }

    mutating func unassign(_ p: Int, _ d: Int) {
        release(p, from: d)
        if let index = assigned[d].firstIndex(of: p) {
            assigned[d].remove(at: index)
            taken[d] -= 1
        }
    }

    /// The order in which candidates are preferred: preferred area, then the least
    /// loaded (in 8-hour steps), then whoever had it in the previous proposal, then
    /// exact load, then id.
    func preference(_ p: Int, _ d: Int) -> (Int, Int, Int, Double, Int) {
        (
            prefers[p * areas + demandArea[d]] ? 0 : 1,
            Int(worked[p] / 8),
            people[p].previous.contains(d) ? 0 : 1,
            worked[p],
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

    mutating func assignGreedily(openOnly: Bool = false) {
        for d in slots where !openOnly || taken[d] < demands[d].open {
            if let p = bestCandidate(for: d) { assign(p, d) }
        }
    }

    /// Augmenting chains for open slots, as in bipartite matching: a candidate held
    /// back by one of their own new assignments (overlap, rest or the weekly cap) moves
    /// here, and the place they leave is filled the same way, up to `chainDepth` moves
    /// deep, each person and demand visited once per search. For an urgent slot a
    /// normal place may be given up at the end of the chain (urgent comes first).
    mutating func repair() {
        personSeen = Array(repeating: 0, count: people.count)
        demandSeen = Array(repeating: 0, count: demands.count)
        // A search depends only on the assignments: one that failed fails again until
        // some other search succeeds (a demand's further open places, later rounds).
        var successes = 0
        var failedAt = [Int](repeating: -1, count: demands.count)
        for _ in 0..<3 {
            var improved = false
            for d in slots where taken[d] < demands[d].open && failedAt[d] != successes {
                stamp += 1
                demandSeen[d] = stamp
                searchBudget = demands[d].demand.priority == .urgent ? Problem.urgentSearchBudget : Problem.searchBudget
                if augment(d, depth: Problem.chainDepth, urgent: demands[d].demand.priority == .urgent) {
                    improved = true
                    successes += 1
                } else {
                    failedAt[d] = successes
                }
            }
            if !improved { break }
        }
    }

    static let chainDepth = 4
    /// People one search for a chain may visit: the chains found are short, and a search
    /// that has not found one after this many rarely does (the re-planning and the
    /// neighbourhood search reach the rest). Measured when the main start still looked for
    /// chains: at 30 rather than 50 it took 0.76 s instead of 1.2 at 5,000 people, and the
    /// end result was 5 places lower there, 3 at 2,000, 8 higher at 1,000 and the same
    /// optimum at 200; at 20 it lost the optimum at 200.
    static let searchBudget = 30
    /// Urgent places are few and come first: their searches may look further.
    static let urgentSearchBudget = 400

    /// Tries to fill one more place of `d`; true when it did (the chain is applied).
    mutating func augment(_ d: Int, depth: Int, urgent: Bool) -> Bool {
        if let p = bestCandidate(for: d) {
            assign(p, d)
            return true
        }
        guard depth > 0 else { return false }
        let shift = demands[d].demand.shift
        let week = demandWeek[d]
        for p in demands[d].candidates where personSeen[p] != stamp {
            let why = blocker(p, d)
            guard why == .busy || why == .cap else { continue }
            personSeen[p] = stamp
            searchBudget -= 1
            if searchBudget < 0 { return false }
            // The person's own new assignments that stand in the way.
            let blocking = people[p].onDemand.filter { other in
                guard demandSeen[other] != stamp, assigned[other].contains(p) else { return false }
                let o = demands[other]
                let tooClose = shift.start.timeIntervalSince(o.demand.shift.end) < Problem.rest
                    && o.demand.shift.start.timeIntervalSince(shift.end) < Problem.rest
                return tooClose || (why == .cap && demandWeek[other] == week)
            }.sorted()
            for other in blocking {
                unassign(p, other)
                guard blocker(p, d) == .none else {
                    assign(p, other)
                    continue
                }
                assign(p, d)
                demandSeen[other] = stamp
                if augment(other, depth: depth - 1, urgent: urgent) { return true }
                if urgent && demands[other].demand.priority == .normal { return true }
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
        unassignAll()
        for d in bestAssigned.indices {
            for p in bestAssigned[d] { assign(p, d) }
        }
    }

    // MARK: Result

    func result(method: String, upperBound: Int) -> MatchingResult {
        var assignments: [Assignment] = []
        var coverage = Coverage(urgentNeeded: 0, urgentFilled: 0, normalNeeded: 0, normalFilled: 0, preferredAreaFilled: 0)
        var gaps: [Gap] = []
        let index = NearMissIndex(self)
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
                gaps.append(Gap(demand: info.demand.id, missing: info.open - filled, reason: gapReason(d), nearMisses: nearMisses(d, index)))
            }
        }
        return MatchingResult(
            assignments: assignments.sorted(), gaps: gaps, coverage: coverage, upperBound: upperBound, method: method)
    }

    /// What near misses look up for every gap, made once per result: the people per
    /// qualification, and the areas each allows by the problem's area numbers (no string
    /// is hashed or compared per person checked; organisations are numbers already, `homes`).
    struct NearMissIndex {
        var byQualification: [String: [Int]] = [:]
        /// Person p allows area a: `allows[p * problem.areas + a]`.
        var allows: [Bool] = []

        init(_ problem: Problem) {
            for (p, person) in problem.people.enumerated() {
                for qualification in person.qualifications { byQualification[qualification, default: []].append(p) }
            }
            allows = Array(repeating: false, count: problem.people.count * problem.areas)
            for (p, person) in problem.people.enumerated() {
                for area in person.allowed { if let a = problem.areaNumber[area] { allows[p * problem.areas + a] = true } }
            }
        }
    }

    /// The three people nearest to taking a place of `d`: qualified, not of the demanding
    /// organisation, not ruled out for it and not on it, ranked by the fewest rules they
    /// would break, then which (the cap first: the easiest to stretch), then by how many
    /// hours over the cap, then id.
    func nearMisses(_ d: Int, _ index: NearMissIndex) -> [NearMiss] {
        let demand = demands[d].demand
        let shift = demand.shift
        var found: [(key: (Int, Int, Double, Int), miss: NearMiss)] = []
        // Only people who break no more rules than the third found so far can be among the
        // three: the rest are left as soon as they break more.
        var most = Int.max
        let asks = demands[d].asksCredentials
        let organisation = demandOrganisation[d]
        let area = demandArea[d]
        // Read in place (a person is not copied for each gap).
        sources.withUnsafeBufferPointer { sources in
            func consider(_ p: Int) {
                guard homes[p] != organisation, !assigned[d].contains(p),
                      ruledOut.isEmpty || !ruledOut.contains([d, p]), !people[p].onDemand.contains(d) else { return }
                // Counted first, without building anything, so that most people are left at once.
                let hours = load[p * weeks + demandWeek[d]] + demandHours[d]
                let overCap = hours > people[p].cap + 1e-9
                var count = overCap ? 1 : 0
                let wrongArea = !index.allows[p * areas + area]
                if wrongArea { count += 1 }
                let unavailable = count <= most && !Problem.available(people[p].availability, for: shift)
                if unavailable { count += 1 }
                guard count <= most else { return }
                var tooClose = false, overlaps = false
                for other in people[p].busy where shift.start.timeIntervalSince(other.end) < Problem.rest && other.start.timeIntervalSince(shift.end) < Problem.rest {
                    if other.start < shift.end && shift.start < other.end { overlaps = true } else { tooClose = true }
                }
                count += (tooClose ? 1 : 0) + (overlaps ? 1 : 0)
                guard count <= most else { return }
                let noVOG = asks && !Rules.holdsVOG(demand, sources[p])
                let notRegistered = asks && !Rules.holdsRegistration(demand, sources[p])
                let notInducted = asks && !Rules.holdsInduction(demand, sources[p])
                count += (noVOG ? 1 : 0) + (notRegistered ? 1 : 0) + (notInducted ? 1 : 0)
                guard count > 0, count <= most else { return }
                var rules: [NearMiss.Rule] = []
                if overCap { rules.append(.weeklyCap) }
                if tooClose { rules.append(.tooLittleRest) }
                if overlaps { rules.append(.overlap) }
                if unavailable { rules.append(.notAvailable) }
                if wrongArea { rules.append(.wrongArea) }
                let missing = [noVOG ? Rules.Break.noValidVOG : nil, notRegistered ? .notRegistered : nil, notInducted ? .notInducted : nil].compactMap { $0 }
                if !missing.isEmpty { rules += NearMiss.order.filter(missing.contains) }
                let over = overCap ? ((hours - people[p].cap) * 100).rounded() / 100 : nil
                let rank = NearMiss.order.firstIndex(of: rules[0])!
                found.append(((rules.count, rank, over ?? 0, p), NearMiss(person: people[p].id, rules: rules, overCapHours: over)))
                if found.count >= 3 {
                    found.sort { $0.key < $1.key }
                    found.removeLast(found.count - 3)
                    most = found[2].key.0
                }
            }
            // The people who could take it but for their other shifts (cap, rest, overlap)
            // first. When three of them break one rule each, nobody else can come nearer:
            // everyone else breaks a rule of the person or the shift itself, which ranks
            // after those three.
            let candidates = demands[d].candidates
            for p in candidates { consider(p) }
            if found.count >= 3, found[2].key.0 == 1, found[2].key.1 < Self.firstStaticRule { return }
            // The others qualified (the candidates, in the same ascending order, are skipped).
            var next = 0
            for p in index.byQualification[demand.qualification] ?? [] {
                while next < candidates.count, candidates[next] < p { next += 1 }
                if next < candidates.count, candidates[next] == p { continue }
                consider(p)
            }
        }
        found.sort { $0.key < $1.key }
        return found.prefix(3).map(\.miss)
    }

    /// The rank (in `NearMiss.order`) of the first rule of the person or the shift
    /// itself, after the rules about the person's other shifts.
    static let firstStaticRule = NearMiss.order.firstIndex(of: .notAvailable)!

    func gapReason(_ d: Int) -> Gap.Reason {
        let info = demands[d]
        if info.qualified == 0 { return .nobodyQualified }
        if info.candidates.isEmpty, let stage = info.nearestLack {
            // Nobody available holds every credential: name the one the nearest of them lacks.
            switch Gap.credentialOrder[stage] {
            case .noValidVOG: return .nobodyWithValidVOG
            case .notRegistered: return .nobodyRegistered
            default: return .nobodyInducted
            }
        }
        let others = info.candidates.filter { !assigned[d].contains($0) }
        if others.isEmpty { return .nobodyAvailable }
        if others.allSatisfy({ blocker($0, d) == .cap }) { return .everyoneAtCap }
        return .everyoneBusy
    }
}
