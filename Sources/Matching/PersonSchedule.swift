import Domain
import Foundation

/// One person's best set of shifts for given values: weighted interval scheduling
/// with the rest rule (chosen shifts at least 11 hours apart, so never overlapping)
/// and the weekly cap in hours, solved exactly by dynamic programming over the shifts
/// in order of start. A state is the last shift taken with the hours already used in
/// its week; per shift only the states no other beats on both hours and value are
/// kept (few: a week holds only a handful of shifts). Used by the Lagrangian bound
/// (prices on the demands) and by the search that re-plans one person at a time.
struct PersonSchedule {
    /// The shifts this person could take at all (eligible, not colliding with fixed
    /// work), in order of start, as demand indices.
    let demands: [Int]
    let starts: [Double]
    let ends: [Double]
    let hours: [Double]
    /// Week index (as in `Problem`) of each shift.
    let weeks: [Int]
    /// Positions of the shifts in order of end (for releasing them into the states).
    let byEnd: [Int]
    /// Hours still free under the cap in each week (after confirmed work).
    let free: [Double]

    init(_ problem: Problem, person p: Int, eligible: [Int]) {
        let list = eligible.sorted {
            let a = problem.demands[$0].demand.shift, b = problem.demands[$1].demand.shift
            return (a.start, a.end, $0) < (b.start, b.end, $1)
        }
        demands = list
        starts = list.map { problem.demands[$0].demand.shift.start.timeIntervalSince1970 }
        ends = list.map { problem.demands[$0].demand.shift.end.timeIntervalSince1970 }
        hours = list.map { problem.demands[$0].hours }
        weeks = list.map { problem.demands[$0].week }
        let ends = self.ends
        byEnd = list.indices.sorted { (ends[$0], $0) < (ends[$1], $1) }
        let person = problem.people[p]
        free = person.fixedWeekHours.map { max(0, person.cap - $0) }
    }

    /// Reusable buffers, so that solving thousands of times allocates nothing new.
    struct Scratch {
        var labelHours: [Double] = []
        var labelValue: [Double] = []
        var labelParent: [Int32] = []
        var labelShift: [Int32] = []
        /// Per shift: its labels are labelStart[i]..<labelEnd[i].
        var labelStart: [Int32] = []
        var labelEnd: [Int32] = []
        /// Per week, `stride` slots from w * stride: the released labels no other beats
        /// (hours ascending, values rising); `frontierCount[w]` are in use.
        var frontier: [Int32] = []
        var frontierCount: [Int] = []
        var stride = 8
        var weekBest: [Int32] = []
        init() {}
    }

    static let tolerance = 1e-9

