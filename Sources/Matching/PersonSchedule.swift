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
final class PersonSchedule: Sendable {
    /// The shifts this person could take at all (eligible, not colliding with fixed
    /// work), in order of start, as demand indices (32 bits: the relaxation reads them
    /// all at every step, and half the bytes take less of the memory's time).
    let demands: [Int32]
    /// Shifts with the same start and end are one time slot: one plan holds at most one
    /// of them (they overlap), and they weigh the same against the rest rule and the cap,
    /// so the plan is made over the slots, each worth its best shift. The shifts of slot
    /// k are the positions `slotFirst[k]..<slotFirst[k + 1]`.
    let slotFirst: [Int]
    /// The most shifts in one slot.
    let widestSlot: Int
    let starts: [Double]
    let ends: [Double]
    let hours: [Double]
    let slotWeeks: [Int]
    /// Slots in order of end (for releasing them into the states), and when each may be
    /// followed: its end plus the rest.
    let byEnd: [Int]
    let releaseAt: [Double]
    /// Hours still free under the cap in each week (after confirmed work).
    let free: [Double]

    /// - Parameter eligible: the shifts, in order of start, end and demand index.
    init(_ problem: Problem, person p: Int, eligible list: [Int], times: ShiftTimes) {
        demands = list.map { Int32($0) }
        var slotFirst: [Int] = [], starts: [Double] = [], ends: [Double] = [], hours: [Double] = [], slotWeeks: [Int] = []
        for (position, d) in list.enumerated() {
            let start = times.start[d], end = times.end[d]
            if position > 0, starts.last == start, ends.last == end { continue }
            slotFirst.append(position)
            starts.append(start)
            ends.append(end)
            hours.append(times.hours[d])
            slotWeeks.append(times.week[d])
        }
        slotFirst.append(list.count)
        self.slotFirst = slotFirst
        widestSlot = zip(slotFirst, slotFirst.dropFirst()).reduce(0) { max($0, $1.1 - $1.0) }
        self.starts = starts
        self.ends = ends
        self.hours = hours
        self.slotWeeks = slotWeeks
        byEnd = starts.indices.sorted { (ends[$0], $0) < (ends[$1], $1) }
        releaseAt = byEnd.map { ends[$0] + Problem.rest }
        let person = problem.people[p]
        free = person.fixedWeekHours.map { max(0, person.cap - $0) }
    }

    /// Each demand's shift as plain numbers (seconds since 1970, hours, week index), read
    /// once for all the people's schedules.
    struct ShiftTimes: Sendable {
        let start: [Double]
        let end: [Double]
        let hours: [Double]
        let week: [Int]

        init(_ problem: Problem) {
            start = problem.demands.map { $0.demand.shift.start.timeIntervalSince1970 }
            end = problem.demands.map { $0.demand.shift.end.timeIntervalSince1970 }
            hours = problem.demandHours
            week = problem.demandWeek
        }
    }

    /// Reusable buffers, so that solving thousands of times allocates nothing new: raw
    /// memory of plain numbers, grown when a plan needs more, so that the inner loop has
    /// no copy-on-write or bounds checks (the test of one person's plan against every
    /// subset of shifts holds it to the definition).
    final class Scratch {
        /// The labels (states): hours used in the week, value, the label before, the slot.
        private var labelHours = UnsafeMutablePointer<Double>.allocate(capacity: 1)
        private var labelValue = UnsafeMutablePointer<Double>.allocate(capacity: 1)
        private var labelParent = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        private var labelShift = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        private var labelCapacity = 1
        /// Per slot: its labels are labelStart[i]..<labelEnd[i]; its value and best shift.
        private var labelStart = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        private var labelEnd = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        private var slotGain = UnsafeMutablePointer<Double>.allocate(capacity: 1)
        private var slotBest = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        /// The slots of the last plan's shifts, in the same order as its positions.
        private(set) var chosenSlots = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        private var slotCapacity = 1
        /// A released label in a week's frontier, with its hours and value beside it.
        struct Entry {
            var hours: Double
            var value: Double
            var label: Int32
        }
        /// Per week, `stride` places from w * stride: the released labels no other beats
        /// (hours ascending, values rising); `frontierCount[w]` are in use.
        private var frontier = UnsafeMutablePointer<Entry>.allocate(capacity: 8)
        private var frontierCount = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        private var weekBest = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        private var weekCapacity = 1
        private var stride = 8
        private var frontierCapacity = 0
        private var weightBuffer = UnsafeMutablePointer<Double>.allocate(capacity: 1)
        private var weightCapacity = 1

