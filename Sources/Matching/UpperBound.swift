import Domain
import Foundation

/// An upper bound on the people-slots any solution can fill: a maximum flow from the
/// demands (capacity: open places) through each person's shifts to a sink, where the
/// flow through a person is held by what one person can work at all:
///
/// - a person's eligible shifts (shifts colliding with confirmed work or commitments
///   left out) are covered, week by week, by the fewest groups of pairwise
///   conflicting shifts (overlapping or less than 11 hours apart; these form an
///   interval graph, so earliest end first gives a minimum cover): at most one
///   shift per group (capacity 1);
/// - per week, no more shifts than fit under the weekly cap (counting the shortest
///   eligible shift) and than there are groups;
/// - overall, no more than can be chosen pairwise 11 hours apart.
///
/// Every feasible assignment respects each of these, so it is one of the flows; the
/// bound ignores only that the person's choices must also be jointly feasible (and
/// that hours differ between shifts), which is where it can still exceed the optimum.
enum UpperBound {
    static func compute(_ problem: Problem) -> Int {
        let demandCount = problem.demands.count
        let personCount = problem.people.count
        let source = 0, sink = 1
        func demandNode(_ d: Int) -> Int { 2 + d }
        var graph = FlowGraph(nodes: 2 + demandCount)
        // Plain numbers, read many times below (the same the people's schedules read).
        let times = PersonSchedule.ShiftTimes(problem)
        let (starts, ends) = (times.start, times.end)
        let weekOf = problem.demandWeek
        let weekCount = problem.weeks

        var sourceEdge: [Int] = Array(repeating: -1, count: demandCount)
        var eligible: [[Int]] = Array(repeating: [], count: personCount)
        for (d, info) in problem.demands.enumerated() where info.open > 0 {
            sourceEdge[d] = graph.addEdge(source, demandNode(d), capacity: info.open) ?? -1
            for p in info.candidates where !collidesWithFixedWork(problem, p, d) {
                eligible[p].append(d)
            }
        }
        let rest = Problem.rest, halfRest = Problem.rest / 2
        var byWeek: [[Int]] = Array(repeating: [], count: weekCount)
        for p in 0..<personCount where !eligible[p].isEmpty {
            let person = problem.people[p]
            let personNode = graph.addNode()
            // In order of end: the overall earliest-end-first choice, and per week the
            // cover by groups and the shortest shift (for the cap).
            let shifts = eligible[p].sorted { (ends[$0], starts[$0], $0) < (ends[$1], starts[$1], $1) }
            var overall = 0
            var overallFree = -Double.infinity
            for w in byWeek.indices { byWeek[w].removeAll(keepingCapacity: true) }
            for d in shifts {
                if starts[d] >= overallFree {
                    overall += 1
                    overallFree = ends[d] + rest
                }
                byWeek[weekOf[d]].append(d)
            }
            // (demand, its edge into its group, the group's edge into the week, the week)
            var paths: [(d: Int, first: Int, second: Int, week: Int)] = []
            var weekEdge: [Int] = Array(repeating: -1, count: weekCount)
            for week in 0..<weekCount where !byWeek[week].isEmpty {
                let list = byWeek[week]
                let weekNode = graph.addNode()
                var groups = 0
                var shortest = Double.infinity
                var assigned = Array(repeating: false, count: list.count)
                var members: [Int] = []
                for i in list.indices where !assigned[i] {
                    // A new group: every unassigned shift whose widened span contains
                    // the end of this one's widened span.
                    let point = ends[list[i]] + halfRest
                    groups += 1
                    members.removeAll(keepingCapacity: true)
                    for j in i..<list.count where !assigned[j] && starts[list[j]] - halfRest < point {
                        assigned[j] = true
                        members.append(list[j])
                        shortest = min(shortest, problem.demandHours[list[j]])
                    }
                    if members.count == 1 {
                        // A group of one needs no node of its own.
                        let edge = graph.addEdge(demandNode(members[0]), weekNode, capacity: 1) ?? -1
                        paths.append((members[0], edge, -2, week))
                    } else {
                        let groupNode = graph.addNode()
                        let groupEdge = graph.addEdge(groupNode, weekNode, capacity: 1) ?? -1
                        for d in members {
                            paths.append((d, graph.addEdge(demandNode(d), groupNode, capacity: 1) ?? -1, groupEdge, week))
                        }
                    }
                }
                let free = max(0, person.cap - person.fixedWeekHours[week])
                let byCap = shortest > 0 && shortest.isFinite ? Int(free / shortest + 1e-9) : groups
                weekEdge[week] = graph.addEdge(weekNode, personNode, capacity: min(byCap, groups)) ?? -1
            }
            let sinkEdge = graph.addEdge(personNode, sink, capacity: overall) ?? -1
            // Start from the engine's own assignments: they are a feasible flow, so only
            // the remaining augmenting paths need searching.
            for path in paths where person.onDemand.contains(path.d) && problem.assigned[path.d].contains(p) {
                let edges = path.second == -2 ? [sourceEdge[path.d], path.first, weekEdge[path.week], sinkEdge]
                    : [sourceEdge[path.d], path.first, path.second, weekEdge[path.week], sinkEdge]
                _ = graph.push(along: edges)
            }
        }
        return graph.flow(from: source) + graph.maxFlow(from: source, to: sink)
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
    private var nodeCount: Int
    /// Edge 2k is a forward edge, 2k+1 its reverse.
    private var from: [Int] = []
    private var to: [Int] = []
    private var capacity: [Int] = []

    init(nodes: Int) {
        nodeCount = nodes
    }

    /// Adds a node and returns its number.
    mutating func addNode() -> Int {
        nodeCount += 1
        return nodeCount - 1
    }

    /// Adds an edge and returns its index (nil when its capacity is not positive).
    @discardableResult
    mutating func addEdge(_ from: Int, _ target: Int, capacity edgeCapacity: Int) -> Int? {
        guard edgeCapacity > 0 else { return nil }
        let index = to.count
        self.from.append(from)
        to.append(target)
        capacity.append(edgeCapacity)
        self.from.append(target)
        to.append(from)
        capacity.append(0)
        return index
    }

    /// Sends one unit along a path of edges when each exists and has room; false otherwise.
    mutating func push(along path: [Int]) -> Bool {
        guard path.allSatisfy({ $0 >= 0 && capacity[$0] > 0 }) else { return false }
        for edge in path {
            capacity[edge] -= 1
            capacity[edge ^ 1] += 1
        }
        return true
    }

    /// The flow on an edge (what its reverse edge could send back).
    func flow(on edge: Int) -> Int { capacity[edge ^ 1] }

    /// The flow already leaving `source` (what was pushed before).
    func flow(from source: Int) -> Int {
        var total = 0
        for edge in stride(from: 0, to: from.count, by: 2) where from[edge] == source { total += capacity[edge ^ 1] }
        return total
    }

    /// Adds as much flow as possible and returns how much it added (Dinic's algorithm
    /// over a compact copy of the adjacency lists).
    mutating func maxFlow(from source: Int, to sink: Int) -> Int {
        // Adjacency in one array: the edges leaving node n are adjacent[first[n]..<first[n+1]].
        var first = [Int](repeating: 0, count: nodeCount + 1)
        for node in from { first[node + 1] += 1 }
        for node in 0..<nodeCount { first[node + 1] += first[node] }
        var adjacent = [Int](repeating: 0, count: from.count)
        var fill = first
        for (edge, node) in from.enumerated() {
            adjacent[fill[node]] = edge
            fill[node] += 1
        }
        var flow = 0
        var level = [Int](repeating: -1, count: nodeCount)
        var next = [Int](repeating: 0, count: nodeCount)
        var queue = [Int](repeating: 0, count: nodeCount)
        var path: [Int] = []
        path.reserveCapacity(16)
        while true {
            // Levels by breadth-first search.
            for index in 0..<nodeCount { level[index] = -1 }
            level[source] = 0
            queue[0] = source
            var head = 0, tail = 1
            while head < tail {
                let node = queue[head]
                head += 1
                // Nothing beyond the sink's level can be on a shortest path.
                if level[sink] >= 0 && level[node] >= level[sink] { break }
                for at in first[node]..<first[node + 1] {
                    let edge = adjacent[at]
                    let target = to[edge]
                    if capacity[edge] > 0 && level[target] < 0 {
                        level[target] = level[node] + 1
                        queue[tail] = target
                        tail += 1
                    }
                }
            }
            if level[sink] < 0 { return flow }
            for index in 0..<nodeCount { next[index] = first[index] }
            // Augmenting paths along rising levels until the phase is blocked.
            var node = source
            path.removeAll(keepingCapacity: true)
            while true {
                if node == sink {
                    var bottleneck = Int.max
                    for edge in path { bottleneck = min(bottleneck, capacity[edge]) }
                    for edge in path {
                        capacity[edge] -= bottleneck
                        capacity[edge ^ 1] += bottleneck
                    }
                    flow += bottleneck
                    path.removeAll(keepingCapacity: true)
                    node = source
                    continue
                }
                var advanced = false
                while next[node] < first[node + 1] {
                    let edge = adjacent[next[node]]
                    if capacity[edge] > 0 && level[to[edge]] == level[node] + 1 {
                        path.append(edge)
                        node = to[edge]
                        advanced = true
                        break
                    }
                    next[node] += 1
                }
                if !advanced {
                    if node == source { break }
                    // Dead end: never come back here in this phase.
                    level[node] = -1
                    let edge = path.removeLast()
                    node = to[edge ^ 1]
                    next[node] += 1
                }
            }
        }
    }
}
