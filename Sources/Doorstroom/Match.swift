import ArgumentParser
import Foundation
import Matching

/// `doorstroom match`: the matching engine on a self-contained instance, outside the
/// database, for what-if runs and the benchmark. The format is docs/matching-format.md.
struct Match: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the flexpool matching engine on a JSON instance (docs/matching-format.md).")

    @Option(help: "The instance (JSON). Without it, --generate makes one.")
    var input: String?

    @Option(help: "Where to write the result (JSON); standard output when left out.")
    var output: String?

    @Option(help: "Generate a seeded instance instead of reading one: PEOPLE,DEMANDS (e.g. 2000,10000).")
    var generate: String?

    @Option(help: "Seed for --generate.")
    var seed: UInt64 = 1

    @Option(help: "Days the generated demand spans (from a Monday).")
    var days = 28

    @Option(name: .customLong("write-instance"), help: "Also write the generated instance to this file.")
    var writeInstance: String?

    @Flag(help: "Print one JSON line (sizes, times, places, bound, spread) instead of the result.")
    var summary = false

    func validate() throws {
        if (input == nil) == (generate == nil) { throw ValidationError("Give either --input FILE or --generate PEOPLE,DEMANDS.") }
    }

    func run() throws {
        let clock = ContinuousClock()
        let started = clock.now
        let instance: MatchingInstance
        if let generate {
            let parts = generate.split(separator: ",").compactMap { Int($0) }
            guard parts.count == 2, parts.allSatisfy({ $0 > 0 }) else { throw ValidationError("--generate takes PEOPLE,DEMANDS, e.g. 2000,10000.") }
            instance = InstanceGenerator.realistic(seed: seed, people: parts[0], demands: parts[1], days: days)
            if let writeInstance { try MatchingJSON.encoder().encode(instance).write(to: URL(fileURLWithPath: writeInstance)) }
        } else {
            let data = try Data(contentsOf: URL(fileURLWithPath: input!))
            do {
                instance = try MatchingJSON.readInstance(data)
            } catch {
                throw ValidationError("The instance does not match docs/matching-format.md: \(error.message)")
            }
        }
        var result: MatchingResult!
        let elapsed = clock.measure { result = MatchingEngine.solve(instance) }
        let milliseconds = Self.milliseconds(elapsed)
        if output != nil || !summary {
            let file = MatchingJSON.resultFile(
                result, formatVersion: MatchingEngine.formatVersion, elapsedMilliseconds: (milliseconds * 10).rounded() / 10)
            if let output {
                try file.write(to: URL(fileURLWithPath: output))
            } else {
                print(String(decoding: file, as: UTF8.self))
            }
        }
        if summary {
            // One JSON line, for scripts/bench-matching (end to end: reading or generating,
            // solving, and writing the result file when there is one).
            let line: [String: Double] = [
                "people": Double(instance.people.count), "demands": Double(instance.demands.count), "places": Double(result.coverage.needed),
                "solve_ms": milliseconds, "total_ms": Self.milliseconds(clock.now - started),
                "filled": Double(result.coverage.filled), "urgent_filled": Double(result.coverage.urgentFilled),
                "urgent_needed": Double(result.coverage.urgentNeeded), "bound": Double(result.upperBound),
                "spread": MatchingEngine.spread(of: result, in: instance),
            ]
            print(String(decoding: try MatchingJSON.encoder(pretty: false).encode(line), as: UTF8.self))
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