    /// The most valuable set of shifts, with `gains[position]` the value of the shift at
    /// that position (shifts of no positive value are never taken). Returns the value
    /// and fills `chosen` with positions, in order of start.
    func best(gains: [Double], chosen: inout [Int], scratch s: inout Scratch) -> Double {
        chosen.removeAll(keepingCapacity: true)
        let count = demands.count
        guard count > 0 else { return 0 }
        let weekCount = free.count
        // The buffers as local arrays for the loop (no access through `s` on every step).
        var labelHours = s.labelHours, labelValue = s.labelValue, labelParent = s.labelParent, labelShift = s.labelShift
        var labelStart = s.labelStart, labelEnd = s.labelEnd, frontier = s.frontier, frontierCount = s.frontierCount
        var weekBest = s.weekBest
        var stride = s.stride
        s = Scratch()
        defer {
            s.labelHours = labelHours
            s.labelValue = labelValue
            s.labelParent = labelParent
            s.labelShift = labelShift
            s.labelStart = labelStart
            s.labelEnd = labelEnd
            s.frontier = frontier
            s.frontierCount = frontierCount
            s.weekBest = weekBest
            s.stride = stride
        }
        if labelStart.count < count {
            labelStart = Array(repeating: 0, count: count)
            labelEnd = Array(repeating: 0, count: count)
        }
        if frontierCount.count < weekCount {
            frontierCount = Array(repeating: 0, count: weekCount)
            weekBest = Array(repeating: -1, count: weekCount)
        }
        if frontier.count < weekCount * stride { frontier = Array(repeating: 0, count: weekCount * stride) }
        for w in 0..<weekCount {
            frontierCount[w] = 0
            weekBest[w] = -1
        }
        var labels = 0
        func addLabel(_ hours: Double, _ value: Double, _ parent: Int32, _ shift: Int) {
            if labels < labelHours.count {
                labelHours[labels] = hours
                labelValue[labels] = value
                labelParent[labels] = parent
                labelShift[labels] = Int32(shift)
            } else {
                labelHours.append(hours)
                labelValue.append(value)
                labelParent.append(parent)
                labelShift.append(Int32(shift))
            }
            labels += 1
        }
        /// Adds a released label to its week's frontier (hours ascending, values strictly
        /// rising), unless a label with no more hours is worth at least as much; labels it
        /// beats go.
        func insert(_ label: Int32, week w: Int) {
            let hours = labelHours[Int(label)], value = labelValue[Int(label)]
            let count = frontierCount[w]
            var base = w * stride
            var at = 0
            while at < count, labelHours[Int(frontier[base + at])] <= hours + Self.tolerance {
                if labelValue[Int(frontier[base + at])] >= value - Self.tolerance { return }
                at += 1
            }
            // A label just before it with the same hours is beaten.
            if at > 0, abs(labelHours[Int(frontier[base + at - 1])] - hours) <= Self.tolerance { at -= 1 }
            // Labels after it with no more value are beaten too.
            var end = at
            while end < count, labelValue[Int(frontier[base + end])] <= value + Self.tolerance { end += 1 }
            if end == at && count == stride {
                // Full: twice the slots per week, each week's labels kept.
                var wider = [Int32](repeating: 0, count: frontierCount.count * stride * 2)
                for week in frontierCount.indices {
                    for k in 0..<frontierCount[week] { wider[week * stride * 2 + k] = frontier[week * stride + k] }
                }
                stride *= 2
                frontier = wider
                base = w * stride
            }
            let removed = end - at
            if removed == 0 {
                var k = count
                while k > at {
                    frontier[base + k] = frontier[base + k - 1]
                    k -= 1
                }
                frontierCount[w] = count + 1
            } else if removed > 1 {
                for k in end..<count { frontier[base + k - removed + 1] = frontier[base + k] }
                frontierCount[w] = count - removed + 1
            }
            frontier[base + at] = label
        }
        var released = 0
        var bestLabel: Int32 = -1
        var bestValue = 0.0
        for i in 0..<count {
            let value = gains[i]
            labelStart[i] = Int32(labels)
            labelEnd[i] = Int32(labels)
            guard value > Self.tolerance else { continue }
            let start = starts[i]
            // Release every shift that ends at least the rest before this one starts.
            while released < count, ends[byEnd[released]] + Problem.rest <= start {
                let j = byEnd[released]
                released += 1
                let w = weeks[j]
                var label = labelStart[j]
                while label < labelEnd[j] {
                    insert(label, week: w)
                    if weekBest[w] < 0 || labelValue[Int(label)] > labelValue[Int(weekBest[w])] { weekBest[w] = label }
                    label += 1
                }
            }
            let w = weeks[i], h = hours[i], room = free[w] + Self.tolerance
            guard h <= room else { continue }
            // A new week's first shift: after the best chain of any earlier week.
            var previous: Int32 = -1
            for earlier in 0..<w where weekBest[earlier] >= 0 {
                if previous < 0 || labelValue[Int(weekBest[earlier])] > labelValue[Int(previous)] { previous = weekBest[earlier] }
            }
            var last = (previous >= 0 ? labelValue[Int(previous)] : 0) + value
            addLabel(h, last, previous, i)
            // Or after a chain in this week, while the cap allows: the frontier's hours
            // rise, so these come in rising hours, and only rising values are kept.
            let base = w * stride
            for k in 0..<frontierCount[w] {
                let label = frontier[base + k]
                let used = labelHours[Int(label)] + h
                if used > room { break }
                let total = labelValue[Int(label)] + value
                if total > last + Self.tolerance {
                    last = total
                    addLabel(used, total, label, i)
                }
            }
            if last > bestValue + Self.tolerance {
                bestValue = last
                bestLabel = Int32(labels - 1)
            }
            labelEnd[i] = Int32(labels)
        }
        var label = bestLabel
        while label >= 0 {
            chosen.append(Int(labelShift[Int(label)]))
            label = labelParent[Int(label)]
        }
        chosen.reverse()
        return bestValue
    }
}
