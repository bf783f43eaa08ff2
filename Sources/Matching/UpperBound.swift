/// An upper bound on the people-slots any solution can fill: a maximum flow from the
/// demands (capacity: open places) to the people who could take them (capacity 1 per
/// pair) to a sink (capacity: how many shifts each person could fit under their weekly
/// caps, counting their shortest eligible shift per week). It ignores overlap and rest
/// between shifts, so every real solution is one of its flows.
enum UpperBound {
    static func compute(_ problem: Problem) -> Int {
        let demandCount = problem.demands.count
        let personCount = problem.people.count
        let source = 0, sink = 1
        func demandNode(_ d: Int) -> Int { 2 + d }
        func personNode(_ p: Int) -> Int { 2 + demandCount + p }
        var graph = FlowGraph(nodes: 2 + demandCount + personCount)

        // Per person: the shortest eligible shift of each week, and the number of demands.
        var shortest: [[Int: Double]] = Array(repeating: [:], count: personCount)
        var eligibleCount = Array(repeating: 0, count: personCount)
        for (d, info) in problem.demands.enumerated() where info.open > 0 {
            graph.addEdge(source, demandNode(d), capacity: info.open)
            for p in info.candidates {
                graph.addEdge(demandNode(d), personNode(p), capacity: 1)
                eligibleCount[p] += 1
                shortest[p][info.week] = min(shortest[p][info.week] ?? .infinity, info.hours)
            }
        }
        for p in 0..<personCount where eligibleCount[p] > 0 {
            var byCap = 0
            for week in shortest[p].keys.sorted() {
                let free = max(0, problem.people[p].cap - (problem.people[p].fixedWeekHours[week] ?? 0))
                byCap += Int(free / shortest[p][week]! + 1e-9)
            }
            graph.addEdge(personNode(p), sink, capacity: min(eligibleCount[p], byCap))
        }
        return graph.maxFlow(from: source, to: sink)
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
