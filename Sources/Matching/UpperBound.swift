import Foundation

/// An upper bound on the people-slots any solution can fill: a maximum flow from the
/// demands (capacity: open places) to the people who could take them (capacity 1 per
/// pair; shifts that collide with a person's confirmed work or commitments left out) to
/// a sink. A person's capacity is the most shifts they could work at all: per week, no
/// more than fit under the cap (counting their shortest eligible shift) and no more
/// than can be chosen pairwise 11 hours apart (interval scheduling, earliest end
/// first, which is exact for one person); and overall no more than the latter over
/// all weeks. It ignores that people compete for the same demands, so every real
/// solution is one of its flows.
enum UpperBound {
    static func compute(_ problem: Problem) -> Int {
        let demandCount = problem.demands.count
        let personCount = problem.people.count
        let source = 0, sink = 1
        func demandNode(_ d: Int) -> Int { 2 + d }
        func personNode(_ p: Int) -> Int { 2 + demandCount + p }
        var graph = FlowGraph(nodes: 2 + demandCount + personCount)

        var eligible: [[Int]] = Array(repeating: [], count: personCount)
        for (d, info) in problem.demands.enumerated() where info.open > 0 {
            graph.addEdge(source, demandNode(d), capacity: info.open)
            for p in info.candidates where !collidesWithFixedWork(problem, p, d) {
                graph.addEdge(demandNode(d), personNode(p), capacity: 1)
                eligible[p].append(d)
            }
        }
        for p in 0..<personCount where !eligible[p].isEmpty {
            let person = problem.people[p]
            // One pass in order of end: the overall and the per-week earliest-end-first
            // choices, and per week the shortest shift (for the cap).
            let shifts = eligible[p].sorted {
                let a = problem.demands[$0].demand.shift, b = problem.demands[$1].demand.shift
                return (a.end, a.start, $0) < (b.end, b.start, $1)
            }
            var overall = 0
            var overallFree = Date.distantPast
            var weekly: [Int: (chosen: Int, free: Date, shortest: Double)] = [:]
            for d in shifts {
                let info = problem.demands[d]
                let shift = info.demand.shift
                if shift.start >= overallFree {
                    overall += 1
                    overallFree = shift.end.addingTimeInterval(Problem.rest)
                }
                var week = weekly[info.week] ?? (0, .distantPast, .infinity)
                week.shortest = min(week.shortest, info.hours)
                if shift.start >= week.free {
                    week.chosen += 1
                    week.free = shift.end.addingTimeInterval(Problem.rest)
                }
                weekly[info.week] = week
            }
            var capacity = 0
            for (key, week) in weekly {
                let free = max(0, person.cap - (person.fixedWeekHours[key] ?? 0))
                let byCap = week.shortest > 0 ? Int(free / week.shortest + 1e-9) : week.chosen
                capacity += min(byCap, week.chosen)
            }
            graph.addEdge(personNode(p), sink, capacity: min(capacity, overall))
        }
        return graph.maxFlow(from: source, to: sink)
    }

    static func collidesWithFixedWork(_ problem: Problem, _ p: Int, _ d: Int) -> Bool {
        let shift = problem.demands[d].demand.shift
        return problem.people[p].fixedBusy.contains { other in
            shift.start.timeIntervalSince(other.end) < Problem.rest && other.start.timeIntervalSince(shift.end) < Problem.rest
        }
    }
}

/// Dinic's maximum flow on an adjacency list of edge indices.
struct FlowGraph {
    private var heads: [[Int]]
    private var to: [Int] = []
    private var capacity: [Int] = []

    init(nodes: Int) {
        heads = Array(repeating: [], count: nodes)
    }

    mutating func addEdge(_ from: Int, _ target: Int, capacity edgeCapacity: Int) {
        guard edgeCapacity > 0 else { return }
        heads[from].append(to.count)
        to.append(target)
        capacity.append(edgeCapacity)
        heads[target].append(to.count)
        to.append(from)
        capacity.append(0)
    }

    mutating func maxFlow(from source: Int, to sink: Int) -> Int {
        var flow = 0
        var level = Array(repeating: -1, count: heads.count)
        var next = Array(repeating: 0, count: heads.count)
        while true {
            // Levels by breadth-first search.
            for index in level.indices { level[index] = -1 }
            level[source] = 0
            var queue = [source]
            var head = 0
            while head < queue.count {
                let node = queue[head]
                head += 1
                for edge in heads[node] where capacity[edge] > 0 && level[to[edge]] < 0 {
                    level[to[edge]] = level[node] + 1
                    queue.append(to[edge])
                }
            }
            if level[sink] < 0 { return flow }
            for index in next.indices { next[index] = 0 }
            while true {
                let pushed = push(source, sink, Int.max, &level, &next)
                if pushed == 0 { break }
                flow += pushed
            }
        }
    }

    /// One blocking-flow augmentation, iterative to keep the stack small.
    private mutating func push(_ source: Int, _ sink: Int, _ limit: Int, _ level: inout [Int], _ next: inout [Int]) -> Int {
        var path: [Int] = []  // edges
        var node = source
        while true {
            if node == sink {
                var bottleneck = limit
                for edge in path { bottleneck = min(bottleneck, capacity[edge]) }
                for edge in path {
                    capacity[edge] -= bottleneck
                    capacity[edge ^ 1] += bottleneck
                }
                return bottleneck
            }
            var advanced = false
            while next[node] < heads[node].count {
                let edge = heads[node][next[node]]
                if capacity[edge] > 0 && level[to[edge]] == level[node] + 1 {
                    path.append(edge)
                    node = to[edge]
                    advanced = true
                    break
                }
                next[node] += 1
            }
            if !advanced {
                if node == source { return 0 }
                // Dead end: never come back here in this phase.
                level[node] = -1
                let edge = path.removeLast()
                node = to[edge ^ 1]
                next[node] += 1
            }
        }
    }
}