        /// Room for `count` numbers (the weights of one slot's shifts), kept between calls.
        func weights(_ count: Int) -> UnsafeMutablePointer<Double> {
            if count > weightCapacity {
                weightBuffer = Self.grown(weightBuffer, keeping: 0, capacity: count)
                weightCapacity = count
            }
            return weightBuffer
        }

        init() {}

        deinit {
            for pointer in [UnsafeMutableRawPointer(labelHours), UnsafeMutableRawPointer(labelValue), UnsafeMutableRawPointer(labelParent),
                            UnsafeMutableRawPointer(labelShift), UnsafeMutableRawPointer(labelStart), UnsafeMutableRawPointer(labelEnd),
                            UnsafeMutableRawPointer(slotGain), UnsafeMutableRawPointer(slotBest), UnsafeMutableRawPointer(chosenSlots),
                            UnsafeMutableRawPointer(weightBuffer),
                            UnsafeMutableRawPointer(frontier),
                            UnsafeMutableRawPointer(frontierCount), UnsafeMutableRawPointer(weekBest)] {
                pointer.deallocate()
            }
        }

        /// `old`'s first `count` values in new memory of `capacity`.
        private static func grown<T>(_ old: UnsafeMutablePointer<T>, keeping count: Int, capacity: Int) -> UnsafeMutablePointer<T> {
            let new = UnsafeMutablePointer<T>.allocate(capacity: capacity)
            new.moveInitialize(from: old, count: count)
            old.deallocate()
            return new
        }

        private func reserveSlots(_ count: Int) {
            guard count > slotCapacity else { return }
            let capacity = max(count, slotCapacity * 2)
            labelStart = Self.grown(labelStart, keeping: 0, capacity: capacity)
            labelEnd = Self.grown(labelEnd, keeping: 0, capacity: capacity)
            slotGain = Self.grown(slotGain, keeping: 0, capacity: capacity)
            slotBest = Self.grown(slotBest, keeping: 0, capacity: capacity)
            chosenSlots = Self.grown(chosenSlots, keeping: 0, capacity: capacity)
            slotCapacity = capacity
        }

        private func reserveLabels(_ count: Int, keeping used: Int) {
            guard count > labelCapacity else { return }
            let capacity = max(count, labelCapacity * 2)
            labelHours = Self.grown(labelHours, keeping: used, capacity: capacity)
            labelValue = Self.grown(labelValue, keeping: used, capacity: capacity)
            labelParent = Self.grown(labelParent, keeping: used, capacity: capacity)
            labelShift = Self.grown(labelShift, keeping: used, capacity: capacity)
            labelCapacity = capacity
        }

        private func reserveWeeks(_ count: Int) {
            if count > weekCapacity {
                frontierCount = Self.grown(frontierCount, keeping: 0, capacity: count)
                weekBest = Self.grown(weekBest, keeping: 0, capacity: count)
                weekCapacity = count
            }
            if count * stride > frontierCapacity {
                frontier = Self.grown(frontier, keeping: 0, capacity: count * stride)
                frontierCapacity = count * stride
            }
        }

