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

    @Flag(help: "Print one summary line (sizes, time, filled, bound, gap) instead of the JSON result.")
    var summary = false

    struct Output: Encodable {
        let formatVersion: Int
        let assignments: [Assignment]
        let gaps: [Gap]
        let coverage: Coverage
        let upperBound: Int
        let gapToBound: Int
        let method: String
        let elapsedMilliseconds: Double

        enum CodingKeys: String, CodingKey {
            case formatVersion = "format_version", assignments, gaps, coverage, upperBound = "upper_bound"
            case gapToBound = "gap_to_bound", method, elapsedMilliseconds = "elapsed_ms"
        }
    }

    func validate() throws {
        if (input == nil) == (generate == nil) { throw ValidationError("Give either --input FILE or --generate PEOPLE,DEMANDS.") }
    }

    func run() throws {
        let instance: MatchingInstance
        if let generate {
            let parts = generate.split(separator: ",").compactMap { Int($0) }
            guard parts.count == 2, parts.allSatisfy({ $0 > 0 }) else { throw ValidationError("--generate takes PEOPLE,DEMANDS, e.g. 2000,10000.") }
            instance = InstanceGenerator.make(seed: seed, people: parts[0], demands: parts[1], days: days)
            if let writeInstance { try Self.encoder.encode(instance).write(to: URL(fileURLWithPath: writeInstance)) }
        } else {
            let data = try Data(contentsOf: URL(fileURLWithPath: input!))
            do {
                instance = try Self.decoder.decode(MatchingInstance.self, from: data)
            } catch let error as DecodingError {
                throw ValidationError("The instance does not match docs/matching-format.md: \(Self.describe(error))")
            }
        }
        let clock = ContinuousClock()
        var result: MatchingResult!
        let elapsed = clock.measure { result = MatchingEngine.solve(instance) }
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        if summary {
            let slots = result.coverage.needed
            let gap = result.upperBound == 0 ? 0 : Double(result.upperBound - result.coverage.filled) / Double(result.upperBound) * 100
            print(String(
                format: "%6d people %6d demands %7d places  %9.1f ms  filled %6d  bound %6d  gap %5.2f%%  (%@)",
                instance.people.count, instance.demands.count, slots, milliseconds, result.coverage.filled, result.upperBound, gap, result.method))
            return
        }
        let out = Output(
            formatVersion: MatchingEngine.formatVersion, assignments: result.assignments, gaps: result.gaps, coverage: result.coverage,
            upperBound: result.upperBound, gapToBound: result.upperBound - result.coverage.filled, method: result.method,
            elapsedMilliseconds: (milliseconds * 10).rounded() / 10)
        let data = try Self.encoder.encode(out)
        if let output {
            try data.write(to: URL(fileURLWithPath: output))
        } else {
            print(String(decoding: data, as: UTF8.self))
        }
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            let formatter = ISO8601DateFormatter()
            if let date = formatter.date(from: text) { return date }
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            if let date = formatter.date(from: text) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(text) is not an ISO 8601 date-time with a zone")
        }
        return decoder
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing \(path(context)).\(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
