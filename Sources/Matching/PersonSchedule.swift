import Domain
import Foundation

/// One person's best set of shifts for given values: weighted interval scheduling
/// with the rest rule (chosen shifts at least 11 hours apart, so never overlapping)
/// and the weekly cap in hours, solved exactly by dynamic programming over the time
/// slots in order of start (shifts with the same times are one slot, worth its best
/// shift). A state is the last slot taken with the hours already used in its week; per
/// slot only the states no other beats on both hours and value are kept (few: a week
/// holds only a handful of shifts). Used by the Lagrangian bound
/// (prices on the demands) and by the search that re-plans one person at a time.
struct PersonSchedule {
    /// The shifts this person could take at all (eligible, not colliding with fixed
    /// work), in order of start, as demand indices.
    let demands: [Int]
    /// Week index (as in `Problem`) of each shift.
    let weeks: [Int]
    /// Shifts with the same start and end are one time slot: one plan holds at most one
    /// of them (they overlap), and they weigh the same against the rest rule and the cap,
    /// so the plan is made over the slots, each worth its best shift. The shifts of slot
    /// k are the positions `slotFirst[k]..<slotFirst[k + 1]`.
    let slotFirst: [Int]
    let starts: [Double]
    let ends: [Double]
    let hours: [Double]
    let slotWeeks: [Int]
    /// Slots in order of end (for releasing them into the states).
    let byEnd: [Int]
    /// Hours still free under the cap in each week (after confirmed work).
    let free: [Double]

    init(_ problem: Problem, person p: Int, eligible: [Int]) {
        let list = eligible.sorted {
            let a = problem.demands[$0].demand.shift, b = problem.demands[$1].demand.shift
            return (a.start, a.end, $0) < (b.start, b.end, $1)
        }
        demands = list
        weeks = list.map { problem.demands[$0].week }
        var slotFirst: [Int] = [], starts: [Double] = [], ends: [Double] = [], hours: [Double] = [], slotWeeks: [Int] = []
        for (position, d) in list.enumerated() {
            let shift = problem.demands[d].demand.shift
            let start = shift.start.timeIntervalSince1970, end = shift.end.timeIntervalSince1970
            if position > 0, starts.last == start, ends.last == end { continue }
            slotFirst.append(position)
            starts.append(start)
            ends.append(end)
            hours.append(problem.demands[d].hours)
            slotWeeks.append(problem.demands[d].week)
        }
        slotFirst.append(list.count)
        self.slotFirst = slotFirst
        self.starts = starts
        self.ends = ends
        self.hours = hours
        self.slotWeeks = slotWeeks
        byEnd = starts.indices.sorted { (ends[$0], $0) < (ends[$1], $1) }
        let person = problem.people[p]
        free = person.fixedWeekHours.map { max(0, person.cap - $0) }
    }

    /// Reusable buffers, so that solving thousands of times allocates nothing new.
    struct Scratch {
        var labelHours: [Double] = []
        var labelValue: [Double] = []
        var labelParent: [Int32] = []
        var labelShift: [Int32] = []
        /// Per slot: its labels are labelStart[i]..<labelEnd[i].
        var labelStart: [Int32] = []
        var labelEnd: [Int32] = []
        /// Per week, `stride` slots from w * stride: the released labels no other beats
        /// (hours ascending, values rising); `frontierCount[w]` are in use.
        var frontier: [Int32] = []
        var frontierCount: [Int] = []
        var stride = 8
        var weekBest: [Int32] = []
        var labels = 0
        /// Per slot: the value of its best shift and that shift's position.
        var slotGain: [Double] = []
        var slotBest: [Int] = []
        init() {}