        /// Each slot of `schedule` is worth its best shift (the first of equals), with
        /// `gain(position)` the value of the shift at that position.
        @inline(__always)
        func valueSlots(_ schedule: PersonSchedule, _ gain: (Int) -> Double) {
            let count = schedule.starts.count
            reserveSlots(count)
            schedule.slotFirst.withUnsafeBufferPointer { first in
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

        /// Each slot of `schedule` valued alone, at its best shift's `values[demands[k]]`,
        /// without finding which shift that is (the relaxation asks it only of the slots
        /// a plan takes). Two maxima side by side, so that one compare need not wait for
        /// the one before.
        func valueSlots(_ schedule: PersonSchedule, values: UnsafeBufferPointer<Double>, demands: UnsafeBufferPointer<Int32>) {
            let count = schedule.starts.count
            reserveSlots(count)
            let slotGain = self.slotGain
            schedule.slotFirst.withUnsafeBufferPointer { first in
                for k in 0..<count {
                    let to = first[k + 1]
                    var position = first[k]
                    var even = -Double.infinity, odd = -Double.infinity
                    while position + 1 < to {
                        let a = values[Int(demands[position])], b = values[Int(demands[position + 1])]
                        even = a > even ? a : even
                        odd = b > odd ? b : odd
                        position += 2
                    }
                    if position < to {
                        let a = values[Int(demands[position])]
                        even = a > even ? a : even
                    }
                    slotGain[k] = odd > even ? odd : even
                }
            }
        }

        /// What slot k is worth (its best shift), as last valued.
        func slotValue(_ k: Int) -> Double { slotGain[k] }

        /// How many slots the last plan took (their slots are `chosenSlots`).
        private(set) var chosenCount = 0

        /// The dynamic programme over the slots of `p`, valued by `valueSlots`. The buffers
        /// are read into locals (a store through one would otherwise make the next read
        /// load them from the class again), and read again when one grows.
        func plan(_ p: PersonSchedule, chosen: inout [Int]) -> Double {
            let value = planSlots(p)
            chosen.removeAll(keepingCapacity: true)
            for index in 0..<chosenCount { chosen.append(slotBest[Int(chosenSlots[index])]) }
            return value
        }

        /// The same plan as slots only: `chosenSlots[0..<chosenCount]`, in order of start.
        func planSlots(_ p: PersonSchedule) -> Double {
            let tolerance = PersonSchedule.tolerance
            let count = p.starts.count
            let weekCount = p.free.count
            reserveSlots(count)
            reserveWeeks(weekCount)
            let labelStart = self.labelStart, labelEnd = self.labelEnd, slotGain = self.slotGain
            let frontierCount = self.frontierCount, weekBest = self.weekBest
            var labelHours = self.labelHours, labelValue = self.labelValue, labelParent = self.labelParent, labelShift = self.labelShift
            var frontier = self.frontier, stride = self.stride
            for w in 0..<weekCount {
                frontierCount[w] = 0
                weekBest[w] = -1
            }
            var labels = 0
            var released = 0
            var bestLabel: Int32 = -1
            var bestValue = 0.0
            return p.starts.withUnsafeBufferPointer { starts in
            p.releaseAt.withUnsafeBufferPointer { releaseAt in
            p.byEnd.withUnsafeBufferPointer { byEnd in
            p.slotWeeks.withUnsafeBufferPointer { slotWeeks in
            p.hours.withUnsafeBufferPointer { hours in
            p.free.withUnsafeBufferPointer { free in
                for i in 0..<count {
                    let value = slotGain[i]
                    labelStart[i] = Int32(labels)
                    labelEnd[i] = Int32(labels)
                    guard value > tolerance else { continue }
                    let start = starts[i]
                    // Release every slot that ends at least the rest before this one starts:
                    // each of its labels goes into its week's frontier (hours ascending,
                    // values strictly rising), unless a label with no more hours is worth
                    // at least as much; the labels it beats go.
                    while released < count, releaseAt[released] <= start {
                        let j = byEnd[released]
                        released += 1
                        let w = slotWeeks[j]
                        var label = labelStart[j]
                        while label < labelEnd[j] {
                            let entry = Entry(hours: labelHours[Int(label)], value: labelValue[Int(label)], label: label)
                            label += 1
                            if weekBest[w] < 0 || entry.value > labelValue[Int(weekBest[w])] { weekBest[w] = entry.label }
                            let n = frontierCount[w]
                            var base = w * stride
                            var at = 0
                            var beaten = false
                            while at < n, frontier[base + at].hours <= entry.hours + tolerance {
                                if frontier[base + at].value >= entry.value - tolerance {
                                    beaten = true
                                    break
                                }
                                at += 1
                            }
                            if beaten { continue }
                            // A label just before it with the same hours is beaten.
                            if at > 0, abs(frontier[base + at - 1].hours - entry.hours) <= tolerance { at -= 1 }
                            // Labels after it with no more value are beaten too.
                            var end = at
                            while end < n, frontier[base + end].value <= entry.value + tolerance { end += 1 }
                            if end == at && n == stride {
                                // The week's room is full: every week's doubles.
                                let wider = UnsafeMutablePointer<Entry>.allocate(capacity: weekCount * stride * 2)
                                for week in 0..<weekCount {
                                    for k in 0..<frontierCount[week] { wider[week * stride * 2 + k] = frontier[week * stride + k] }
                                }
                                frontier.deallocate()
                                frontier = wider
                                stride *= 2
                                self.frontier = frontier
                                self.stride = stride
                                frontierCapacity = weekCount * stride
                                base = w * stride
                            }
                            let removed = end - at
                            if removed == 0 {
                                var k = n
                                while k > at {
                                    frontier[base + k] = frontier[base + k - 1]
                                    k -= 1
                                }
                                frontierCount[w] = n + 1
                            } else if removed > 1 {
                                for k in end..<n { frontier[base + k - removed + 1] = frontier[base + k] }
                                frontierCount[w] = n - removed + 1
                            }
                            frontier[base + at] = entry
                        }
                    }
                    let w = slotWeeks[i], h = hours[i], room = free[w] + tolerance
                    guard h <= room else { continue }
                    // At most one label after each in the week's frontier, and one more.
                    if labels + frontierCount[w] + 1 > labelCapacity {
                        reserveLabels(labels + frontierCount[w] + 1, keeping: labels)
                        (labelHours, labelValue, labelParent, labelShift) = (self.labelHours, self.labelValue, self.labelParent, self.labelShift)
                    }
                    // A new week's first shift: after the best chain of any earlier week.
                    var previous: Int32 = -1
                    for earlier in 0..<w where weekBest[earlier] >= 0 {
                        if previous < 0 || labelValue[Int(weekBest[earlier])] > labelValue[Int(previous)] { previous = weekBest[earlier] }
                    }
                    var last = (previous >= 0 ? labelValue[Int(previous)] : 0) + value
                    labelHours[labels] = h
                    labelValue[labels] = last
                    labelParent[labels] = previous
                    labelShift[labels] = Int32(i)
                    labels += 1
                    // Or after a chain in this week, while the cap allows: the frontier's hours
                    // rise, so these come in rising hours, and only rising values are kept.
                    let base = w * stride
                    for k in 0..<frontierCount[w] {
                        let entry = frontier[base + k]
                        let used = entry.hours + h
                        if used > room { break }
                        let total = entry.value + value
                        if total > last + tolerance {
                            last = total
                            labelHours[labels] = used
                            labelValue[labels] = total
                            labelParent[labels] = entry.label
                            labelShift[labels] = Int32(i)
                            labels += 1
                        }
                    }
                    if last > bestValue + tolerance {
                        bestValue = last
                        bestLabel = Int32(labels - 1)
                    }
                    labelEnd[i] = Int32(labels)
                }
                var label = bestLabel
                let slots = self.chosenSlots
                var taken = 0
                while label >= 0 {
                    slots[taken] = labelShift[Int(label)]
                    taken += 1
                    label = labelParent[Int(label)]
                }
                var (low, high) = (0, taken - 1)
                while low < high {
                    (slots[low], slots[high]) = (slots[high], slots[low])
                    low += 1
                    high -= 1
                }
                chosenCount = taken
                return bestValue
            }
            }
            }
            }
            }
            }
        }
    }

    static let tolerance = 1e-9

    /// The most valuable set of shifts, with `gains[position]` the value of the shift at
    /// that position (shifts of no positive value are never taken). Returns the value
    /// and fills `chosen` with positions, in order of start.
    func best(gains: [Double], chosen: inout [Int], scratch s: Scratch) -> Double {
        guard !starts.isEmpty else {
            chosen.removeAll(keepingCapacity: true)
            return 0
        }
        s.valueSlots(self) { gains[$0] }
        return s.plan(self, chosen: &chosen)
    }

    /// The best plan's value at `values` (per demand), as its slots only
    /// (`scratch.chosenSlots[0..<scratch.chosenCount]`, each worth `scratch.slotValue`):
    /// the relaxation's form, which finds the best shift of each slot it takes itself.
    func bestSlots(values: UnsafeBufferPointer<Double>, scratch s: Scratch) -> Double {
        demands.withUnsafeBufferPointer { s.valueSlots(self, values: values, demands: $0) }
        return s.planSlots(self)
    }

    /// `best(gains:)` with the values given per demand (`values[d]` for the shift of
    /// demand d): the form the Lagrangian's prices come in, with nothing to copy.
    func best(values: UnsafeBufferPointer<Double>, chosen: inout [Int], scratch s: Scratch) -> Double {
        guard !starts.isEmpty else {
            chosen.removeAll(keepingCapacity: true)
            return 0
        }
        return demands.withUnsafeBufferPointer { demands in
            s.valueSlots(self) { values[Int(demands[$0])] }
            return s.plan(self, chosen: &chosen)
        }
    }
}
