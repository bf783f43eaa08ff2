/// A posting's life cycle: draft → published → closed or filled, with the ways back a
/// person needs (rework a published posting as a draft, publish a closed or filled one
/// again when a hire falls through). A draft that was never published cannot be
/// filled, and a filled posting does not go back to draft. The pages offer only the
/// moves this allows; the store refuses any other.
extension Posting.Status {
    /// The statuses a posting may move to from this one.
    public var next: [Posting.Status] {
        switch self {
        case .draft: [.published, .closed]
        case .published: [.draft, .closed, .filled]
        case .closed: [.published, .draft]
        case .filled: [.published, .closed]
        }
    }

    public func canMove(to status: Posting.Status) -> Bool {
        next.contains(status)
    }

    /// The statuses from which a posting may move to `status`.
    public static func predecessors(of status: Posting.Status) -> [Posting.Status] {
        allCases.filter { $0.canMove(to: status) }
    }
}

extension Posting {
    /// A posting published without a closing date closes this many days after: every
    /// open posting has an end, which job search engines require (`validThrough`) and
    /// which keeps forgotten postings from staying open for ever. Its adviser can
    /// extend it by editing the date.
    public static let daysOpenWithoutClosingDate = 56

    /// A move the life cycle does not allow.
    public struct StatusNotAllowed: Error, Sendable, Equatable {
        public let from: Status
        public let to: Status

        public init(from: Status, to: Status) {
            self.from = from
            self.to = to
        }

        /// What a person is told, in Dutch.
        public var message: String {
            "Een vacature die \(from.label.lowercased()) is, kan niet naar \(to.label.lowercased())."
        }
    }
}
