import Foundation

/// Work split into a fixed number of parts run side by side (`DispatchQueue.concurrentPerform`).
/// The number does not depend on the machine, and results are put together in a fixed
/// order, so the same input gives the same bytes on any number of cores.
enum Parts {
    static let count = 8

    /// `make(i)` for every i in `0..<items`, the items dealt to the parts in turn, in order.
    static func map<T>(_ items: Int, _ make: @Sendable (Int) -> T) -> [T] {
        let made = Shared<T?>(repeating: nil, count: items)
        DispatchQueue.concurrentPerform(iterations: count) { part in
            for i in Swift.stride(from: part, to: items, by: count) { made.items[i] = make(i) }
        }
        return made.items.map { $0! }
    }

    /// Memory the parts write side by side, each only its own places (so without locks),
    /// read once they are all done.
    final class Shared<Element>: @unchecked Sendable {
        let items: UnsafeMutableBufferPointer<Element>

        init(repeating value: Element, count: Int) {
            items = .allocate(capacity: count)
            items.initialize(repeating: value)
        }

        deinit {
            items.deinitialize()
            items.deallocate()
        }
    }
}