        /// Each slot of `schedule` is worth its best shift (the first of equals), with
        /// `gain(position)` the value of the shift at that position.
        mutating func addLabel(_ hours: Double, _ value: Double, _ parent: Int32, _ shift: Int) {
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
        mutating func insert(_ label: Int32, week w: Int) {
            let tolerance = PersonSchedule.tolerance
            let hours = labelHours[Int(label)], value = labelValue[Int(label)]
            let count = frontierCount[w]
            var base = w * stride
            var at = 0
            while at < count, labelHours[Int(frontier[base + at])] <= hours + tolerance {
                if labelValue[Int(frontier[base + at])] >= value - tolerance { return }
                at += 1
            }
            // A label just before it with the same hours is beaten.
            if at > 0, abs(labelHours[Int(frontier[base + at - 1])] - hours) <= tolerance { at -= 1 }
            // Labels after it with no more value are beaten too.
            var end = at
            while end < count, labelValue[Int(frontier[base + end])] <= value + tolerance { end += 1 }
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

        /// The dynamic programme over the slots of `p`, valued by `slotGain`.
        mutating func plan(_ p: PersonSchedule, chosen: inout [Int]) -> Double {
            let tolerance = PersonSchedule.tolerance
            chosen.removeAll(keepingCapacity: true)
            let count = p.starts.count
            let weekCount = p.free.count
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
            labels = 0
            var released = 0
            var bestLabel: Int32 = -1
            var bestValue = 0.0
            for i in 0..<count {
                let value = slotGain[i]
                labelStart[i] = Int32(labels)
                labelEnd[i] = Int32(labels)
                guard value > tolerance else { continue }
                let start = p.starts[i]
                // Release every slot that ends at least the rest before this one starts.
                while released < count, p.ends[p.byEnd[released]] + Problem.rest <= start {
                    let j = p.byEnd[released]
                    released += 1
                    let w = p.slotWeeks[j]
                    var label = labelStart[j]
                    while label < labelEnd[j] {
                        insert(label, week: w)
                        if weekBest[w] < 0 || labelValue[Int(label)] > labelValue[Int(weekBest[w])] { weekBest[w] = label }
                        label += 1
                    }
                }
                let w = p.slotWeeks[i], h = p.hours[i], room = p.free[w] + tolerance
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
                    if total > last + tolerance {
                        last = total
                        addLabel(used, total, label, i)
                    }
                }
                if last > bestValue + tolerance {
                    bestValue = last
                    bestLabel = Int32(labels - 1)
                }
                labelEnd[i] = Int32(labels)
            }
            var label = bestLabel
            while label >= 0 {
                chosen.append(slotBest[Int(labelShift[Int(label)])])
                label = labelParent[Int(label)]
            }
            chosen.reverse()
            return bestValue
        }

        @inline(__always)
        mutating func valueSlots(_ schedule: PersonSchedule, _ gain: (Int) -> Double) {
            let count = schedule.starts.count
            if slotGain.count < count {
                slotGain = Array(repeating: 0, count: count)
                slotBest = Array(repeating: 0, count: count)
            }
            let first = schedule.slotFirst
            for k in 0..<count {
                var best = first[k]
                var value = gain(best)
                var position = best + 1
                while position < first[k + 1] {
                    let g = gain(position)
                    if g > value {
                        value = g
                        best = position
                    }
                    position += 1
                }
                slotGain[k] = value
                slotBest[k] = best
            }
        }
    }

    static let tolerance = 1e-9

    /// The most valuable set of shifts, with `gains[position]` the value of the shift at
    /// that position (shifts of no positive value are never taken). Returns the value
    /// and fills `chosen` with positions, in order of start.
    func best(gains: [Double], chosen: inout [Int], scratch s: inout Scratch) -> Double {
        guard !starts.isEmpty else {
            chosen.removeAll(keepingCapacity: true)
            return 0
        }
        s.valueSlots(self) { gains[$0] }
        return plan(chosen: &chosen, scratch: &s)
    }

    /// `best(gains:)` with the values given per demand (`values[d]` for the shift of
    /// demand d): the form the Lagrangian's prices come in, with nothing to copy.
    func best(values: [Double], chosen: inout [Int], scratch s: inout Scratch) -> Double {
        guard !starts.isEmpty else {
            chosen.removeAll(keepingCapacity: true)
            return 0
        }
        let demands = self.demands
        s.valueSlots(self) { values[demands[$0]] }
        return plan(chosen: &chosen, scratch: &s)
    }

    /// The plan over the slots, valued by the scratch's `slotGain`.
    private func plan(chosen: inout [Int], scratch s: inout Scratch) -> Double {
        s.plan(self, chosen: &chosen)
    }
}
